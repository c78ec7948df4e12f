import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameOnBoth, initCpuAndWasm, randomInput } from './wasm-test-utils';
import { type BackendWasm, disposeInfo, runKernel } from './wasm-backend';

beforeAll(initCpuAndWasm);

describe('Sum and Mean', () => {
  const x = randomInput([4, 6, 5, 12], 21);
  it.each([
    [[0, 1, 2], false, 'leading axes (BatchNorm statistics)'],
    [[0, 1, 2], true, 'leading axes, keepDims'],
    [[2, 0, 1], false, 'leading axes in any order'],
    [[0, 1, 2, 3], false, 'all axes'],
    [null, true, 'all axes, keepDims'],
    [[1], false, 'a middle axis (built-in fallback)'],
    [[3], true, 'the last axis (built-in fallback)'],
  ] as [number[] | null, boolean, string][])('over %j keepDims=%s (%s) match the CPU backend', async (axis, keepDims) => {
    const axes = axis ?? undefined;
    await expectSameOnBoth('sum', [x], (t) => tf.sum(t, axes, keepDims));
    await expectSameOnBoth('mean', [x], (t) => tf.mean(t, axes, keepDims));
  });

  it('handle a 2-D input, channels not a multiple of 4, and many rows', async () => {
    await expectSameOnBoth('sum 2d', [randomInput([70_000, 7], 22)], (t) => tf.sum(t, 0));
    await expectSameOnBoth('mean 4d', [randomInput([64, 48, 48, 3], 23)], (t) => tf.mean(t, [0, 1, 2]));
  });

  it('fall back for int32', async () => {
    const ints = { shape: [3, 4], values: Int32Array.from({ length: 12 }, (_, i) => i * 7 - 30) };
    await expectSameOnBoth('sum int32', [ints], (t) => tf.sum(t, 0));
  });
});

describe('Tile', () => {
  it.each([
    [[1, 1, 1, 5], [2, 3, 4, 1]],
    [[2, 3], [3, 2]],
    [[2, 1, 3], [1, 4, 2]],
    [[3, 1], [1, 6]],
    [[4], [3]],
    [[2, 2, 2], [1, 1, 1]],
  ])('shape %j reps %j matches the CPU backend', async (shape, reps) => {
    await expectSameOnBoth('tile', [randomInput(shape, 24)], (t) => tf.tile(t, reps), 0);
  });

  it('tiles int32 and bool tensors', async () => {
    const ints = { shape: [2, 3], values: Int32Array.from([1, 2, 3, 4, 5, 6]) };
    await expectSameOnBoth('tile int32', [ints], (t) => tf.tile(t, [2, 2]), 0);
    await expectSameOnBoth('tile bool', [{ ...ints, dtype: 'bool' }], (t) => tf.cast(tf.tile(tf.greater(t, 3), [3, 1]), 'float32'), 0);
  });
});

describe('FusedBatchNorm', () => {
  const x = randomInput([3, 5, 4, 6], 31);
  const params = [randomInput([6], 32), { shape: [6], values: Float32Array.from(randomInput([6], 33).values, Math.abs) }, randomInput([6], 34), randomInput([6], 35)];
  it('with [c] parameters matches the CPU backend', async () => {
    await expectSameOnBoth('bn', [x, ...params], (t, m, v, o, s) => tf.batchNorm(t, m, v, o, s, 1e-3));
  });
  it('with [1, 1, 1, c] parameters and no scale or offset matches the CPU backend', async () => {
    await expectSameOnBoth('bn', [x, params[0], params[1]], (t, m, v) => tf.batchNorm(t, tf.reshape(m, [1, 1, 1, 6]), tf.reshape(v, [1, 1, 1, 6])));
  });
  it('with a large mean keeps float32 accuracy', async () => {
    const shifted = { shape: x.shape, values: x.values.map((v) => v + 1000) };
    const mean = { shape: [6], values: new Float32Array(6).fill(1000) };
    await expectSameOnBoth('bn', [shifted, mean, params[1]], (t, m, v) => tf.batchNorm(t, m, v, undefined, undefined, 1e-3));
  });
});

describe('MaxPoolGrad', () => {
  it.each([
    [46, 2, 2, 'valid', 64],
    [23, 2, 2, 'valid', 7],
    [11, 2, 2, 'valid', 3],
    [44, 3, 2, 'same', 8],
    [11, 3, 2, 'same', 32],
    [6, 3, 2, 'same', 128],
    [24, 2, 2, 'same', 16], // windows tile x exactly (the VGG nets' pools): one write per position
    [12, 3, 3, 'valid', 12], // 3x3 tiles
    [9, 2, 2, 'valid', 4], // the last row and column are in no window
  ] as const)('size %i pool %i stride %i %s, %i channels, with ties, matches the CPU backend', async (size, pool, stride, pad, channels) => {
    // Half zeros: ties inside windows, as after a ReLU. The first maximum in row-major order wins.
    const x = randomInput([2, size, size, channels], 41, 0.5);
    await expectSameOnBoth('maxPool grad', [x], (t) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, pool, stride, pad), tf.range(1, 1 + channels))))(t));
  });
});

