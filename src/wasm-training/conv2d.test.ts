import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWinograd } from './conv2d-simd';
import { expectSameOnBoth, forEachBuild, initCpuAndWasm, randomInput, randomValues } from './wasm-test-utils';

beforeAll(initCpuAndWasm);
afterAll(() => useWinograd(true));

/**
 * Tolerance of every comparison with the CPU backend, norm-wise (expectClose): float32 sums of up to
 * 9 x 512 products in another order (and, in the relaxed build, fused multiply-adds) against tfjs' CPU loops.
 */
const TOLERANCE = 1e-4;

type Pad = 'same' | 'valid';
/** [batch, size, inChannels, outChannels, kernel, stride, pad, why] */
type Case = [number, number, number, number, number, number, Pad, string];

// Every conv shape class the three architectures use (channels as in the nets, sizes reduced where the
// CPU reference would be slow), plus general strided 3x3 convs.
const CASES: Case[] = [
  [2, 48, 1, 32, 3, 1, 'same', 'compact conv 1'],
  [3, 12, 32, 32, 3, 1, 'same', 'compact 32->32'],
  [2, 8, 64, 128, 3, 1, 'same', 'compact 64->128'],
  [2, 5, 128, 128, 3, 1, 'same', 'compact 128->128'],
  [2, 48, 1, 64, 3, 1, 'valid', 'seed conv 1'],
  [2, 10, 64, 64, 3, 1, 'same', 'seed 64->64'],
  [2, 4, 128, 256, 3, 1, 'same', 'seed 128->256'],
  [2, 3, 256, 512, 3, 1, 'same', 'seed 256->512'],
  [2, 2, 512, 512, 3, 1, 'same', 'seed 512->512 (2x2, as after the last pool)'],
  [2, 48, 1, 8, 3, 1, 'valid', 'mini-xception conv 1'],
  [2, 46, 8, 8, 3, 1, 'valid', 'mini-xception conv 2'],
  [2, 44, 8, 16, 1, 2, 'same', 'mini-xception shortcut, even size'],
  [2, 11, 32, 64, 1, 2, 'same', 'mini-xception shortcut, odd size'],
  [2, 3, 128, 7, 3, 1, 'same', 'mini-xception head'],
  [2, 9, 3, 4, 3, 2, 'same', 'strided 3x3 same'],
  [2, 10, 3, 4, 3, 2, 'valid', 'strided 3x3 valid'],
  [16, 6, 8, 12, 3, 1, 'same', 'batch 16'],
  [3, 23, 4, 9, 3, 1, 'same', '432 tiles: several Winograd chunks, odd size, 9 outputs'],
  [2, 13, 12, 7, 3, 1, 'valid', 'valid, odd output (11x11), 7 outputs'],
  [2, 9, 1, 13, 3, 2, 'same', 'one channel, stride 2, 13 outputs (8 + 5)'],
  [2, 12, 1, 12, 5, 1, 'valid', 'one channel, 5x5 (3 + 2 taps a row), 12 outputs'],
  [2, 10, 1, 8, 4, 3, 'valid', 'one channel, 4x4 stride 3 (x has unused rows and columns)'],
];


