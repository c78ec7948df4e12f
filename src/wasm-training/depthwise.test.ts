import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthwiseConv2dConfig } from './depthwise';
import { runKernelFunc } from './shared-memory-test-utils';
import { type BackendWasm, rememberOriginal } from './wasm-backend';
import { expectClose, expectSameOnBoth, forEachBuild, initCpuAndWasm, type Input, randomInput, randomValues } from './wasm-test-utils';

beforeAll(initCpuAndWasm);

/** Norm-wise tolerance (expectClose) against the CPU backend: float32 sums of up to n*oh*ow products in another order. */
const TOLERANCE = 1e-4;

type Pad = 'same' | 'valid';
/** [batch, size, channels, multiplier, kernel, stride, dilation, pad, why] */
type Case = [number, number, number, number, number, number, number, Pad, string];

const CASES: Case[] = [
  // Mini-Xception's separable convs: 3x3 'same', stride 1, multiplier 1, on 8..128 channels.
  [2, 44, 8, 1, 3, 1, 1, 'same', 'block 1, first separable conv'],
  [2, 22, 16, 1, 3, 1, 1, 'same', 'block 2'],
  [2, 11, 32, 1, 3, 1, 1, 'same', 'block 3'],
  [3, 6, 64, 1, 3, 1, 1, 'same', 'block 4'],
  [2, 6, 128, 1, 3, 1, 1, 'same', 'block 4, second separable conv'],
  // Stride 1, multiplier 1 (our forward kernel, and the input gradient by it with the taps reversed) on channel
  // counts that are not a multiple of 4 or 8, odd sizes, 'valid' padding and other kernel sizes.
  [2, 7, 7, 1, 3, 1, 1, 'same', '7 channels: 4 at a time, then 3 one by one'],
  [3, 5, 13, 1, 3, 1, 1, 'valid', '13 channels: 8, 4 and 1; 3x3 output'],
  [2, 9, 5, 1, 3, 1, 1, 'valid', 'stride 1 valid: the input gradient pads 2 on each side'],
  [1, 1, 4, 1, 3, 1, 1, 'same', 'one pixel: every tap but the centre in the padding'],
  [2, 8, 6, 1, 5, 1, 1, 'same', '5x5 same on an even size: padding 2 before, 2 after'],
  [2, 6, 3, 1, 2, 1, 1, 'same', '2x2 same: padding 0 before, 1 after'],
  // tfjs' forward kernel (XNNPACK) and our scatter input gradient: strides and multipliers > 1. (No dilation:
  // tfjs' gradients assert dilation 1, and the CPU reference gradient kernels ignore it.)
  [2, 7, 5, 1, 3, 2, 1, 'same', 'stride 2'],
  [2, 8, 3, 2, 3, 1, 1, 'same', 'multiplier 2'],
  [2, 9, 4, 3, 5, 2, 1, 'valid', 'multiplier 3, 5x5, stride 2'],
];

/** [x shape, filter shape, stride, dilation, pad, why]: forward convs that stay on tfjs' own kernel. */
type FallbackCase = [number[], number[], number, number, Pad, string];

const FALLBACKS: FallbackCase[] = [
  [[2, 9, 9, 6], [3, 3, 6, 1], 2, 1, 'same', 'stride 2'],
  [[2, 9, 9, 6], [3, 3, 6, 1], 1, 2, 'same', 'dilation 2'],
  [[2, 7, 7, 3], [3, 3, 3, 2], 1, 1, 'same', 'multiplier 2'],
];

/** An explicit, uneven padding (the layers never use one, tfjs' ops accept it): [[0, 0], [top, bottom], [left, right], [0, 0]]. */
const EXPLICIT_PAD: tf.backend_util.ExplicitPadding = [
  [0, 0],
  [2, 0],
  [1, 2],
  [0, 0],
];

