// Pure per-batch data augmentation, run on the tfjs backend (GPU, WASM or CPU). No DOM.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../dataset/face-format';

export interface AugmentOptions {
  /** Mirror left-right with probability 1/2. */
  flip: boolean;
  /** Largest shift, as a fraction of the image size (0.1 = ±4.8 px). */
  maxShift: number;
  /** Largest rotation in degrees, either way. */
  maxRotationDeg: number;
  /** Largest zoom in or out, as a fraction (0.1 = 0.9×–1.1×). */
  maxZoom: number;
  /**
   * Random erasing (Zhong et al., 2017): the probability that a face gets one rectangle of 2–40 % of its area,
   * aspect 0.3–3.3, set to 0 (the mean, in standardised units). Absent (as in runs stored before it) = 0.
   */
  erase?: number;
}

/** Keras ImageDataGenerator-like defaults that suit 48x48 faces. */
export const defaultAugmentOptions: AugmentOptions = { flip: true, maxShift: 0.1, maxRotationDeg: 10, maxZoom: 0.1 };

export const NO_AUGMENTATION: AugmentOptions = { flip: false, maxShift: 0, maxRotationDeg: 0, maxZoom: 0 };

/**
 * One transform per face (tf.image.transform's layout): 8 numbers mapping each output pixel (x, y)
 * (x = column) to the input point it samples, (a0 x + a1 y + a2, b0 x + b1 y + b2). The map is
 * input = c + A (output - c) + t about the image centre c, with A = rotate(θ) · scale(1/zoom) · flip.
 * @returns Float32Array of length batch*8.
 */
export function augmentationMatrices(batch: number, options: AugmentOptions, random: () => number): Float32Array {
  const out = new Float32Array(batch * 8);
  const centre = (IMAGE_SIZE - 1) / 2;
  const uniform = () => random() * 2 - 1;
  for (let i = 0; i < batch; i++) {
    const flip = options.flip && random() < 0.5 ? -1 : 1;
    const angle = (uniform() * options.maxRotationDeg * Math.PI) / 180;
    const zoom = 1 + uniform() * options.maxZoom;
    const shiftX = uniform() * options.maxShift * IMAGE_SIZE;
    const shiftY = uniform() * options.maxShift * IMAGE_SIZE;
    const cos = Math.cos(angle) / zoom;
    const sin = Math.sin(angle) / zoom;
    const a0 = cos * flip;
    const a1 = -sin;
    const b0 = sin * flip;
    const b1 = cos;
    out.set([a0, a1, centre - a0 * centre - a1 * centre + shiftX, b0, b1, centre - b0 * centre - b1 * centre + shiftY, 0, 0], i * 8);
  }
  return out;
}

/** True when the geometric options (flip, shift, rotation, zoom) change images at all. */
export function warps(options: AugmentOptions): boolean {
  return options.flip || options.maxShift > 0 || options.maxRotationDeg > 0 || options.maxZoom > 0;
}

/** True when the options change images at all. */
export function augments(options: AugmentOptions): boolean {
  return warps(options) || (options.erase ?? 0) > 0;
}

/** Random erasing's area (fraction of the face) and aspect (height / width) ranges, as in Zhong et al. */
const ERASE_AREA = [0.02, 0.4] as const;
const ERASE_ASPECT = [0.3, 1 / 0.3] as const;

/**
 * Per-pixel keep masks for random erasing: each face, with probability `probability`, gets one rectangle of
 * zeros (a drawn area and aspect, redrawn until it fits, at most 10 times; then that face is kept whole).
 * @returns Float32Array(batch*48*48) of 1 (keep) and 0 (erased), row-major per face.
 */
export function erasingMasks(batch: number, probability: number, random: () => number): Float32Array {
  const pixels = IMAGE_SIZE * IMAGE_SIZE;
  const masks = new Float32Array(batch * pixels).fill(1);
  const between = ([low, high]: readonly [number, number]) => low + random() * (high - low);
  for (let i = 0; i < batch; i++) {
    if (random() >= probability) continue;
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = between(ERASE_AREA) * pixels;
      const aspect = Math.exp(between([Math.log(ERASE_ASPECT[0]), Math.log(ERASE_ASPECT[1])]));
      const height = Math.round(Math.sqrt(area * aspect));
      const width = Math.round(Math.sqrt(area / aspect));
      if (height < 1 || width < 1 || height >= IMAGE_SIZE || width >= IMAGE_SIZE) continue;
      const top = Math.floor(random() * (IMAGE_SIZE - height + 1));
      const left = Math.floor(random() * (IMAGE_SIZE - width + 1));
      for (let y = top; y < top + height; y++) masks.fill(0, i * pixels + y * IMAGE_SIZE + left, i * pixels + y * IMAGE_SIZE + left + width);
      break;
    }
  }
  return masks;
}

