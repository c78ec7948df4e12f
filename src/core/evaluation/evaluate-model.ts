// Pure tfjs: class probabilities of a model for many raw faces, in batches, with optional flip TTA.
// Runs in the evaluation worker and in Node tests; no DOM.
import * as tf from '@tensorflow/tfjs';
import { standardizeFace } from '../dataset/standardize';
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';
import { tenCropProbabilities } from './ten-crop';

/** Faces to classify. pixels: Uint8Array, length rows*2304, row-major 48x48 gray 0–255; labels: length rows. */
export interface EvaluationFaces {
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface PredictOptions {
  /** The MODEL's own standardisation (from its metadata), Float32Array(2304) each: x' = (x - mean) / std. */
  mean: Float32Array;
  std: Float32Array;
  /** Also classify each face mirrored left-right (test-time augmentation). */
  flip: boolean;
  /** Also classify ten crops of each face (corners and centre, each mirrored), averaged: 10 more passes. */
  tenCrop?: boolean;
  /** Faces per predict call (doubled internally with flip). */
  batchSize?: number;
  /** Checked between batches; an aborted signal throws its reason (an AbortError). */
  signal?: AbortSignal;
  /** After each batch: faces done so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface FacePredictions {
  classes: number;
  /** Float32Array(rows*classes), row-major [rows, classes] probabilities of the faces as they are. */
  probs: Float32Array;
  /** The same for the mirrored faces, or null without flip. */
  flippedProbs: Float32Array | null;
  /** Probabilities averaged over the ten crops, or null without tenCrop. */
  tenCropProbs: Float32Array | null;
}

/**
 * Writes faces [from, from+count) standardised into `out` (and, mirrored, into `out` after them when flip is
 * set; see standardizeFace).
 */
function standardizeBatch(faces: EvaluationFaces, from: number, count: number, options: PredictOptions, out: Float32Array): void {
  for (let r = 0; r < count; r++) {
    standardizeFace(faces.pixels, (from + r) * PIXELS, options, out, r * PIXELS);
    if (options.flip) standardizeFace(faces.pixels, (from + r) * PIXELS, options, out, (count + r) * PIXELS, true);
  }
}

/** True when a model's outputs are not probabilities (some negative, or rows not summing to 1). */
function needsSoftmax(values: Float32Array, classes: number): boolean {
  for (let r = 0; r < values.length / classes; r++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const v = values[r * classes + c];
      if (v < 0) return true;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-3) return true;
  }
  return false;
}

/**
 * Class probabilities for every face, in inference mode. Only one batch of faces is on the backend at a time
 * (batchSize x 2304 floats, twice that with flip); tensors are disposed per batch, so tf.memory() is flat after.
 * A model whose last layer gives scores instead of probabilities gets a softmax.
 * @param model input [batch, 48, 48, 1], output [batch, classes]; not disposed.
 */
export async function predictFaces(model: tf.LayersModel, faces: EvaluationFaces, options: PredictOptions): Promise<FacePredictions> {
  const total = faces.labels.length;
  if (faces.pixels.length !== total * PIXELS) throw new Error(`expected ${total}×${PIXELS} pixels for ${total} faces, got ${faces.pixels.length}`);
  if (options.mean.length !== PIXELS || options.std.length !== PIXELS) {
    throw new Error(`standardisation needs ${PIXELS} means and deviations, got ${options.mean.length} and ${options.std.length}`);
  }
  const classes = (model.outputs[0].shape as number[])[1];
  const batchSize = Math.max(1, options.batchSize ?? 128);
  const copies = options.flip ? 2 : 1;
  const probs = new Float32Array(total * classes);
  const flippedProbs = options.flip ? new Float32Array(total * classes) : null;
  const tenCropProbs = options.tenCrop ? new Float32Array(total * classes) : null;
  const scratch = new Float32Array(Math.min(batchSize, Math.max(1, total)) * PIXELS * copies);
  let softmax: boolean | null = null;

  for (let from = 0; from < total; from += batchSize) {
    options.signal?.throwIfAborted();
    const count = Math.min(batchSize, total - from);
    standardizeBatch(faces, from, count, options, scratch);
    const input = tf.tensor4d(scratch.subarray(0, count * copies * PIXELS), [count * copies, IMAGE_SIZE, IMAGE_SIZE, 1]);
    let values: Float32Array;
    let crops: Float32Array | null = null;
    try {
      values = await readAndDispose(tf.tidy(() => model.predict(input) as tf.Tensor));
      softmax ??= needsSoftmax(values, classes);
      if (softmax) values = softmaxRows(values, classes);
      if (tenCropProbs) {
        const plain = softmax;
        // The faces as they are (with flip, the mirrored copies follow them in `input`).
        const faces = tf.slice(input, 0, count);
        try {
          crops = await readAndDispose(
            tenCropProbabilities(faces, (views) => {
              const out = model.predict(views) as tf.Tensor2D;
              return plain ? tf.softmax(out) : out;
            }),
          );
        } finally {
          faces.dispose();
        }
      }
    } finally {
      input.dispose();
    }
    probs.set(values.subarray(0, count * classes), from * classes);
    flippedProbs?.set(values.subarray(count * classes, 2 * count * classes), from * classes);
    if (crops) tenCropProbs!.set(crops, from * classes);
    options.onProgress?.(from + count, total);
  }
  return { classes, probs, flippedProbs, tenCropProbs };
}

async function readAndDispose(tensor: tf.Tensor): Promise<Float32Array> {
  try {
    return (await tensor.data()) as Float32Array;
  } finally {
    tensor.dispose();
  }
}

/** Row-wise softmax of a row-major [rows, classes] array, in a new array. */
function softmaxRows(values: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let base = 0; base < values.length; base += classes) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, values[base + c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[base + c] = Math.exp(values[base + c] - max);
    for (let c = 0; c < classes; c++) out[base + c] /= sum;
  }
  return out;
}
