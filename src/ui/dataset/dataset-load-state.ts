// Runs on the page: folds dataset-worker events into the Dataset screen's state (pure, tested without a DOM).
import type { ParseProgress } from '../../core/csv/parse-fer-blob';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { FolderClassChoice } from '../../core/image-folders/load-image-folders';
import type { DatasetEvent, DatasetStage } from '../../workers/dataset-protocol';

export type RunStatus = 'idle' | 'running' | 'done' | 'cancelled' | 'error';

export interface DatasetLoadState {
  status: RunStatus;
  /** The run this screen shows; events of other runs are dropped. */
  runId: string | null;
  /** What is being loaded: a file name or "demo data". */
  source: string | null;
  stage: DatasetStage | null;
  progress: ParseProgress | null;
  elapsedMs: number;
  error: string | null;
  /** The data set in use. A failed or cancelled load leaves the previous one here. */
  dataset: LoadedDataset | null;
  /** Why the data set in use will not be there after a reload, or null when it is stored. */
  notKept: string | null;
  /** Fingerprint of the data set known to be in the browser's storage (restored from it, or its write committed). */
  storedFingerprint: string | null;
  /**
   * The stopped load's class folders that are not FER2013's emotions: the user may train on them as classes of
   * their own, or skip them, and load again.
   */
  folderChoice: FolderClassChoice | null;
}

export const initialDatasetLoadState: DatasetLoadState = {
  status: 'idle',
  runId: null,
  source: null,
  stage: null,
  progress: null,
  elapsedMs: 0,
  error: null,
  dataset: null,
  notKept: null,
  storedFingerprint: null,
  folderChoice: null,
};

export type DatasetLoadAction =
  | { type: 'start'; runId: string; source: string }
  /** A request refused before any worker ran (e.g. a 0-byte file). */
  | { type: 'rejected'; source: string; message: string }
  | DatasetEvent;

export function reduceDatasetLoad(state: DatasetLoadState, action: DatasetLoadAction): DatasetLoadState {
  switch (action.type) {
    case 'start':
      return { ...state, status: 'running', runId: action.runId, source: action.source, stage: null, progress: null, elapsedMs: 0, error: null, folderChoice: null };
    case 'rejected':
      return { ...state, status: 'error', runId: null, source: action.source, stage: null, progress: null, error: action.message };
    default:
      break;
  }
  if (action.runId !== state.runId) return state;
  switch (action.type) {
    case 'progress':
      return { ...state, stage: action.stage, progress: action.progress, elapsedMs: action.elapsedMs };
    case 'loaded':
      return {
        ...state,
        status: 'done',
        dataset: action.dataset,
        elapsedMs: action.dataset.loadMs,
        error: null,
        notKept: null,
        storedFingerprint: action.dataset.restoredMs !== undefined ? action.dataset.fingerprint : null,
      };
    case 'kept':
      return { ...state, storedFingerprint: action.fingerprint };
    case 'not-kept':
      return { ...state, notKept: action.message, storedFingerprint: null };
    case 'cancelled':
      return { ...state, status: 'cancelled', stage: null };
    case 'empty':
      return { ...state, status: 'idle', runId: null, source: null, stage: null };
    case 'error':
      return { ...state, status: 'error', stage: null, error: action.message, folderChoice: action.folderChoice ?? null };
    default:
      action satisfies never;
      return state;
  }
}

/** Throughput in MB/s (10^6 bytes per second), 0 before any time has passed. */
export function megabytesPerSecond(bytes: number, elapsedMs: number): number {
  return elapsedMs > 0 ? bytes / 1e3 / elapsedMs : 0;
}
