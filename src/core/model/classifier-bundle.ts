// Pure types for handing a trained classifier to whoever runs it (inference worker, evaluation). No DOM.
import type * as tf from '@tensorflow/tfjs';

/**
 * Everything needed to classify faces with a saved model, in a form that can be posted to a worker:
 * the tfjs layers-model artifacts (topology + weight specs + weight bytes) and the standardisation the
 * model was trained with. Faces must be standardised with exactly these statistics.
 */
export interface ClassifierBundle {
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
