// The internals the adapter uses, checked on the tfjs installed: a tfjs upgrade fails here, by name, before
// anything subtle breaks in training.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initCpuAndWasm } from './wasm/wasm-test-utils';
import { assertKnownTfjs, emscripten, heapOffset, KNOWN_TFJS_VERSION, setOptimizerLearningRate, sgdRateScalar } from './tfjs-internals';
import { checkedKernels, KERNEL_ARITY, simdKernels } from './wasm/simd-module';

beforeAll(initCpuAndWasm);

describe('tfjs internals adapter', () => {
  it('knows the tfjs installed, and refuses loudly any other version', () => {
    expect(tf.version_core).toBe(KNOWN_TFJS_VERSION);
    expect(() => assertKnownTfjs()).not.toThrow();
    expect(() => assertKnownTfjs('4.23.0')).toThrow(/tfjs 4\.23\.0 is not the version .*tfjs-internals\.ts.*4\.22\.0/);
  });

  it('sets the learning rate of Adam and of SGD with momentum, which keep it in different places', () => {
    const adam = tf.train.adam(0.1);
    setOptimizerLearningRate(adam, 0.02);
    expect((adam as unknown as { learningRate: number }).learningRate).toBe(0.02);
    const momentum = tf.train.momentum(0.1, 0.9, true);
    setOptimizerLearningRate(momentum, 0.03);
    expect(sgdRateScalar(momentum)?.dataSync()[0]).toBeCloseTo(-0.03, 6); // SGD keeps the negated rate
    momentum.dispose();
    sgdRateScalar(momentum)?.dispose();
    adam.dispose();
  });

  it('finds a tensor\u2019s bytes in the WASM heap', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as BackendWasm;
    const tensor = tf.tensor1d([1.5, -2.25, 3]);
    const offset = heapOffset(backend, tensor);
    expect(Array.from(new Float32Array(emscripten(backend).HEAPU8.buffer, offset, 3))).toEqual([1.5, -2.25, 3]);
    expect(typeof emscripten(backend)._malloc).toBe('function');
    tensor.dispose();
  });
});

describe('SIMD kernels binary against its interface', () => {
  it('the committed binary exports every kernel with the declared parameters', async () => {
    await tf.setBackend('wasm');
    expect(Object.keys(simdKernels(tf.backend() as BackendWasm)).sort()).toEqual(Object.keys(KERNEL_ARITY).sort());
  });

  it('a missing export or a wrong parameter count is refused, by name', () => {
    const exports = Object.fromEntries(Object.entries(KERNEL_ARITY).map(([name, arity]) => [name, new Function(...Array.from({ length: arity }, (_, i) => `a${i}`), '')]));
    expect(() => checkedKernels(exports as WebAssembly.Exports)).not.toThrow();
    delete exports.sum_rows;
    exports.pack_filter = (a: number) => a;
    expect(() => checkedKernels(exports as WebAssembly.Exports)).toThrow(/sum_rows is missing; pack_filter takes 1 parameters, not 4/);
  });
});
