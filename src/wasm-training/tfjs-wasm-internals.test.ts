// The WASM backend's internals we use, checked on the tfjs installed, and the SIMD kernels binary checked
// against its declared interface (both builds).
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkedKernels, KERNEL_ARITY, kernelsBuild, relaxedSimdSupported, simdKernels, useRelaxedSimd } from './simd-module';
import { KERNELS_PLAIN_BASE64, KERNELS_PLAIN_RELAXED_BASE64, KERNELS_SHARED_BASE64, KERNELS_SHARED_RELAXED_BASE64 } from './simd/kernels-binary';
import { emscripten, heapOffset } from './tfjs-wasm-internals';
import { initCpuAndWasm } from './wasm-test-utils';

beforeAll(initCpuAndWasm);

describe('tfjs-backend-wasm internals', () => {
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
  afterAll(() => useRelaxedSimd(true));

  it.each(['relaxed', 'plain'] as const)('the committed %s build exports every kernel with the declared parameters', async (build) => {
    await tf.setBackend('wasm');
    useRelaxedSimd(build === 'relaxed');
    expect(kernelsBuild()).toBe(build);
    expect(Object.keys(simdKernels(tf.backend() as BackendWasm)).sort()).toEqual(Object.keys(KERNEL_ARITY).sort());
  });

  it('runs the relaxed build where the engine has relaxed SIMD (Node: the flag the test setup sets), which fuses multiply-adds', () => {
    useRelaxedSimd(true);
    expect(relaxedSimdSupported()).toBe(true);
    expect(kernelsBuild()).toBe('relaxed');
    // f32x4.relaxed_madd is opcode 0xfd 0x105 (LEB128: fd 85 02): in the relaxed builds only.
    const hasRelaxedMadd = (base64: string) => Buffer.from(base64, 'base64').includes(Buffer.from([0xfd, 0x85, 0x02]));
    expect([KERNELS_PLAIN_RELAXED_BASE64, KERNELS_SHARED_RELAXED_BASE64].map(hasRelaxedMadd)).toEqual([true, true]);
    expect([KERNELS_PLAIN_BASE64, KERNELS_SHARED_BASE64].map(hasRelaxedMadd)).toEqual([false, false]);
  });

  it('a missing export or a wrong parameter count is refused, by name', () => {
    const exports = Object.fromEntries(Object.entries(KERNEL_ARITY).map(([name, arity]) => [name, new Function(...Array.from({ length: arity }, (_, i) => `a${i}`), '')]));
    expect(() => checkedKernels(exports as WebAssembly.Exports)).not.toThrow();
    delete exports.sum_rows;
    exports.pack_filter = (a: number) => a;
    expect(() => checkedKernels(exports as WebAssembly.Exports)).toThrow(/sum_rows is missing; pack_filter takes 1 parameters, not 4/);
  });
});
