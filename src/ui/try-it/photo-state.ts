// Runs on the page: folds inference-worker events into the photo list of the "Try it" screen (pure, tested without a DOM).
import type { Box } from '../../core/face-crop/types';
import type { Saliency } from '../../core/inference/grad-cam';
import type { BackendInfo } from '../../workers/backend-choice';
import type { InferenceEvent, PhotoResult } from '../../workers/inference-protocol';

export interface SaliencyState {
  runId: string;
  /** Index of the face it is for. */
  face: number;
  value: Saliency | null;
  error: string | null;
}

export interface PhotoEntry {
  /** Stable id of the entry (runs come and go: a re-run with a box drawn by hand gets a new runId). */
  id: string;
  file: File;
  name: string;
  /** Object URL of the file, for the <img>. */
  url: string;
  /** The run whose events this entry shows; events of older runs are dropped. */
  runId: string;
  status: 'running' | 'done' | 'error';
  /** Regions of the current run (centre crop, a drawn box), or null when the detector finds the faces. */
  regions: Box[] | null;
  result: PhotoResult | null;
  error: string | null;
  /** 'app' when one of the app's own files failed to load (the photo is fine), else null. */
  errorFault: 'app' | null;
  /** Index of the face whose crop, bars and saliency are shown. */
  selected: number;
  saliency: SaliencyState | null;
}

export interface ModelInfo {
  modelId: string;
  name: string;
  backend: BackendInfo;
  loadMs: number;
  addsSoftmax: boolean;
}

export interface PhotoState {
  /** Newest first. */
  photos: PhotoEntry[];
  model: ModelInfo | null;
  /** Run id of the latest model load, so its failure is shown. */
  modelRunId: string | null;
  modelError: string | null;
}

export const initialPhotoState: PhotoState = { photos: [], model: null, modelRunId: null, modelError: null };

export type PhotoAction =
  | { type: 'add'; id: string; file: File; url: string; runId: string }
  | { type: 'rerun'; id: string; runId: string; regions: Box[] | null }
  | { type: 'remove'; id: string }
  | { type: 'select'; id: string; face: number }
  | { type: 'saliency-start'; id: string; face: number; runId: string }
  | { type: 'model-start'; runId: string }
  | InferenceEvent;

function update(
  state: PhotoState,
  match: (entry: PhotoEntry) => boolean,
  change: (entry: PhotoEntry) => PhotoEntry,
): PhotoState {
  let changed = false;
  const photos = state.photos.map((entry) => {
    if (!match(entry)) return entry;
    changed = true;
    return change(entry);
  });
  return changed ? { ...state, photos } : state;
}

export function reducePhotos(state: PhotoState, action: PhotoAction): PhotoState {
  switch (action.type) {
    case 'add': {
      const entry: PhotoEntry = {
        id: action.id,
        file: action.file,
        name: action.file.name,
        url: action.url,
        runId: action.runId,
        status: 'running',
        regions: null,
        result: null,
        error: null,
        errorFault: null,
        selected: 0,
        saliency: null,
      };
      return { ...state, photos: [entry, ...state.photos] };
    }
    case 'rerun':
      return update(
        state,
        (entry) => entry.id === action.id,
        (entry) => ({
          ...entry,
          runId: action.runId,
          regions: action.regions,
          status: 'running',
          error: null,
          errorFault: null,
          saliency: null,
          selected: 0,
        }),
      );
    case 'remove':
      return { ...state, photos: state.photos.filter((entry) => entry.id !== action.id) };
    case 'select':
      return update(
        state,
        (entry) => entry.id === action.id,
        (entry) => ({ ...entry, selected: action.face }),
      );
    case 'saliency-start':
      return update(
        state,
        (entry) => entry.id === action.id,
        (entry) => ({
          ...entry,
          saliency: { runId: action.runId, face: action.face, value: null, error: null },
        }),
      );
    case 'model-start':
      return { ...state, modelRunId: action.runId, modelError: null };
    case 'model':
      return {
        ...state,
        model: {
          modelId: action.modelId,
          name: action.name,
          backend: action.backend,
          loadMs: action.loadMs,
          addsSoftmax: action.addsSoftmax,
        },
        modelError: action.runId === state.modelRunId ? null : state.modelError,
      };
    case 'photo':
      return update(
        state,
        (entry) => entry.runId === action.runId,
        (entry) => ({
          ...entry,
          status: 'done',
          result: action.result,
          error: null,
          selected: 0,
          saliency: null,
        }),
      );
    case 'saliency':
      return update(
        state,
        (entry) => entry.saliency?.runId === action.runId,
        (entry) => ({ ...entry, saliency: { ...entry.saliency!, value: action.saliency } }),
      );
    case 'error': {
      if (action.runId !== null && action.runId === state.modelRunId)
        return { ...state, modelError: action.message };
      const photoRun = update(
        state,
        (entry) => entry.runId === action.runId,
        (entry) => ({ ...entry, status: 'error', error: action.message, errorFault: action.fault ?? null }),
      );
      if (photoRun !== state) return photoRun;
      return update(
        state,
        (entry) => entry.saliency !== null && entry.saliency.runId === action.runId,
        (entry) => ({ ...entry, saliency: { ...entry.saliency!, error: action.message } }),
      );
    }
    case 'frame':
      return state; // webcam frames are the webcam panel's
    default:
      action satisfies never;
      return state;
  }
}

/** Photos whose selected face has no saliency map yet (or one for another face): the hook requests these. */
export function photosNeedingSaliency(state: PhotoState): PhotoEntry[] {
  return state.photos.filter(
    (entry) =>
      entry.status === 'done' &&
      entry.result !== null &&
      entry.result.faces.length > 0 &&
      (entry.saliency === null || entry.saliency.face !== entry.selected),
  );
}
