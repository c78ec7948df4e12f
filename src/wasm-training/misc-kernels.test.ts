import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { simdKernels } from './simd-module';
import { expectSameOnBoth, forEachBuild, initCpuAndWasm, randomInput, randomValues } from './wasm-test-utils';
import { type BackendWasm, disposeInfo, emscripten, runKernel, scratchF32 } from './wasm-backend';

beforeAll(initCpuAndWasm);

// Tolerances against the CPU backend are norm-wise (expectClose: the worst error over the largest expected
// magnitude). Sums over rows (Sum, Mean, the BatchNorm gradient's sums, matrix products) add in another order
// than tfjs' CPU loops: 1e-4 (about 2^-13, float32's 2^-24 times the terms' count and cancellation). Pointwise
// kernels and gathers compute each value the way tfjs does: 1e-5 or exactly.
const SUM_TOLERANCE = 1e-4;
const POINTWISE_TOLERANCE = 1e-5;

// Every test here that reaches kernels.c runs on both of its builds (relaxed SIMD's fused multiply-adds and
// the plain one); the CPU reference of each is computed once for both.
forEachBuild(() => {
  describe('Sum and Mean (sum_rows)', () => {
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
      const key = `${JSON.stringify(axis)} ${keepDims}`;
      await expectSameOnBoth('sum', [x], (t) => tf.sum(t, axes, keepDims), SUM_TOLERANCE, `sum ${key}`);
      await expectSameOnBoth('mean', [x], (t) => tf.mean(t, axes, keepDims), SUM_TOLERANCE, `mean ${key}`);
    });

    it('handle a 2-D input, channels not a multiple of 4, and many rows', async () => {
      await expectSameOnBoth('sum 2d', [randomInput([70_000, 7], 22)], (t) => tf.sum(t, 0), SUM_TOLERANCE, 'sum 2d');
      await expectSameOnBoth('mean 4d', [randomInput([64, 48, 48, 3], 23)], (t) => tf.mean(t, [0, 1, 2]), SUM_TOLERANCE, 'mean 4d');
    });

    it('fall back for int32', async () => {
      const ints = { shape: [3, 4], values: Int32Array.from({ length: 12 }, (_, i) => i * 7 - 30) };
      await expectSameOnBoth('sum int32', [ints], (t) => tf.sum(t, 0), 0, 'sum int32');
    });
  });

  describe('FusedBatchNorm (normalize_cols)', () => {
    const x = randomInput([3, 5, 4, 6], 31);
    const params = [randomInput([6], 32), { shape: [6], values: Float32Array.from(randomInput([6], 33).values, Math.abs) }, randomInput([6], 34), randomInput([6], 35)];
    it('with [c] parameters matches the CPU backend', async () => {
      await expectSameOnBoth('bn', [x, ...params], (t, m, v, o, s) => tf.batchNorm(t, m, v, o, s, 1e-3), POINTWISE_TOLERANCE, 'bn [c]');
    });
    it('with [1, 1, 1, c] parameters and no scale or offset matches the CPU backend', async () => {
      await expectSameOnBoth(
        'bn',
        [x, params[0], params[1]],
        (t, m, v) => tf.batchNorm(t, tf.reshape(m, [1, 1, 1, 6]), tf.reshape(v, [1, 1, 1, 6])),
        POINTWISE_TOLERANCE,
        'bn [1, 1, 1, c]',
      );
    });
    it('with a large mean keeps float32 accuracy', async () => {
      const shifted = { shape: x.shape, values: x.values.map((v) => v + 1000) };
      const mean = { shape: [6], values: new Float32Array(6).fill(1000) };
      await expectSameOnBoth('bn', [shifted, mean, params[1]], (t, m, v) => tf.batchNorm(t, m, v, undefined, undefined, 1e-3), POINTWISE_TOLERANCE, 'bn large mean');
    });
  });

  describe('MaxPoolGrad (max_pool_grad)', () => {
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
      // Half zeros: ties inside windows, as after a ReLU. The first maximum in row-major order wins. Each dx value
      // is a sum of at most ceil(pool/stride)^2 dy values: exact but for their order.
      const x = randomInput([2, size, size, channels], 41, 0.5);
      await expectSameOnBoth(
        'maxPool grad',
        [x],
        (t) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, pool, stride, pad), tf.range(1, 1 + channels))))(t),
        POINTWISE_TOLERANCE,
        `maxPool ${size} ${pool} ${stride} ${pad} ${channels}`,
      );
    });
  });

  describe('BatchNorm gradient (wasm override: bn_grad_sums)', () => {
    const x = randomInput([4, 6, 5, 12], 61);
    const dy = randomInput([4, 6, 5, 12], 62);
    const mean = randomInput([12], 63);
    const variance = { shape: [12], values: Float32Array.from(randomInput([12], 64).values, (v) => 0.5 + Math.abs(v)) };
    const offset = randomInput([12], 65);
    const scale = randomInput([12], 66);
    it('gives all five gradients of tf.batchNorm as the CPU backend does', async () => {
      await expectSameOnBoth(
        'batchNorm grads',
        [x, dy, mean, variance, offset, scale],
        (t, g, m, v, o, s) => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) => tf.sum(tf.mul(tf.batchNorm(a, b, c, d, e, 1e-3), g)))([t, m, v, o, s]),
        SUM_TOLERANCE,
        'batchNorm grads',
      );
    });
    it('gives the gradient through batch statistics (training mode: moments, then batchNorm)', async () => {
      await expectSameOnBoth(
        'moments + batchNorm',
        [x, dy, offset, scale],
        (t, g, o, s) =>
          tf.grads((a: tf.Tensor, d: tf.Tensor, e: tf.Tensor) => {
            const { mean: m, variance: v } = tf.moments(a, [0, 1, 2]);
            return tf.sum(tf.mul(tf.batchNorm(a, m, v, d, e, 1e-3), g));
          })([t, o, s]),
        SUM_TOLERANCE,
        'moments + batchNorm',
      );
    });
  });

  describe('ReLU gradient (relu_grad)', () => {
    it('matches the CPU backend exactly, zeros (as after a ReLU) included, for sizes not a multiple of 4', async () => {
      const x = randomInput([3, 5, 5, 7], 31, 0.3);
      const dy = randomInput([3, 5, 5, 7], 32);
      await expectSameOnBoth('relu grad', [x, dy], (xt, dyt) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), dyt)))(xt), 0, 'relu grad');
    });
  });

  // Dense layers' gradients: transposed operands are transposed first (transpose_batched), then tfjs' own product.
  describe('BatchMatMul and _FusedMatMul with transposed operands (transpose_batched)', () => {
    it.each([
      [[37, 21], [21, 19], false, false, '2-D, no transpose (built-in)'],
      [[21, 37], [21, 19], true, false, '2-D, transposed a: the dense kernel gradient'],
      [[37, 21], [19, 21], false, true, '2-D, transposed b: the dense input gradient'],
      [[3, 6, 5], [3, 7, 6], true, true, 'batched, both transposed, sizes below one 4x4 block'],
      [[2, 33, 18], [2, 33, 17], true, false, 'batched, 16x16 tiles and edges'],
    ] as [number[], number[], boolean, boolean, string][])('%j x %j transposeA=%s transposeB=%s (%s) matches the CPU backend', async (aShape, bShape, ta, tb) => {
      const key = `${aShape} ${bShape} ${ta} ${tb}`;
      await expectSameOnBoth('matMul', [randomInput(aShape, 101), randomInput(bShape, 102)], (a, b) => tf.matMul(a, b, ta, tb), SUM_TOLERANCE, `matMul ${key}`);
    });

    it('fused with a bias and ReLU, transposed b, matches the CPU backend', async () => {
      await expectSameOnBoth(
        'fused matMul',
        [randomInput([9, 20], 103), randomInput([13, 20], 104), randomInput([13], 105)],
        (a, b, bias) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeB: true, bias, activation: 'relu' }),
        SUM_TOLERANCE,
        'fused matMul',
      );
    });
  });

  // swap_outer is exported but no kernel calls it (nothing in src/ does): called directly here, against its
  // definition in kernels.c, so that every export runs on both builds.
  describe('swap_outer', () => {
    it('moves [outer, inner, len] to [inner, outer, len] exactly', async () => {
      await tf.setBackend('wasm');
      const wasm = tf.backend() as BackendWasm;
      const [outer, inner, len] = [5, 7, 3];
      const values = randomValues(outer * inner * len, 106);
      const src = scratchF32(wasm, values);
      const dst = scratchF32(wasm, new Float32Array(values.length).fill(NaN));
      simdKernels(wasm).swap_outer(src.offset, dst.offset, outer, inner, len);
      const out = Array.from(new Float32Array(emscripten(wasm).HEAPU8.buffer, dst.offset, values.length));
      const expected: number[] = [];
      for (let j = 0; j < inner; j++) for (let i = 0; i < outer; i++) expected.push(...values.subarray((i * inner + j) * len, (i * inner + j + 1) * len));
      src.free();
      dst.free();
      expect(out).toEqual(expected);
    });
  });

  // The CPU backend's Transform stops after the first image (see augment.ts), so ours is checked against
  // tfjs-wasm's own kernel, which computes the same float operations in the same order: equal bit for bit.
  describe('Transform (bilinear, edges extended: warp_bilinear_nearest)', () => {
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
  });
});

// Kernels without kernels.c code: once.
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

describe('Identity', () => {
  it('shares data and survives disposal of the source', () => {
    const a = tf.tensor([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]);
    b.dispose();
  });
});

describe('Transform, other fill modes', () => {
  it('go to the built-in kernel', async () => {
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
