// Pure tfjs: turns a ClassifierBundle into a ready model and classifies standardised 48x48 faces. No DOM.
import * as tf from '@tensorflow/tfjs';
import { PIXELS } from '../dataset/face-format';
import { tenCropProbabilities } from '../evaluation/ten-crop';
import type { ClassifierBundle } from '../model-format/classifier-bundle';
import { INPUT_SHAPE, modelShapeProblem, standardizationProblem } from '../model-format/model-contract';

export interface Classifier {
  id: string;
  name: string;
  labels: readonly string[];
  mean: Float32Array;
  std: Float32Array;
  model: tf.LayersModel;
  /**
   * True when the model's last layer gives scores rather than probabilities (an imported model without a
   * softmax): predictions then apply one.
   */
  addsSoftmax: boolean;
}

/**
 * Loads a bundle's model and checks that it fits the face pipeline: input [batch, 48, 48, 1], one output
 * [batch, labels.length], statistics of 2304 values. Runs it once (a warm-up that also tells whether it ends
 * in a softmax). Caller disposes with disposeClassifier.
 * @throws Error naming the model and the problem.
 */
export async function loadClassifier(bundle: ClassifierBundle): Promise<Classifier> {
  const model = await tf.loadLayersModel(tf.io.fromMemory(bundle.artifacts));
  try {
    const problem = modelShapeProblem(model, bundle.labels.length) ?? standardizationProblem(bundle.mean, bundle.std);
    if (problem) throw new Error(`model "${bundle.name}" ${problem}`);
    // Warm-up on a mid-gray face; a softmax output is non-negative and sums to 1.
    const warm = tf.tidy(() => model.predict(tf.zeros([1, ...INPUT_SHAPE])) as tf.Tensor);
    const values = Array.from(await warm.data());
    warm.dispose();
    const sum = values.reduce((a, b) => a + b, 0);
    const addsSoftmax = Math.abs(sum - 1) > 1e-3 || values.some((v) => v < 0);
    return {
      id: bundle.id,
      name: bundle.name,
      labels: bundle.labels,
      mean: bundle.mean,
      std: bundle.std,
      model,
      addsSoftmax,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

export function disposeClassifier(classifier: Classifier): void {
  classifier.model.dispose();
}

/**
 * Class probabilities for n standardised faces.
 * @param inputs Float32Array, length n*2304, row-major 48x48 per face (see modelInput).
 * @param options.tenCrop average over ten crops of each face (corners and centre, each mirrored): 10 passes.
 * @returns Float32Array, length n*labels.length, row-major [n, classes] (caller owns it).
 */
export async function classifyFaces(classifier: Classifier, inputs: Float32Array, options: { tenCrop?: boolean } = {}): Promise<Float32Array> {
  const count = inputs.length / PIXELS;
  if (!Number.isInteger(count))
    throw new Error(`expected a multiple of ${PIXELS} input values, got ${inputs.length}`);
  if (count === 0) return new Float32Array(0);
  const probs = tf.tidy(() => {
    const predict = (faces: tf.Tensor4D) => {
      const out = classifier.model.predict(faces) as tf.Tensor2D;
      return classifier.addsSoftmax ? tf.softmax(out) : out;
    };
    const faces = tf.tensor4d(inputs, [count, ...INPUT_SHAPE]);
    return options.tenCrop ? tenCropProbabilities(faces, predict) : predict(faces);
  });
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/** Index of the largest value in row `row` of a [rows, classes] array. */
export function argMaxRow(values: Float32Array, classes: number, row: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (values[row * classes + c] > values[row * classes + best]) best = c;
  return best;
}
