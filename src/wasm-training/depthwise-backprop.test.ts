import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { expectSameOnBoth, forEachBuild, initCpuAndWasm, randomInput } from './wasm-test-utils';

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
  // (Stride 1, multiplier 1: input gradient by tfjs' own depthwise conv with the filter reversed.)
  // Beyond the nets: channels not a multiple of 4, strides, valid padding, multiplier > 1 (our kernel). (No dilation:
  // tfjs' gradients assert dilation 1, and the CPU reference kernels ignore it.)
  [2, 7, 5, 1, 3, 2, 1, 'same', 'stride 2'],
  [2, 9, 5, 1, 3, 1, 1, 'valid', 'stride 1 valid: the reversed-filter conv pads 2 on each side'],
  [2, 8, 6, 1, 5, 1, 1, 'same', '5x5 same on an even size: padding 2 before, 2 after'],
  [2, 8, 3, 2, 3, 1, 1, 'same', 'multiplier 2'],
  [2, 9, 4, 3, 5, 2, 1, 'valid', 'multiplier 3, 5x5, stride 2'],
];

// Both builds of the kernels: fused multiply-adds (relaxed SIMD) and separate ones; one CPU reference for both.
forEachBuild(() => {
  describe.each(CASES)('depthwise n=%i size=%i c=%i m=%i k=%i s=%i d=%i %s (%s)', caseTests);

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
});

function caseTests(n: number, size: number, c: number, m: number, k: number, s: number, d: number, pad: Pad) {
  const dyShape = tf.backend_util.computeConv2DInfo([n, size, size, c], [k, k, c, m], s, d, pad, undefined, true).outShape;
  const x = randomInput([n, size, size, c], 11);
  const filter = randomInput([k, k, c, m], 12);
  const dy = randomInput(dyShape, 13);
  const attrs = { strides: s, dilations: d, pad };
  const key = `${n},${size},${c},${m},${k},${s},${d},${pad}`;

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

