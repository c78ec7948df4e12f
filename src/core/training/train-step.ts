// Pure tfjs training arithmetic shared by the training worker, the Node CLI and the benchmarks. No DOM.
import * as tf from '@tensorflow/tfjs';

/** Keras' epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
const EPSILON = 1e-7;

/**
 * Per-face targets other than one-hot labels (crowd votes: FER+'s cross-entropy, probability and multi-target
 * modes). targets: [batch, classes], each row a distribution (multi-target: the set of accepted classes, any
 * positive weights).
 */
export interface SoftTargets {
  targets: tf.Tensor2D;
  /** FER+'s multi-target loss: -log of the highest probability among the accepted classes. */
  multiTarget: boolean;
}

/**
 * Mean (optionally class-weighted) categorical cross-entropy of softmax outputs.
 * @param probs [batch, classes] probabilities; labels [batch] int32 class indices (the hard label, used when
 *   `soft` is null);
 * @param classWeights [classes] weight per class, or null for 1s (Keras class_weight semantics: a weighted mean
 *   normalised by the batch size, not by the sum of weights); with soft targets a face weighs the targets'
 *   mix of its class weights.
 * @param labelSmoothing s: the target is (1 - s) * target + s / classes (Keras' label_smoothing); not applied
 *   to multi-target.
 * @param soft per-face target distributions instead of one-hot labels.
 */
export function crossEntropy(
  probs: tf.Tensor2D,
  labels: tf.Tensor1D,
  classWeights: tf.Tensor1D | null,
  labelSmoothing = 0,
  soft: SoftTargets | null = null,
): tf.Scalar {
  return tf.tidy(() => {
    const classes = probs.shape[1];
    const clipped = tf.clipByValue(probs, EPSILON, 1 - EPSILON);
    const hard = soft ? soft.targets : tf.oneHot(labels, classes);
    let perSample: tf.Tensor1D;
    if (soft?.multiTarget) {
      perSample = tf.neg(tf.log(tf.max(tf.mul(tf.cast(tf.greater(hard, 0), 'float32'), clipped), 1)));
    } else {
      const target = labelSmoothing > 0 ? tf.add(tf.mul(hard, 1 - labelSmoothing), labelSmoothing / classes) : hard;
      perSample = tf.neg(tf.sum(tf.mul(target, tf.log(clipped)), 1));
    }
    if (!classWeights) return tf.mean(perSample) as tf.Scalar;
    const weights = soft ? tf.sum(tf.mul(soft.targets, classWeights), 1) : tf.gather(classWeights, labels);
    return tf.mean(tf.mul(perSample, weights)) as tf.Scalar;
  });
}

/** Number of rows whose highest probability is the true class. probs [batch, classes], labels [batch]. */
export function countCorrect(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, 1), labels), 'float32')) as tf.Scalar);
}

/**
 * Sum of the model's weight-regularisation penalties (e.g. the seed net's L2 0.01), or null when none.
 * IMPORTANT: added one at a time, not with tf.addN: tfjs-backend-webgpu 4.22 runs AddN as one shader with a
 * storage buffer per input, and Mini-Xception's 18 penalties exceed WebGPU's default 8 per stage, so the
 * pipeline was invalid and the whole command buffer of the step was dropped (weights silently wrong;
 * e2e/backend-agreement.spec.ts). Same float32 sum, in the same order, as addN on the CPU and WASM backends.
 */
function regularizationLoss(model: tf.LayersModel): tf.Scalar | null {
  const penalties = model.calculateLosses();
  return penalties.length === 0 ? null : (penalties.reduce((sum, penalty) => tf.add(sum, penalty)) as tf.Scalar);
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
 * @param xs [batch, 48, 48, 1] standardised faces; labels [batch] int32 (accuracy counts against these);
 *   soft: per-face targets for the loss instead of the labels.
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
  soft: SoftTargets | null = null,
): StepTensors {
  let correct: tf.Scalar | null = null;
  const loss = optimizer.minimize(
    () => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.keep(countCorrect(probs, labels));
      const data = crossEntropy(probs, labels, classWeights, labelSmoothing, soft);
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
 * @param xs [n, 48, 48, 1]; returns [n, classes] (caller disposes). xs is not disposed.
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