describe('Identity', () => {
  it('shares data and survives disposal of the source', () => {
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
  });
});

describe('BatchNorm gradient (wasm override)', () => {
  const x = randomInput([4, 6, 5, 12], 61);
  const dy = randomInput([4, 6, 5, 12], 62);
  const mean = randomInput([12], 63);
  const variance = { shape: [12], values: Float32Array.from(randomInput([12], 64).values, (v) => 0.5 + Math.abs(v)) };
  const offset = randomInput([12], 65);
  const scale = randomInput([12], 66);
  it('gives all five gradients of tf.batchNorm as the CPU backend does', async () => {
    await expectSameOnBoth('batchNorm grads', [x, dy, mean, variance, offset, scale], (t, g, m, v, o, s) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, b, c, d, e, 1e-3), g)))([t, m, v, o, s]),
    );
  });
  it('gives the gradient through batch statistics (training mode: moments, then batchNorm)', async () => {
    await expectSameOnBoth('moments + batchNorm', [x, dy, offset, scale], (t, g, o, s) =>
      tf.grads((a: tf.Tensor, d: tf.Tensor, e: tf.Tensor) => {
        const { mean: m, variance: v } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(a, m, v, d, e, 1e-3), g));
      })([t, o, s]),
    );
  });
});

describe('ReLU gradient', () => {
  it('matches the CPU backend, zeros (as after a ReLU) included, for sizes not a multiple of 4', async () => {
    const x = randomInput([3, 5, 5, 7], 31, 0.3);
    const dy = randomInput([3, 5, 5, 7], 32);
    await expectSameOnBoth('relu grad', [x, dy], (xt, dyt) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), dyt)))(xt), 0);
  });
});

// The CPU backend's Transform stops after the first image (see augment.ts), so ours is checked against
// tfjs-wasm's own kernel, which computes the same float operations in the same order.
describe('Transform (bilinear, edges extended)', () => {
  it.each([
    [[3, 9, 7, 1], 3, null, 'a transform per image'],
    [[2, 6, 8, 3], 1, null, 'one transform for all, 3 channels'],
    [[2, 6, 6, 2], 2, [4, 9], 'another output size'],
  ] as [[number, number, number, number], number, [number, number] | null, string][])('%j, %i transforms, output %j (%s): the same pixels as tfjs-wasm own kernel', async (shape, count, outputShape) => {
    await tf.setBackend('wasm');
    const image = tf.tensor(randomInput(shape, 31).values as Float32Array, shape) as tf.Tensor4D;
    // Rotation, zoom, shift and a projective part, reaching past the edges.
    const transforms = tf.tensor2d(Array.from({ length: count }, (_, i) => [0.9 + 0.1 * i, -0.3, 1.5 - i, 0.25, 1.1, -2 + i, 0.01 * i, -0.02]), [count, 8]);
    const attrs = { interpolation: 'bilinear', fillMode: 'nearest', fillValue: 0, outputShape } as const;
    const ours = tf.engine().runKernel('Transform', { image, transforms }, attrs as never) as tf.Tensor;
    const wasm = tf.backend() as BackendWasm;
    const builtIn = runKernel(wasm, 'Transform', { image: tensorInfo(image), transforms: tensorInfo(transforms) }, attrs as never);
    const expected = Array.from(wasm.typedArrayFromHeap(builtIn) as Float32Array);
    expect(ours.shape).toEqual(builtIn.shape);
    expect(Array.from(ours.dataSync())).toEqual(expected);
    disposeInfo(wasm, builtIn);
    tf.dispose([image, transforms, ours]);
  });

  it('leaves other fill modes to the built-in kernel', async () => {
    await tf.setBackend('wasm');
    const image = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const shifted = tf.image.transform(image, tf.tensor2d([[1, 0, 2, 0, 1, 0, 0, 0]]), 'bilinear', 'constant', 0);
    // Shifted two pixels left with zeros coming in: the last two columns are 0.
    expect(Array.from(shifted.dataSync())).toEqual([1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]);
    tf.dispose([image, shifted]);
  });
});

/** The TensorInfo of a tensor, for calling a backend kernel directly. */
const tensorInfo = (t: tf.Tensor) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