/**
 * Samples each face at its transformed coordinates with bilinear interpolation, edges extended ('nearest').
 * We do this with gathers rather than tf.image.transform because tfjs 4.22's CPU Transform kernel returns
 * after the first image of a batch (its `return` sits inside the batch loop), leaving the rest zero.
 * @param xs [batch, 48, 48, 1]; matrices Float32Array(batch*8) as from augmentationMatrices.
 * @returns [batch, 48, 48, 1]; caller disposes.
 */
export function affineWarp(xs: tf.Tensor4D, matrices: Float32Array): tf.Tensor4D {
  return tf.tidy(() => {
    const batch = xs.shape[0];
    const size = IMAGE_SIZE;
    const pixels = size * size;
    const m = tf.tensor2d(matrices, [batch, 8]);
    const column = (k: number) => tf.slice(m, [0, k], [batch, 1]); // [batch, 1]
    const grid = tf.range(0, pixels, 1, 'int32');
    const outX = tf.cast(tf.mod(grid, size), 'float32').reshape([1, pixels]);
    const outY = tf.cast(tf.floorDiv(grid, size), 'float32').reshape([1, pixels]);
    const limit = size - 1;
    // IMPORTANT: minimum(maximum()), not clipByValue: on tfjs-backend-webgl 4.22, for a batch of one face (these
    // [1, 2304] coordinates, broadcast from [1, 1] columns) clipByValue let values past the edge through (48.9 for
    // a limit of 47), apparently because its packed shader passes a whole texel through when any of its four
    // values, padding included, is NaN: the gathers then read the wrong pixels (e2e/backend-agreement.spec.ts
    // found it; the last batch of an epoch can hold one face). The same numbers on every backend.
    const clip = (v: tf.Tensor) => tf.minimum(tf.maximum(v, 0), limit);
    const inX = clip(tf.add(tf.add(tf.mul(column(0), outX), tf.mul(column(1), outY)), column(2)));
    const inY = clip(tf.add(tf.add(tf.mul(column(3), outX), tf.mul(column(4), outY)), column(5)));
    const x0 = tf.floor(inX);
    const y0 = tf.floor(inY);
    const wx = tf.sub(inX, x0);
    const wy = tf.sub(inY, y0);
    const x1 = tf.minimum(tf.add(x0, 1), limit);
    const y1 = tf.minimum(tf.add(y0, 1), limit);
    const base = tf.mul(tf.range(0, batch, 1, 'float32').reshape([batch, 1]), pixels);
    const flat = tf.reshape(xs, [batch * pixels]);
    const at = (y: tf.Tensor, x: tf.Tensor) => tf.gather(flat, tf.cast(tf.add(base, tf.add(tf.mul(y, size), x)), 'int32'));
    const top = tf.add(tf.mul(at(y0, x0), tf.sub(1, wx)), tf.mul(at(y0, x1), wx));
    const bottom = tf.add(tf.mul(at(y1, x0), tf.sub(1, wx)), tf.mul(at(y1, x1), wx));
    return tf.reshape(tf.add(tf.mul(top, tf.sub(1, wy)), tf.mul(bottom, wy)), [batch, size, size, 1]) as tf.Tensor4D;
  });
}

/**
 * Randomly flips, shifts, rotates and zooms each face (bilinear, edges extended), then erases a rectangle of
 * some (options.erase). Labels are unchanged. The geometric draws come first, so runs without erasing draw
 * exactly as before it existed.
 * @param xs [batch, 48, 48, 1]; returns a new tensor of the same shape (caller disposes; xs is kept).
 */
export function augmentBatch(xs: tf.Tensor4D, options: AugmentOptions, random: () => number): tf.Tensor4D {
  const warped = warps(options) ? warpBatch(xs, options, random) : xs;
  const erase = options.erase ?? 0;
  if (erase <= 0) return warped === xs ? tf.clone(xs) : warped;
  const masks = erasingMasks(xs.shape[0], erase, random);
  const erased = tf.tidy(() => tf.mul(warped, tf.tensor4d(masks, xs.shape)) as tf.Tensor4D);
  if (warped !== xs) warped.dispose();
  return erased;
}

function warpBatch(xs: tf.Tensor4D, options: AugmentOptions, random: () => number): tf.Tensor4D {
  const matrices = augmentationMatrices(xs.shape[0], options, random);
  if (tf.getBackend() !== 'wasm') return affineWarp(xs, matrices);
  // The WASM Transform kernel (ours, wasm/transform.ts, on the kernel threads; tfjs' own before it) handles
  // whole batches and gives the same pixels as affineWarp (a unit test checks), much faster: 2.2 ms per batch
  // of 64 in Node on one thread (tfjs' own 3.6, affineWarp 29.6).
  return tf.tidy(() => tf.image.transform(xs, tf.tensor2d(matrices, [xs.shape[0], 8]), 'bilinear', 'nearest') as tf.Tensor4D);
}
