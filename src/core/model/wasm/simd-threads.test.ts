import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { splitTasksForTests } from './simd-threads';
import { expectSameOnBoth, initCpuAndWasm, randomInput } from './wasm-test-utils';

// Node has no shared memory, so no kernel threads; splitting tasks into parts run one after another checks
// the same partitioning arithmetic the threads use (pixel ranges, output-channel ranges).
beforeAll(async () => {
  await initCpuAndWasm();
  splitTasksForTests(3);
});
afterAll(() => splitTasksForTests(1));

describe('kernels split into parts', () => {
  it.each([
    [2, 9, 12, 20, 'same'],
    [3, 7, 8, 7, 'valid'],
    [2, 5, 16, 40, 'same'],
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
