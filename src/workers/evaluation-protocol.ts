// Message types of the evaluation worker, both directions. Types only: both sides use `import type`, except
// isFinalEvaluationEvent.
import type { EvaluationSplit, ModelEvaluation } from '../core/evaluation/types';
import type { ModelMetadata } from '../core/model-format/model-metadata';
import type { BackendInfo, BackendPreference } from './backend-choice';

/** Held-out faces to evaluate on: copies made for the worker, transferred (unusable on the page after). */
export interface EvaluationData {
  split: EvaluationSplit;
  /** For people and the stored record: "PrivateTest (Usage split)". */
  splitLabel: string;
  dataset: { name: string; fingerprint: string };
  /** Uint8Array, length rows*2304, row-major 48x48 gray levels 0–255. */
  pixels: Uint8Array;
  /** Uint8Array, length rows: true class index into labelNames. */
  labels: Uint8Array;
  /**
   * The data set's class names, in label order. The model must know the same classes: in its own order the
   * labels are used as they are, in another order they are matched by name, otherwise the evaluation is refused.
   */
  labelNames: string[];
}

/** A dropped file: its name and contents (File objects are structured-cloned, not copied into memory). */
export interface ImportFile {
  name: string;
  data: Blob;
}

export type EvaluationRequest =
  /** Evaluates the saved model `modelId` (read from IndexedDB, with its own standardisation) on `data`. */
  | { type: 'evaluate'; runId: string; modelId: string; data: EvaluationData; tta: boolean; tenCrop?: boolean; backend: BackendPreference }
  /** Stops an evaluation after its current batch. */
  | { type: 'cancel'; runId: string }
  /** Reads exported files (model.json + weights + metadata.json, or one .zip), checks and saves them as a model. */
  | { type: 'import'; runId: string; files: ImportFile[] };

export interface EvaluationOutcome {
  modelId: string;
  /** What was stored in the model's metadata (evaluation[split]). */
  evaluation: ModelEvaluation;
  /** The model's class names, in output order. */
  labels: string[];
  /** Float32Array, length rows*labels.length, row-major: probabilities of the faces as they are (transferred). */
  probs: Float32Array;
  /** Original and mirrored probabilities averaged (TTA), or null when TTA was off (transferred). */
  ttaProbs: Float32Array | null;
  /** Probabilities averaged over ten crops, or null when ten-crop was off (transferred). */
  tenCropProbs: Float32Array | null;
  /** False when the model was deleted while it was being evaluated, so nothing could be stored. */
  saved: boolean;
}

export type EvaluationEvent =
  | { type: 'backend'; runId: string; info: BackendInfo }
  /** Faces classified so far (throttled to ~10 a second; the last one always comes). */
  | { type: 'progress'; runId: string; done: number; total: number; elapsedMs: number }
  | { type: 'done'; runId: string; outcome: EvaluationOutcome }
  | { type: 'imported'; runId: string; meta: ModelMetadata }
  | { type: 'cancelled'; runId: string }
  | { type: 'error'; runId: string | null; message: string };

/** Whether the run of `event` is over after it (a new message type must say so: the switch is exhaustive). */
export function isFinalEvaluationEvent(event: EvaluationEvent): boolean {
  switch (event.type) {
    case 'done':
    case 'imported':
    case 'cancelled':
    case 'error':
      return true;
    case 'backend':
    case 'progress':
      return false;
    default:
      return event satisfies never;
  }
}
