// Pure types of an evaluation result as stored in a model's metadata and exported with it. No DOM.
import type { ConfusionMatrix } from './metrics';

/**
 * Which held-out rows: 'test' is PrivateTest under the Usage split (the seed split's test rows otherwise),
 * 'validation' is PublicTest (the seed split's validation rows).
 */
export type EvaluationSplit = 'test' | 'validation';
export const EVALUATION_SPLITS: readonly EvaluationSplit[] = ['test', 'validation'];

/** A compact, JSON-safe record of one evaluation; per-class metrics are derived from the matrices. */
export interface ModelEvaluation {
  split: EvaluationSplit;
  /** How the rows were chosen, for people: "PrivateTest (Usage split)", "seed split test rows (seed 42)". */
  splitLabel: string;
  dataset: { name: string; fingerprint: string };
  rows: number;
  accuracy: number;
  /** [true][predicted] counts, labels.length square, summing to rows. */
  confusion: ConfusionMatrix;
  /** Test-time augmentation (original + horizontal flip, probabilities averaged), when it was run. */
  tta: { accuracy: number; confusion: ConfusionMatrix } | null;
  /** Ten-crop TTA (corners and centre, each mirrored, averaged), when it was run; absent in older records. */
  tenCrop?: { accuracy: number; confusion: ConfusionMatrix } | null;
  /** ISO 8601. */
  evaluatedAt: string;
  durationMs: number;
  /** tfjs backend that ran it. */
  backend: string;
  /**
   * Set when the data set listed the model's classes in another order: its class names in that order (its
   * labels were matched to the model's classes by name; the matrices are in the model's order).
   */
  dataLabels?: string[];
}
