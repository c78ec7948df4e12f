import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNormGradSumsConfig } from './batch-norm-grad';
import { batchNormInputGradConfig, batchNormTrainingConfig } from './batch-norm-training';
import { BATCH_NORM_TRAINING } from '../core/training/backend-extensions';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DConfig, fusedConv2DConfig } from './conv2d-forward';
import { useWinograd } from './conv2d-simd';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';
import { fusedBatchNormConfig } from './fused-batch-norm';
import { reluGradConfig } from './gradients';
import { maxPoolGradConfig } from './max-pool-grad';
import { adamUpdateConfig, momentumUpdateConfig } from './optimizer-update';
import { sumConfig } from './reduce';
import { installNodeWorkers, runKernelFunc, sharedMemoryBackend } from './shared-memory-test-utils';
import { type SimdKernels, simdKernels } from './simd-module';
import { type PoolKernel, setSimdThreads, simdPool, splitRange, splitTasksForTests, startSimdThreads } from './simd-threads';
import { transformConfig } from './transform';
import { type BackendWasm, ptr } from './wasm-backend';
import { expectSameOnBoth, forEachBuild, initCpuAndWasm, type Input, randomInput } from './wasm-test-utils';

beforeAll(initCpuAndWasm);
afterAll(() => useWinograd(true));

/** Norm-wise tolerance (expectClose) against the CPU backend, as in conv2d.test.ts and misc-kernels.test.ts. */
const TOLERANCE = 1e-4;

// Splitting tasks into parts run one after another, on tfjs' own (unthreaded) backend: checks the partitioning
// arithmetic the threads use (pixel ranges, output-channel ranges) against the CPU backend.
describe('kernels split into parts run one after another', () => {
  beforeAll(() => splitTasksForTests(3));
  afterAll(() => splitTasksForTests(1));

  forEachBuild(() => {
    describe.each(['winograd', 'direct'])('%s 3x3', (algorithm) => {
      beforeAll(() => useWinograd(algorithm === 'winograd'));
      afterAll(() => useWinograd(true));
      it.each([
        [2, 9, 12, 20, 'same'],
        [3, 7, 8, 7, 'valid'],
        [2, 5, 16, 40, 'same'],
        [3, 21, 4, 12, 'same'], // 363 tiles: parts cross Winograd chunks
        [2, 11, 1, 20, 'same'], // one input channel: parts of 8, 8 and 4 outputs
      ] as const)('n=%i size=%i %i->%i %s: conv, input and filter gradients match the CPU backend', async (n, size, ci, co, pad) => {
        const x = randomInput([n, size, size, ci], 71);
        const filter = randomInput([3, 3, ci, co], 72);
        const dyShape = tf.backend_util.computeConv2DInfo([n, size, size, ci], [3, 3, ci, co], 1, 1, pad).outShape;
        const dy = randomInput(dyShape, 73);
        const key = `${n},${size},${ci},${co},${pad}`;
        await expectSameOnBoth('conv', [x, filter], (a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), TOLERANCE, `${key} conv`);
        await expectSameOnBoth(
          'grads',
          [x, filter, dy],
          (a, b, g) => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 1, pad), g)))([a, b]),
          TOLERANCE,
          `${key} grads`,
        );
      });
    });

    describe('memory-bound kernels', () => {
      // 4 x 16 x 16 x 36 = 36,864 floats: above the size at which they split; 36 channels = 9 runs of 4 over 3 parts.
      const shape = [4, 16, 16, 36];

      it('BatchNorm (training statistics, normalisation, both gradient passes), ReLU and max-pool gradients match the CPU backend', async () => {
        const x = randomInput(shape, 81);
        const gamma = randomInput([36], 82);
        const beta = randomInput([36], 83);
        await expectSameOnBoth(
          'bn + relu + pool',
          [x, gamma, beta],
          (a, g, b) =>
            tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => {
              // tfjs' composition (FusedBatchNorm and our gradient sums on wasm), and our fused training kernel.
              const { mean, variance } = tf.moments(p, [0, 1, 2]);
              const normed = tf.relu(tf.batchNorm(p, mean, variance, r, q, 1e-3));
              const fused =
                tf.getBackend() === 'wasm'
                  ? (tf.engine().runKernel(BATCH_NORM_TRAINING, { x: p, gamma: q, beta: r }, { varianceEpsilon: 1e-3 }) as tf.Tensor[])[0]
                  : tf.batchNorm(p, mean, variance, r, q, 1e-3);
              return tf.add(tf.sum(tf.square(tf.maxPool(normed as tf.Tensor4D, 2, 2, 'valid'))), tf.sum(tf.mul(fused, fused)));
            })([a, g, b]),
          TOLERANCE,
          'bn + relu + pool',
        );
      });
    });
  });
});

