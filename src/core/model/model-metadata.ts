// Pure description of a saved model: what it is, how it was trained, how to feed it. No DOM.
// Stored next to the weights in IndexedDB and exported as metadata.json beside model.json.
import type { SplitOptions } from '../dataset/splits';
import type { EvaluationSplit, ModelEvaluation } from '../evaluation/types';
import type { ArchitectureName } from './architectures';
import type { TrainConfig } from './train-config';
import type { EpochMetrics, StopReason } from './training-loop';

export const MODEL_FORMAT = 'fer-trainer-model';
export const MODEL_FORMAT_VERSION = 1;

export interface ModelMetadata {
  format: typeof MODEL_FORMAT;
  formatVersion: typeof MODEL_FORMAT_VERSION;
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  architecture: ArchitectureName;
  params: number;
  flopsPerImage: number;
  /** Class names in output order. */
  labels: string[];
  /** [48, 48, 1]: standardised gray faces. */
  inputShape: number[];
  /** Per-pixel standardisation the model expects: x' = (x - mean) / std, 2304 numbers each. */
  standardization: { mean: number[]; std: number[]; rows: number; scope: 'training' | 'all' };
  dataset: { name: string; fingerprint: string; rows: number; synthetic: boolean; split: SplitOptions };
  training: {
    config: TrainConfig;
    history: EpochMetrics[];
    epochsRun: number;
    bestEpoch: number;
    bestValAccuracy: number;
    stopReason: StopReason;
    backend: string;
    durationMs: number;
  } | null;
  /** Size of the weights in bytes. */
  weightBytes: number;
  /** The latest evaluation on each held-out split (Evaluate screen); absent until evaluated. */
  evaluation?: Partial<Record<EvaluationSplit, ModelEvaluation>>;
  /** Set when the model came in from exported files (Models screen import). */
  imported?: { files: string[]; importedAt: string };
}
