import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { useWinograd } from './conv2d-simd';
import { splitTasksForTests } from './simd-threads';
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
