// Pure tfjs: ten-crop test-time augmentation (four corners and the centre, each also mirrored). No DOM.
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE } from '../dataset/face-format';

/**
 * Side of each crop in pixels of the 48x48 face. Each crop is scaled back up to 48x48 for the model
 * (a 1.09x zoom with up to 4 px of shift: inside what training's augmentation shows the net).
 */
export const TEN_CROP_SIZE = 44;
export const TEN_CROP_VIEWS = 10;

/** Top-left corners of the five crops: four corners, then the centre. */
function cropOrigins(): [number, number][] {
  const far = IMAGE_SIZE - TEN_CROP_SIZE;
  const mid = far / 2;
  return [
    [0, 0],
    [0, far],
    [far, 0],
    [far, far],
    [mid, mid],
  ];
}

/**
 * View `view` (0–9) of every face: views 0–4 crop a corner or the centre, 5–9 the same crops mirrored.
 * @param xs [n, 48, 48, 1] standardised faces; returns [n, 48, 48, 1] (caller disposes; xs is kept).
 */
export function tenCropView(xs: tf.Tensor4D, view: number): tf.Tensor4D {
  if (!Number.isInteger(view) || view < 0 || view >= TEN_CROP_VIEWS) throw new Error(`ten-crop view must be 0–9, got ${view}`);
  return tf.tidy(() => {
    const n = xs.shape[0];
    const [top, left] = cropOrigins()[view % 5];
    // cropAndResize samples crop pixel k at y1*(H-1) + k*(y2-y1)*(H-1)/(cropH-1): corners on pixel centres.
    const last = IMAGE_SIZE - 1;
    const box = [top / last, left / last, (top + TEN_CROP_SIZE - 1) / last, (left + TEN_CROP_SIZE - 1) / last];
    const boxes = tf.tensor2d(Array.from({ length: n }, () => box), [n, 4]);
    const indices = tf.range(0, n, 1, 'int32') as tf.Tensor1D;
    const crops = tf.image.cropAndResize(xs, boxes, indices, [IMAGE_SIZE, IMAGE_SIZE], 'bilinear');
    return (view >= 5 ? tf.reverse(crops, 2) : crops) as tf.Tensor4D;
  });
}

/**
 * Class probabilities averaged over the ten views, one view on the backend at a time.
 * @param predict maps [n, 48, 48, 1] to [n, classes] probabilities.
 * @returns [n, classes] (caller disposes).
 */
export function tenCropProbabilities(xs: tf.Tensor4D, predict: (views: tf.Tensor4D) => tf.Tensor2D): tf.Tensor2D {
  let sum: tf.Tensor2D | null = null;
  for (let view = 0; view < TEN_CROP_VIEWS; view++) {
    const probs = tf.tidy(() => predict(tenCropView(xs, view)));
    const next: tf.Tensor2D = sum ? tf.add(sum, probs) : probs;
    if (sum) tf.dispose([sum, probs]);
    sum = next;
  }
  const mean = tf.div(sum!, TEN_CROP_VIEWS) as tf.Tensor2D;
  sum!.dispose();
  return mean;
}
