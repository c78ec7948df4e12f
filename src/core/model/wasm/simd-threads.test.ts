import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATCH_NORM_TRAINING } from './batch-norm-training';
import { useWinograd } from './conv2d-simd';
import { splitRange, splitTasksForTests } from './simd-threads';
import { expectSameOnBoth, initCpuAndWasm, randomInput } from './wasm-test-utils';

// Node has no shared memory, so no kernel threads; splitting tasks into parts run one after another checks
// the same partitioning arithmetic the threads use (pixel ranges, output-channel ranges).
beforeAll(async () => {
  await initCpuAndWasm();
  splitTasksForTests(3);
});
afterAll(() => {
  splitTasksForTests(1);
  useWinograd(true);
});

describe.each(['winograd', 'direct'])('kernels split into parts, %s 3x3', (algorithm) => {
  beforeAll(() => useWinograd(algorithm === 'winograd'));
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
    await expectSameOnBoth('conv', [x, filter], (a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad));
    await expectSameOnBoth('grads', [x, filter, dy], (a, b, g) =>
      tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 1, pad), g)))([a, b]),
    );
  });
});

describe('memory-bound kernels split into parts', () => {
  // 4 x 16 x 16 x 36 = 36,864 floats: above the size at which they split; 36 channels = 9 runs of 4 over 3 parts.
  const shape = [4, 16, 16, 36];

  it('BatchNorm (training statistics, normalisation, both gradient passes), ReLU and max-pool gradients match the CPU backend', async () => {
    const x = randomInput(shape, 81);
    const gamma = randomInput([36], 82);
    const beta = randomInput([36], 83);
    await expectSameOnBoth('bn + relu + pool', [x, gamma, beta], (a, g, b) =>
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
    );
  });

  it('splitRange gives whole units, covers the range once, and never more parts than units', () => {
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
