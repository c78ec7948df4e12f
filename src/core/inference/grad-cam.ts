// Pure tfjs saliency for one face: Grad-CAM on a late convolutional layer, or the input gradient. No DOM.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';
import type { Classifier } from './classifier';

/** Coarser maps than this (e.g. the seed net's 2x2 after its last pool) say little about where on the face. */
export const MIN_CAM_SIZE = 6;

export interface Saliency {
  /** Float32Array(2304), row-major 48x48, 0–1: how much each region raised the class's log-probability. */
  heat: Float32Array;
  method: 'grad-cam' | 'gradient';
  /** The layer Grad-CAM used, e.g. "re_lu_ReLU6", or null for the input gradient. */
  layerName: string | null;
  /** Size of that layer's maps before upsampling to 48x48 (48 for the input gradient). */
  mapSize: number;
}

type SymbolicTensor = tf.SymbolicTensor;

/** The layer's output shape as a plain array (single-output layers only). */
function outputShape(layer: tf.layers.Layer): (number | null)[] {
  const shape = layer.outputShape;
  return (Array.isArray(shape[0]) ? shape[0] : shape) as (number | null)[];
}

/**
 * Layers whose 4-D output could carry a Grad-CAM, most useful first: the last ones with maps of at least
 * MIN_CAM_SIZE, then the very last 4-D layer (coarser, but its gradient needs only pooling and dense kernels).
 */
export function camCandidates(model: tf.LayersModel): tf.layers.Layer[] {
  const spatial = model.layers.filter((layer) => {
    const shape = outputShape(layer);
    return shape.length === 4 && layer.getClassName() !== 'InputLayer';
  });
  const large = spatial.filter((layer) => (outputShape(layer)[1] ?? 0) >= MIN_CAM_SIZE);
  const picks = [large[large.length - 1], spatial[spatial.length - 1]].filter(
    (layer): layer is tf.layers.Layer => layer !== undefined,
  );
  return [...new Set(picks)];
}

/**
 * Runs the model layer by layer on a concrete input (inference mode), so any intermediate output can be
 * read, or replaced by `override` — tf.grad can then differentiate with respect to it. Works for
 * Sequential and functional (DAG) models built from single-output layers.
 * @param known values already computed by an earlier pass: layers none of whose inputs depend on `override`
 *   reuse them instead of running again.
 * @returns every symbolic tensor's value. Tensors are tracked by the caller's tf.tidy.
 */
function runLayers(
  model: tf.LayersModel,
  input: tf.Tensor,
  override?: { tensor: SymbolicTensor; value: tf.Tensor; known: Map<SymbolicTensor, tf.Tensor> },
): Map<SymbolicTensor, tf.Tensor> {
  const values = new Map<SymbolicTensor, tf.Tensor>([[model.inputs[0], input]]);
  const dirty = new Set<SymbolicTensor>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const node = layer.inboundNodes.find((n) => n.inputTensors.every((t) => values.has(t)));
    if (!node) throw new Error(`cannot trace layer ${layer.name}: an input comes from outside the model`);
    const output = node.outputTensors[0];
    const dependsOnOverride = override !== undefined && node.inputTensors.some((t) => dirty.has(t));
    if (override && output === override.tensor) {
      values.set(output, override.value);
      dirty.add(output);
      continue;
    }
    if (override && !dependsOnOverride && override.known.has(output)) {
      values.set(output, override.known.get(output)!);
      continue;
    }
    const inputs = node.inputTensors.map((t) => values.get(t)!);
    values.set(
      output,
      layer.apply(inputs.length === 1 ? inputs[0] : inputs, { training: false }) as tf.Tensor,
    );
    if (dependsOnOverride) dirty.add(output);
  }
  return values;
}

/** log p(class) of a [1, classes] output, applying the softmax the model lacks if needed. */
function logProbability(classifier: Classifier, output: tf.Tensor, classIndex: number): tf.Scalar {
  const logProbs = classifier.addsSoftmax ? tf.logSoftmax(output) : tf.log(tf.add(output, 1e-7));
  return tf.squeeze(tf.slice(logProbs, [0, classIndex], [1, 1])) as tf.Scalar;
}

