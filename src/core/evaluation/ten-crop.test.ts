import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEN_CROP_SIZE, tenCropProbabilities, tenCropView } from './ten-crop';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Face i's pixel (y, x) = 1000 i + 48 y + x: every value says where it came from. */
const faces = () => tf.tidy(() => tf.add(tf.range(0, 2 * 2304).reshape([2, 48, 48, 1]), tf.mul(tf.range(0, 2).reshape([2, 1, 1, 1]), 1000 - 2304)) as tf.Tensor4D);

/** Bilinear sample of face i at (y, x) by hand, from the formula above (the map is linear in y and x). */
const expectedAt = (i: number, y: number, x: number) => 1000 * i + 48 * y + x;

describe('tenCropView', () => {
  it('crops the four corners and the centre to 44 px and scales each back to 48, then the same mirrored', () => {
    const xs = faces();
    const origins = [
      [0, 0],
      [0, 4],
      [4, 0],
      [4, 4],
      [2, 2],
    ];
    const scale = (TEN_CROP_SIZE - 1) / 47;
    for (let view = 0; view < 10; view++) {
      const out = tenCropView(xs, view);
      expect(out.shape).toEqual([2, 48, 48, 1]);
      const values = out.arraySync() as number[][][][];
      const [top, left] = origins[view % 5];
      for (const i of [0, 1]) {
        for (const [y, x] of [
          [0, 0],
          [47, 47],
          [10, 30],
        ]) {
          const column = view >= 5 ? 47 - x : x;
          expect(values[i][y][x][0]).toBeCloseTo(expectedAt(i, top + y * scale, left + column * scale), 3);
        }
      }
      out.dispose();
    }
    xs.dispose();
  });

  it('refuses a view outside 0–9', () => {
    const xs = faces();
    expect(() => tenCropView(xs, 10)).toThrow('0–9');
    xs.dispose();
  });
});

describe('tenCropProbabilities', () => {
  it('averages the model over the ten views without leaking tensors', () => {
    const xs = faces();
    const before = tf.memory().numTensors;
    // "Probabilities" that are each view's mean pixel, so the average can be checked by hand.
    const predict = (views: tf.Tensor4D) => tf.mean(views, [1, 2, 3]).reshape([2, 1]) as tf.Tensor2D;
    const out = tenCropProbabilities(xs, predict);
    expect(tf.memory().numTensors).toBe(before + 1);
    const byHand = tf.tidy(() => tf.stack(Array.from({ length: 10 }, (_, v) => predict(tenCropView(xs, v)))).mean(0));
    expect(Array.from(out.dataSync())).toEqual(Array.from(byHand.dataSync()).map((v) => expect.closeTo(v, 3)));
    tf.dispose([xs, out, byHand]);
  });
});
