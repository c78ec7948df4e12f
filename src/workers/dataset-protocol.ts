// Message types of the dataset worker (parses a CSV or image folders, or generates the demo set), both
// directions. Types only: both sides use `import type`, except isFinalDatasetEvent.
import type { ParseProgress } from '../core/csv/parse-fer-blob';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import type { DemoOptions } from '../core/demo/synthetic-faces';
import type { LabelMapping } from '../core/labels/mapping';


/** A file of a dragged folder, with its path inside what was dropped ('faces/train/happy/1.jpg'). */
export interface FolderFile {
  path: string;
  file: Blob;
}

export type DatasetRequest =
  /** A CSV (plain or packed) or a ZIP of image folders; skipFolders: class folders the user agreed to leave out. */
  | { type: 'parse'; runId: string; file: Blob; name: string; skipFolders?: string[] }
  /** A dragged or picked folder of images in class folders. */
  | { type: 'folder'; runId: string; files: FolderFile[]; name: string; skipFolders?: string[] }
  | { type: 'demo'; runId: string; options: DemoOptions }
  /** Bring back the data set loaded last time (kept in IndexedDB). */
  | { type: 'restore'; runId: string }
  /**
   * The page's data set (a copy: structured-cloned, not transferred, so the page keeps it if this fails) with
   * its source classes merged or some left out by `mapping`, or as in the file (null). Answered like a load:
   * 'loaded' (a new fingerprint), then 'kept' or 'not-kept'.
   */
  | { type: 'remap'; runId: string; dataset: LoadedDataset; mapping: LabelMapping | null };

export type DatasetStage = 'reading' | 'decoding' | 'generating' | 'standardising';

export type DatasetEvent =
  | { type: 'progress'; runId: string; stage: DatasetStage; progress: ParseProgress; elapsedMs: number }
  /** dataset's typed arrays are transferred. */
  | { type: 'loaded'; runId: string; dataset: LoadedDataset }
  /** The loaded data set is in the browser's storage (after 'loaded'): workers may read it there by fingerprint. */
  | { type: 'kept'; runId: string; fingerprint: string }
  /** The loaded data set could not be stored for the next visit (after 'loaded'; the data set is in use). */
  | { type: 'not-kept'; runId: string; message: string }
  /** restore found nothing stored. */
  | { type: 'empty'; runId: string }
  /** Sent by the client when it stops a run (the worker is terminated, so it cannot say so itself). */
  | { type: 'cancelled'; runId: string }
  /** unknownFolders: class folders not named after an emotion; loading again with them in skipFolders goes on. */
  | { type: 'error'; runId: string | null; message: string; unknownFolders?: { folder: string; files: number }[] };

/** Whether the run of `event` is over after it (a new message type must say so: the switch is exhaustive). */
export function isFinalDatasetEvent(event: DatasetEvent): boolean {
  switch (event.type) {
    case 'loaded':
    case 'empty':
    case 'cancelled':
    case 'error':
      return true;
    case 'progress':
    case 'kept':
    case 'not-kept':
      return false;
    default:
      return event satisfies never;
  }
}