/** Rescales a [h, w] map to 48x48 (bilinear) and to 0–1 by its maximum (all zeros stay zeros). */
function toHeat(map: tf.Tensor2D): tf.Tensor2D {
  const [height, width] = map.shape;
  const resized =
    height === IMAGE_SIZE && width === IMAGE_SIZE
      ? map
      : (tf.squeeze(
          tf.image.resizeBilinear(tf.reshape(map, [height, width, 1]) as tf.Tensor3D, [
            IMAGE_SIZE,
            IMAGE_SIZE,
          ]),
          [2],
        ) as tf.Tensor2D);
  const max = tf.max(resized);
  return tf.where(
    tf.greater(max, 0),
    tf.div(resized, tf.maximum(max, 1e-12)),
    tf.zerosLike(resized),
  ) as tf.Tensor2D;
}

/**
 * Grad-CAM (Selvaraju et al. 2017): weights each map of a late conv layer by the mean gradient of the class's
 * log-probability over that map, sums, keeps the positive part, upsamples to 48x48. The log-probability
 * (rather than the raw score) works for any model, with or without a final softmax layer, and shows what
 * favours this class over the others.
 */
function gradCam(
  classifier: Classifier,
  layer: tf.layers.Layer,
  input: Float32Array,
  classIndex: number,
): Saliency {
  const { model } = classifier;
  const heat = tf.tidy(() => {
    const x = tf.tensor4d(input, [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
    const known = runLayers(model, x);
    const target = layer.inboundNodes.map((n) => n.outputTensors[0]).find((t) => known.has(t));
    if (!target) throw new Error(`layer ${layer.name} is not on the model's path`);
    const activation = known.get(target)!; // [1, h, w, k]
    const score = (a: tf.Tensor) => {
      const values = runLayers(model, x, { tensor: target, value: a, known });
      return logProbability(classifier, values.get(model.outputs[0])!, classIndex);
    };
    const gradients = tf.grad(score)(activation); // [1, h, w, k]
    const weights = tf.mean(gradients, [1, 2], true); // [1, 1, 1, k]
    const cam = tf.relu(tf.sum(tf.mul(activation, weights), 3)); // [1, h, w]
    return toHeat(tf.squeeze(cam, [0]) as tf.Tensor2D);
  });
  try {
    return {
      heat: heat.dataSync() as Float32Array,
      method: 'grad-cam',
      layerName: layer.name,
      mapSize: outputShape(layer)[1] ?? 0,
    };
  } finally {
    heat.dispose();
  }
}

/** |d log p(class) / d pixel|: the plain gradient map, for models without a usable conv layer. */
function inputGradient(classifier: Classifier, input: Float32Array, classIndex: number): Saliency {
  const heat = tf.tidy(() => {
    const x = tf.tensor4d(input, [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
    const gradient = tf.grad((image: tf.Tensor) =>
      logProbability(classifier, classifier.model.apply(image, { training: false }) as tf.Tensor, classIndex),
    )(x);
    return toHeat(tf.reshape(tf.abs(gradient), [IMAGE_SIZE, IMAGE_SIZE]) as tf.Tensor2D);
  });
  try {
    return {
      heat: heat.dataSync() as Float32Array,
      method: 'gradient',
      layerName: null,
      mapSize: IMAGE_SIZE,
    };
  } finally {
    heat.dispose();
  }
}

/**
 * Saliency of one standardised face for one class: Grad-CAM on the best conv layer that works on the
 * current backend (some backends lack a gradient kernel a deeper layer needs), else the input gradient.
 * @param input Float32Array(2304), standardised; classIndex usually the predicted class.
 */
export function faceSaliency(classifier: Classifier, input: Float32Array, classIndex: number): Saliency {
  if (input.length !== PIXELS) throw new Error(`expected ${PIXELS} input values, got ${input.length}`);
  let lastError: unknown = null;
  for (const layer of camCandidates(classifier.model)) {
    try {
      return gradCam(classifier, layer, input, classIndex);
    } catch (error) {
      lastError = error; // e.g. "Kernel '...' not registered for backend 'wasm'": try a later layer
    }
  }
  try {
    return inputGradient(classifier, input, classIndex);
  } catch (error) {
    throw new Error(
      `saliency failed: ${error instanceof Error ? error.message : String(error)}${lastError ? ` (Grad-CAM: ${String(lastError)})` : ''}`,
      { cause: error },
    );
  }
}