// 3x3 stride-1 convs with a multiple of 4 input channels run by Winograd F(2x2,3x3) unless told otherwise;
// every case runs both ways (the others take the same kernels both times), with both builds of the kernels:
// fused multiply-adds (relaxed SIMD, which the Node tests enable) and separate ones. The CPU reference of a
// case is computed once and shared by all four.
forEachBuild(() => {
  describe.each(['winograd', 'direct'])('%s 3x3', (algorithm) => {
    beforeAll(() => useWinograd(algorithm === 'winograd'));
    afterAll(() => useWinograd(true));
    describe.each(CASES)('conv n=%i size=%i %i->%i k=%i s=%i %s (%s)', (n, size, ci, co, k, s, pad) => caseTests(n, size, ci, co, k, s, pad));
  });

  describe('conv2d gradients through tf.grads', () => {
    it('match the CPU backend for a fused conv + bias + relu', async () => {
      const x = randomInput([3, 9, 9, 5], 4);
      const filter = randomInput([3, 3, 5, 6], 5);
      const bias = randomInput([6], 6);
      await expectSameOnBoth(
        'grads',
        [x, filter, bias],
        (xt, ft, bt) =>
          tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
            tf.sum(tf.square(tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, bias: c, strides: 1, pad: 'same', activation: 'relu' }))),
          )([xt, ft, bt]),
        TOLERANCE,
        'tf.grads fused conv',
      );
    });
  });

  describe('tiny weights', () => {
    // 2^-130 and -2^-140 are subnormal float32 values (below 2^-126); 2^-70 is normal but below 2^-64, so its
    // product with an ordinary activation would be subnormal. A long Adam run leaves such values in pointwise kernels.
    const SUBNORMALS = [2 ** -130, -(2 ** -140), 2 ** -70];

    it.each([1, 3])('below 2^-64 are read as zeros by the packed conv kernels (forward and input gradient), %ix%i filter', async (k) => {
      // Every third weight subnormal, and the whole first output column: without the flush its outputs would be
      // tiny non-zero values (x * 2^-130), not 0. The 3x3 filter takes the Winograd path, the 1x1 the direct one.
      const values = randomValues(k * k * 16 * 16, 7);
      const flushed = values.slice();
      for (let i = 0; i < values.length; i++) {
        if (i % 3 !== 0 && i % 16 !== 0) continue;
        values[i] = SUBNORMALS[i % 3];
        flushed[i] = 0;
      }
      await tf.setBackend('wasm');
      const run = (filterValues: Float32Array) =>
        tf.tidy(() => {
          const x = tf.tensor4d(randomValues(2 * 6 * 6 * 16, 5), [2, 6, 6, 16]);
          const dy = tf.tensor4d(randomValues(2 * 6 * 6 * 16, 6), [2, 6, 6, 16]);
          const filter = tf.tensor4d(filterValues, [k, k, 16, 16]);
          const y = tf.conv2d(x, filter, 1, 'same').dataSync();
          const dx = (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 6, 6, 16] } as never) as tf.Tensor).dataSync();
          return [Array.from(y), Array.from(dx)];
        });
      expect(run(values)).toEqual(run(flushed));
    });
  });
});

function caseTests(n: number, size: number, ci: number, co: number, k: number, s: number, pad: Pad) {
  const key = `${n},${size},${ci},${co},${k},${s},${pad}`;
  const dyShape = tf.backend_util.computeConv2DInfo([n, size, size, ci], [k, k, ci, co], s, 1, pad).outShape;
  const x = randomInput([n, size, size, ci], 1);
  const filter = randomInput([k, k, ci, co], 2);
  const dy = randomInput(dyShape, 3);

  it('Conv2D matches the CPU backend', async () => {
    await expectSameOnBoth('y', [x, filter], (xt, ft) => tf.conv2d(xt as tf.Tensor4D, ft as tf.Tensor4D, s, pad), TOLERANCE, `${key} Conv2D`);
  });

  it('FusedConv2D with bias and ReLU matches the CPU backend', async () => {
    const bias = randomInput([co], 4);
    await expectSameOnBoth(
      'y',
      [x, filter, bias],
      (xt, ft, bt) => tf.fused.conv2d({ x: xt as tf.Tensor4D, filter: ft as tf.Tensor4D, bias: bt, strides: s, pad, activation: 'relu' }),
      TOLERANCE,
      `${key} FusedConv2D`,
    );
  });

  it('Conv2DBackpropFilter matches the CPU backend', async () => {
    await expectSameOnBoth(
      'dW',
      [x, dy],
      (xt, dyt) => tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, { strides: s, pad, dataFormat: 'NHWC', filterShape: [k, k, ci, co] } as never) as tf.Tensor,
      TOLERANCE,
      `${key} Conv2DBackpropFilter`,
    );
  });

  it('Conv2DBackpropInput matches the CPU backend', async () => {
    await expectSameOnBoth(
      'dx',
      [dy, filter],
      (dyt, ft) => tf.engine().runKernel('Conv2DBackpropInput', { dy: dyt, filter: ft }, { strides: s, pad, dataFormat: 'NHWC', inputShape: [n, size, size, ci] } as never) as tf.Tensor,
      TOLERANCE,
      `${key} Conv2DBackpropInput`,
    );
  });
}
