// Pure types for handing a trained classifier to whoever runs it (inference worker, evaluation). No DOM.
import type * as tf from '@tensorflow/tfjs';

/**
 * Everything needed to classify faces with a saved model, in a form that can be posted to a worker:
 * the tfjs layers-model artifacts (topology + weight specs + weight bytes) and the standardisation the
 * model was trained with. Faces must be standardised with exactly these statistics.
 */
/** What the page knows of a classifier: which saved model, its name and classes (the worker reads the rest). */
export interface ClassifierRef {
  /** Stable id of the saved model (its key in the model store). */
  id: string;
  /** Name shown to the user. */
  name: string;
  /** Class names in output order. */
  labels: readonly string[];
  /** One CSS colour per class (the model's label set), or absent for the default palette. */
  colors?: readonly string[];
}

export interface ClassifierBundle extends ClassifierRef {
  /** Stable id of the saved model (its key in the model store). */
  id: string;
  /** Name shown to the user. */
  name: string;
  artifacts: tf.io.ModelArtifacts;
  /** Per-pixel mean and std, Float32Array(2304) each, row-major 48x48. */
  mean: Float32Array;
  std: Float32Array;
  /** Class names in output order (EMOTIONS for models trained here). */
  labels: readonly string[];
}