describe('splitRange', () => {
  it('gives whole units, covers the range once, and never more parts than units', () => {
    expect(splitRange(36, 3, 4)).toEqual([
      [0, 12],
      [12, 24],
      [24, 36],
    ]);
    expect(splitRange(10, 3, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(splitRange(8, 4, 8)).toEqual([[0, 8]]);
    expect(splitRange(5, 2)).toEqual([
      [0, 3],
      [3, 5],
    ]);
  });
});

/** Threads of the pool under test: the caller and two workers (three parts at once on this 2-core machine). */
const THREADS = 3;
/** Each case runs on the pool at least MIN_RUNS times, and on until STRESS_MS have passed (at most MAX_RUNS). */
const MIN_RUNS = 4;
const STRESS_MS = 80;
const MAX_RUNS = 64;

interface PoolCase {
  name: string;
  config: KernelConfig;
  inputs: Record<string, Input>;
  attrs: object;
  /** The pool kernels the case must run split into THREADS parts. */
  kernels: PoolKernel[];
}

const positive = (input: Input, floor = 0.5): Input => ({ shape: input.shape, values: Float32Array.from(input.values, (v) => floor + Math.abs(v)) });
const conv = (strides: number, pad: 'same' | 'valid') => ({ strides, pad, dataFormat: 'NHWC', dilations: 1, dimRoundingMode: undefined });
/** Activations of 36,864 floats (above runSplit's threshold), 36 channels = 9 runs of 4 columns over 3 parts. */
const ACTIVATIONS = [4, 16, 16, 36];

// Every kernel the pool runs (POOL_KERNELS), through the kernel function that splits it, sized to split into
// THREADS parts (and long enough that the parts overlap in time).
const POOL_CASES: PoolCase[] = [
  {
    name: 'Conv2D 3x3 stride 1 by Winograd (winograd_conv; 1,152 tiles)',
    config: conv2DConfig,
    inputs: { x: randomInput([8, 24, 24, 32], 201), filter: randomInput([3, 3, 32, 32], 202) },
    attrs: conv(1, 'same'),
    kernels: ['winograd_conv'],
  },
  {
    name: 'FusedConv2D 3x3 stride 2 with bias and ReLU (conv_forward; 4-pixel tiles)',
    config: fusedConv2DConfig,
    inputs: { x: randomInput([4, 23, 23, 16], 203), filter: randomInput([3, 3, 16, 24], 204), bias: randomInput([24], 205) },
    attrs: { ...conv(2, 'same'), activation: 'relu' },
    kernels: ['conv_forward'],
  },
  {
    name: 'Conv2DBackpropFilter 3x3 stride 1 by Winograd (winograd_filter_grad; runs of 8 outputs)',
    config: conv2DBackpropFilterConfig,
    inputs: { x: randomInput([4, 12, 12, 16], 206), dy: randomInput([4, 12, 12, 32], 207) },
    attrs: { ...conv(1, 'same'), filterShape: [3, 3, 16, 32] },
    kernels: ['winograd_filter_grad'],
  },
  {
    name: 'Conv2DBackpropFilter 3x3 stride 2 (conv_filter_grad)',
    config: conv2DBackpropFilterConfig,
    inputs: { x: randomInput([4, 13, 13, 8], 208), dy: randomInput([4, 7, 7, 24], 209) },
    attrs: { ...conv(2, 'same'), filterShape: [3, 3, 8, 24] },
    kernels: ['conv_filter_grad'],
  },
  {
    name: 'Conv2DBackpropFilter with one input channel (conv_filter_grad_c1)',
    config: conv2DBackpropFilterConfig,
    inputs: { x: randomInput([4, 24, 24, 1], 210), dy: randomInput([4, 24, 24, 24], 211) },
    attrs: { ...conv(1, 'same'), filterShape: [3, 3, 1, 24] },
    kernels: ['conv_filter_grad_c1'],
  },
  {
    name: 'BatchNorm training forward (bn_moments by columns, normalize_cols by rows)',
    config: batchNormTrainingConfig,
    inputs: { x: randomInput(ACTIVATIONS, 212), gamma: randomInput([36], 213), beta: randomInput([36], 214) },
    attrs: { varianceEpsilon: 1e-3 },
    kernels: ['bn_moments', 'normalize_cols'],
  },
  {
    name: "BatchNorm gradient's sums (bn_grad_sums)",
    config: batchNormGradSumsConfig,
    inputs: { dy: randomInput(ACTIVATIONS, 215), x: randomInput(ACTIVATIONS, 216), mean: randomInput([36], 217) },
    attrs: {},
    kernels: ['bn_grad_sums'],
  },
  {
    name: 'BatchNorm training input gradient (bn_input_grad)',
    config: batchNormInputGradConfig,
    inputs: { dy: randomInput(ACTIVATIONS, 218), x: randomInput(ACTIVATIONS, 219), params: randomInput([4, 36], 220) },
    attrs: {},
    kernels: ['bn_input_grad'],
  },
  {
    name: 'FusedBatchNorm (normalize_cols)',
    config: fusedBatchNormConfig,
    inputs: {
      x: randomInput(ACTIVATIONS, 221),
      mean: randomInput([36], 222),
      variance: positive(randomInput([36], 223)),
      offset: randomInput([36], 224),
      scale: randomInput([36], 225),
    },
    attrs: { varianceEpsilon: 1e-3 },
    kernels: ['normalize_cols'],
  },
  {
    name: 'ReLU gradient (relu_grad)',
    config: reluGradConfig,
    inputs: { dy: randomInput(ACTIVATIONS, 226), x: randomInput(ACTIVATIONS, 227, 0.3) },
    attrs: {},
    kernels: ['relu_grad'],
  },
  {
    name: 'MaxPoolGrad 2x2 (max_pool_grad, tiled windows; by images)',
    config: maxPoolGradConfig,
    inputs: { dy: randomInput([4, 8, 8, 36], 228), input: randomInput(ACTIVATIONS, 229, 0.5) },
    attrs: { filterSize: 2, strides: 2, pad: 'valid' },
    kernels: ['max_pool_grad'],
  },
  {
    name: 'MaxPoolGrad 3x3 stride 2 (max_pool_grad, overlapping windows)',
    config: maxPoolGradConfig,
    inputs: { dy: randomInput([4, 8, 8, 36], 230), input: randomInput(ACTIVATIONS, 231, 0.5) },
    attrs: { filterSize: 3, strides: 2, pad: 'same' },
    kernels: ['max_pool_grad'],
  },
  {
    name: 'Adam (adam_update)',
    config: adamUpdateConfig,
    inputs: { w: randomInput([40_000], 232), m: randomInput([40_000], 233), v: positive(randomInput([40_000], 234), 0), g: randomInput([40_000], 235) },
    attrs: { beta1: 0.9, beta2: 0.999, learningRate: 0.01, epsilon: 1e-7, correction1: Math.fround(1 - 0.9 ** 3), correction2: Math.fround(1 - 0.999 ** 3) },
    kernels: ['adam_update'],
  },
  {
    name: 'Nesterov momentum (momentum_update)',
    config: momentumUpdateConfig,
    inputs: { w: randomInput([40_000], 236), a: randomInput([40_000], 237), g: randomInput([40_000], 238) },
    attrs: { momentum: 0.9, learningRate: 0.01, nesterov: true },
    kernels: ['momentum_update'],
  },
  {
    name: 'Transform, a transform per image (warp_bilinear_nearest; by images)',
    config: transformConfig,
    inputs: {
      image: randomInput([4, 64, 64, 3], 239),
      transforms: { shape: [4, 8], values: Float32Array.from({ length: 32 }, (_, i) => [0.9, -0.3, 1.5, 0.25, 1.1, -2, 0.01, -0.02][i % 8] + 0.05 * Math.floor(i / 8)) },
    },
    attrs: { interpolation: 'bilinear', fillMode: 'nearest', fillValue: 0, outputShape: null },
    kernels: ['warp_bilinear_nearest'],
  },
];

/** A kernel config (for runKernelFunc) that calls exports of kernels.c directly: out [outShape] from input x. */
function exportCall(outShape: number[], call: (kernels: SimdKernels, x: number, out: number) => void): KernelConfig {
  return {
    kernelName: 'test',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const wasm = backend as BackendWasm;
      const out = wasm.makeOutput(outShape, 'float32');
      call(simdKernels(wasm), ptr(wasm, inputs.x!), ptr(wasm, out));
      return out;
    },
  };
}

/** Subnormal and tiny values among ordinary ones, for flush_subnormals. */
const withSubnormals: Input = { shape: [103], values: Float32Array.from(randomInput([103], 240).values, (v, i) => (i % 3 === 0 ? v * 2 ** -130 : v)) };

// The exports no pool runs, on the shared-memory builds too (everywhere else they run the unshared ones).
const MAIN_THREAD_CASES: PoolCase[] = [
  {
    name: 'DepthwiseConv2dNativeBackpropFilter (depthwise_filter_grad)',
    config: depthwiseBackpropFilterConfig,
    inputs: { x: randomInput([2, 11, 11, 16], 241), dy: randomInput([2, 11, 11, 16], 242) },
    attrs: { strides: 1, dilations: 1, pad: 'same', filterShape: [3, 3, 16, 1] },
    kernels: [],
  },
  {
    name: 'DepthwiseConv2dNativeBackpropInput, stride 2 (depthwise_input_grad)',
    config: depthwiseBackpropInputConfig,
    inputs: { dy: randomInput([2, 6, 6, 16], 243), filter: randomInput([3, 3, 16, 1], 244) },
    attrs: { strides: 2, dilations: 1, pad: 'same', inputShape: [2, 11, 11, 16] },
    kernels: [],
  },
  { name: 'Sum over leading axes (sum_rows)', config: sumConfig, inputs: { x: randomInput(ACTIVATIONS, 245) }, attrs: { axis: [0, 1, 2], keepDims: false }, kernels: [] },
  {
    name: 'transpose_batched',
    config: exportCall([3, 21, 37], (k, x, out) => k.transpose_batched(x, out, 3, 37, 21, 37 * 21, 21, 37 * 21, 37)),
    inputs: { x: randomInput([3, 37, 21], 246) },
    attrs: {},
    kernels: [],
  },
  { name: 'swap_outer', config: exportCall([7, 5, 3], (k, x, out) => k.swap_outer(x, out, 5, 7, 3)), inputs: { x: randomInput([5, 7, 3], 247) }, attrs: {}, kernels: [] },
  {
    name: 'flush_subnormals (in place, on a copy)',
    config: exportCall([103], (k, x, out) => {
      k.transpose_batched(x, out, 1, 1, 103, 103, 103, 103, 1); // a copy
      k.flush_subnormals(out, 103);
    }),
    inputs: { x: withSubnormals },
    attrs: {},
    kernels: [],
  },
];

/** Expects the same float32 bits (NaN included) everywhere; the message counts the values that differ and shows the first. */
function expectSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  const [a, e] = [actual, expected].map((v) => new Uint32Array(v.buffer, v.byteOffset, v.length));
  let differing = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === e[i]) continue;
    differing++;
    if (first < 0) first = i;
  }
  const at = first < 0 ? '' : `, first at ${first} (${actual[first]} where ${expected[first]} was expected)`;
  expect(`${differing} of ${a.length} values differ${at}`, label).toBe(`0 of ${a.length} values differ`);
}