// Both builds of the kernels: fused multiply-adds (relaxed SIMD) and separate ones; one CPU reference for both.
forEachBuild(() => {
  describe.each(CASES)('depthwise n=%i size=%i c=%i m=%i k=%i s=%i d=%i %s (%s)', caseTests);

  describe.each(FALLBACKS)('DepthwiseConv2dNative x=%j filter=%j s=%i d=%i %s (%s): tfjs-wasm kernel', (xShape, filterShape, s, d, pad) => {
    const x = randomInput(xShape, 21);
    const filter = randomInput(filterShape, 22);
    const key = `fallback ${xShape.join('x')},${filterShape.join('x')},${s},${d},${pad}`;

    it('matches the CPU backend', async () => {
      await expectSameOnBoth('y', [x, filter], (xt, ft) => tf.depthwiseConv2d(xt as tf.Tensor4D, ft as tf.Tensor4D, s, pad, 'NHWC', d), TOLERANCE, key);
    });

    it('gives the bits of tfjs-wasm’s own kernel', async () => {
      const [ours, builtIn] = againstBuiltIn({ x, filter }, { strides: s, dilations: d, pad, dataFormat: 'NHWC' });
      expect(ours).toEqual(builtIn);
    });
  });

  describe('DepthwiseConv2dNative with an explicit, uneven padding', () => {
    const x = randomInput([2, 9, 8, 6], 23);
    const filter = randomInput([3, 3, 6, 1], 24);
    const g = randomInput([2, 9, 9, 6], 25); // 9 + 2 + 0 - 2 rows, 8 + 1 + 2 - 2 columns

    it('forward and both gradients match the CPU backend', async () => {
      await expectSameOnBoth(
        'explicit pad',
        [x, filter, g],
        (xt, ft, gt) => {
          const conv = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, EXPLICIT_PAD);
          return [conv(xt, ft), ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), gt)))([xt, ft])];
        },
        TOLERANCE,
        'explicit pad',
      );
    });
  });

  describe('separableConv2d gradients through tf.grads', () => {
    it('match the CPU backend', async () => {
      const x = randomInput([2, 10, 10, 8], 14);
      const depthwise = randomInput([3, 3, 8, 1], 15);
      const pointwise = randomInput([1, 1, 8, 16], 16);
      await expectSameOnBoth(
        'grads',
        [x, depthwise, pointwise],
        (xt, dt, pt) =>
          tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, 1, 'same'))))([
            xt,
            dt,
            pt,
          ]),
        TOLERANCE,
        'separableConv2d grads',
      );
    });
  });

  describe('tiny weights', () => {
    it('below 2^-64 are read as zeros by the forward kernel and the stride-1 input gradient', async () => {
      // Every third weight subnormal (or normal but below 2^-64), and the whole first channel: without the flush
      // its outputs would be tiny non-zero values (x * 2^-130), not 0.
      const tiny = [2 ** -130, -(2 ** -140), 2 ** -70];
      const values = randomValues(3 * 3 * 12, 31);
      const flushed = values.slice();
      for (let i = 0; i < values.length; i++) {
        if (i % 3 !== 0 && i % 12 !== 0) continue;
        values[i] = tiny[i % 3];
        flushed[i] = 0;
      }
      await tf.setBackend('wasm');
      const run = (filterValues: Float32Array) =>
        tf.tidy(() => {
          const x = tf.tensor4d(randomValues(2 * 7 * 7 * 12, 32), [2, 7, 7, 12]);
          const filter = tf.tensor4d(filterValues, [3, 3, 12, 1]);
          const y = tf.depthwiseConv2d(x, filter, 1, 'same').dataSync();
          const attrs = { strides: 1, dilations: 1, pad: 'same', inputShape: [2, 7, 7, 12] };
          const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: x, filter }, attrs as never) as tf.Tensor;
          return [Array.from(y), Array.from(dx.dataSync())];
        });
      expect(run(values)).toEqual(run(flushed));
    });
  });
});

/** Our DepthwiseConv2dNative and tfjs-wasm's own on the same inputs (the active 'wasm' backend): [ours, built-in]. */
function againstBuiltIn(inputs: { x: Input; filter: Input }, attrs: object): [Float32Array, Float32Array] {
  const builtIn = rememberOriginal('DepthwiseConv2dNative');
  if (!builtIn) throw new Error("tfjs-wasm's DepthwiseConv2dNative was not registered");
  const wasm = tf.engine().findBackend('wasm') as unknown as BackendWasm;
  return [runKernelFunc(wasm, depthwiseConv2dConfig, inputs, attrs)[0], runKernelFunc(wasm, builtIn, inputs, attrs)[0]];
}

function caseTests(n: number, size: number, c: number, m: number, k: number, s: number, d: number, pad: Pad) {
  const dyShape = tf.backend_util.computeConv2DInfo([n, size, size, c], [k, k, c, m], s, d, pad, undefined, true).outShape;
  const x = randomInput([n, size, size, c], 11);
  const filter = randomInput([k, k, c, m], 12);
  const dy = randomInput(dyShape, 13);
  const attrs = { strides: s, dilations: d, pad };
  const key = `${n},${size},${c},${m},${k},${s},${d},${pad}`;

  it('DepthwiseConv2dNative matches the CPU backend', async () => {
    await expectSameOnBoth('y', [x, filter], (xt, ft) => tf.depthwiseConv2d(xt as tf.Tensor4D, ft as tf.Tensor4D, s, pad, 'NHWC', d), TOLERANCE, `${key} forward`);
  });

  it('DepthwiseConv2dNative stays within float tolerance of tfjs-wasm’s own kernel (what inference ran before)', async () => {
    const [ours, builtIn] = againstBuiltIn({ x, filter }, { ...attrs, dataFormat: 'NHWC' });
    expectClose(ours, builtIn, TOLERANCE, `${key} ours against the built-in`);
  });

  it('DepthwiseConv2dNativeBackpropFilter matches the CPU backend', async () => {
    await expectSameOnBoth(
      'dW',
      [x, dy],
      (xt, dyt) => tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: xt, dy: dyt }, { ...attrs, filterShape: [k, k, c, m] } as never) as tf.Tensor,
      TOLERANCE,
      `${key} filter`,
    );
  });

  it('DepthwiseConv2dNativeBackpropInput matches the CPU backend', async () => {
    await expectSameOnBoth(
      'dx',
      [dy, filter],
      (dyt, ft) => tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dyt, filter: ft }, { ...attrs, inputShape: [n, size, size, c] } as never) as tf.Tensor,
      TOLERANCE,
      `${key} input`,
    );
  });
}
