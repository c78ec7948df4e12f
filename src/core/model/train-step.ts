// Pure tfjs training arithmetic shared by the training worker, the Node CLI and the benchmarks. No DOM.
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../emotions';

/** Keras' epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
const EPSILON = 1e-7;

/**
 * Mean (optionally class-weighted) categorical cross-entropy of softmax outputs.
 * @param probs [batch, 7] probabilities; labels [batch] int32 class indices;
 * @param classWeights [7] weight per class, or null for 1s (Keras class_weight semantics: a weighted mean
 *   normalised by the batch size, not by the sum of weights).
 * @param labelSmoothing s: the target is (1 - s) * one-hot + s / 7 (Keras' label_smoothing).
 */
export function crossEntropy(probs: tf.Tensor2D, labels: tf.Tensor1D, classWeights: tf.Tensor1D | null, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labels, NUM_CLASSES);
    const target = labelSmoothing > 0 ? tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / NUM_CLASSES) : oneHot;
    const perSample = tf.neg(tf.sum(tf.mul(target, tf.log(tf.clipByValue(probs, EPSILON, 1 - EPSILON))), 1));
    const weighted = classWeights ? tf.mul(perSample, tf.gather(classWeights, labels)) : perSample;
    return tf.mean(weighted) as tf.Scalar;
  });
}

/** Number of rows whose highest probability is the true class. probs [batch, 7], labels [batch]. */
export function countCorrect(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32')) as tf.Scalar);
}

/** Sum of the model's weight-regularisation penalties (e.g. the seed net's L2 0.01), or null when none. */
function regularizationLoss(model: tf.LayersModel): tf.Scalar | null {
  const penalties = model.calculateLosses();
  return penalties.length === 0 ? null : (tf.addN(penalties) as tf.Scalar);
}

export interface StepTensors {
  /** Loss including regularisation, as a scalar tensor; caller disposes. */
  loss: tf.Scalar;
  /** Correct predictions in the batch (float32 scalar); caller disposes. */
  correct: tf.Scalar;
}

/**
 * One optimisation step on a batch: forward in training mode (dropout on, BatchNorm on batch statistics
 * and updating its moving averages), loss, gradients, optimizer update.
 * @param xs [batch, 48, 48, 1] standardised faces; labels [batch] int32.
 * @returns loss and correct count as tensors, so the caller decides when to sync (reading them waits for the
 *   device). Inputs are not disposed.
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor4D,
  labels: tf.Tensor1D,
  classWeights: tf.Tensor1D | null = null,
  labelSmoothing = 0,
): StepTensors {
  let correct: tf.Scalar | null = null;
  const loss = optimizer.minimize(
    () => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.keep(countCorrect(probs, labels));
      const data = crossEntropy(probs, labels, classWeights, labelSmoothing);
      const penalty = regularizationLoss(model);
      return penalty ? tf.add(data, penalty) : data;
    },
    true,
    model.trainableWeights.map((weight) => weight.read() as tf.Variable),
  ) as tf.Scalar;
  return { loss, correct: correct! };
}

/**
 * Class probabilities for many faces in batches, in inference mode.
 * @param xs [n, 48, 48, 1]; returns [n, 7] (caller disposes). xs is not disposed.
 */
export function predictBatched(model: tf.LayersModel, xs: tf.Tensor4D, batchSize = 256): tf.Tensor2D {
  return tf.tidy(() => {
    const n = xs.shape[0];
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(model.predict(tf.slice(xs, [start, 0, 0, 0], [size, -1, -1, -1])) as tf.Tensor2D);
    }
    return parts.length === 1 ? parts[0] : tf.concat(parts, 0);
  });
}