// The pool as it runs in a cross-origin isolated page: kernels.c's shared-memory build, the caller and two
// worker threads computing their parts at once on one memory. Each result must be, bit for bit, what the same
// parts give run one after another on one thread (splitTasksForTests), which must in turn equal the unshared
// build's on tfjs' own backend split the same way (and that one is tested against the CPU backend above and in
// the other kernel tests). The reference is the same split, not one part: some kernels round differently for
// other column runs (bn_grad_sums sums 8 columns at a time with SIMD and the rest one by one). A race between
// parts (a shared scratch, overlapping ranges, a reduction written by two parts, a caller that returns before
// the workers finish) changes, or leaves unwritten (NaN), some outputs.
describe('the kernel thread pool, running (worker_threads on a shared memory)', () => {
  let restoreWorkers: () => void;
  let single: BackendWasm;
  let threaded: BackendWasm;
  beforeAll(() => {
    restoreWorkers = installNodeWorkers();
    single = sharedMemoryBackend();
    threaded = sharedMemoryBackend();
  });
  afterAll(() => restoreWorkers());

  forEachBuild((build) => {
    /** [kernel, parts] of every task the threaded pool ran. */
    const tasks: [PoolKernel, number][] = [];
    beforeAll(async () => {
      setSimdThreads(THREADS);
      const pool = simdPool(threaded); // this build's pool for this backend: workers started here
      setSimdThreads(null);
      expect(await startSimdThreads(threaded, 20_000), `${build}: threads running`).toBe(THREADS);
      expect(simdPool(single).parts(), 'the reference has no workers').toBe(1);
      const run = pool.run.bind(pool);
      pool.run = (kernel, args) => {
        tasks.push([kernel, args.length]);
        run(kernel, args);
      };
    });

    /** Runs a case unshared, shared on one thread (the same split), and on the pool; compares the bits. */
    async function expectSameOnThreads({ config, inputs, attrs, kernels }: PoolCase) {
      await tf.setBackend('wasm');
      splitTasksForTests(THREADS);
      let unshared: Float32Array[], reference: Float32Array[];
      try {
        unshared = runKernelFunc(tf.backend() as BackendWasm, config, inputs, attrs);
        reference = runKernelFunc(single, config, inputs, attrs);
      } finally {
        splitTasksForTests(1);
      }
      tasks.length = 0;
      // A race shows only when parts overlap in time, which a loaded machine makes rarer: repeated (a few ms each).
      const runs: Float32Array[][] = [];
      const start = performance.now();
      const enough = () => runs.length >= MIN_RUNS && (kernels.length === 0 || performance.now() - start >= STRESS_MS || runs.length >= MAX_RUNS);
      while (!enough()) runs.push(runKernelFunc(threaded, config, inputs, attrs));
      for (const kernel of kernels) {
        const parts = tasks.filter(([k]) => k === kernel).map(([, count]) => count);
        expect(parts, `${kernel} split into parts`).toEqual(runs.map(() => THREADS));
      }
      expect(reference.length, 'outputs').toBe(unshared.length);
      reference.forEach((values, i) => {
        expect(values.every(Number.isFinite), `output ${i}: every value written`).toBe(true);
        expectSameBits(values, unshared[i], `output ${i}: shared build, parts one after another, against the unshared build`);
        for (const [r, outputs] of runs.entries()) expectSameBits(outputs[i], values, `output ${i}, threaded run ${r + 1}`);
      });
    }

    it.each(POOL_CASES.map((c) => [c.name, c] as const))(`%s: the same bits on ${THREADS} threads as on one`, (_, c) => expectSameOnThreads(c));

    it.each(MAIN_THREAD_CASES.map((c) => [c.name, c] as const))('%s (no threads): the same bits from the shared build as from the unshared one', (_, c) =>
      expectSameOnThreads(c),
    );
  });
});
