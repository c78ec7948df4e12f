// The kernel pool's stall timeout, on real threads (worker_threads on a shared memory): a thread that does not
// finish its part ends the task with an error naming the kernel, instead of a wait that never ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNodeWorkers, threadedBackend } from './shared-memory-test-utils';
import { measureSimdPeak } from './simd-peak';
import { KernelThreadsStalledError, setPoolStallMsForTests, simdPool } from './simd-threads';
import { type BackendWasm, emscripten } from './wasm-backend';
import { initCpuAndWasm } from './wasm-test-utils';

describe('the kernel pool when a thread does not finish its part', () => {
  let restoreWorkers: () => void;
  let threaded: BackendWasm;
  beforeAll(async () => {
    await initCpuAndWasm();
    restoreWorkers = installNodeWorkers();
    threaded = await threadedBackend(2);
  });
  afterAll(() => {
    setPoolStallMsForTests(null);
    restoreWorkers();
  });

  /** The pool, the module and 128 bytes of simd_peak state (two parts' worth) on the wasm heap; free it after. */
  const peakState = () => {
    const module = emscripten(threaded);
    const state = module._malloc(128) >>> 0;
    new Float32Array(module.HEAPU8.buffer, state, 32).set([1, 1 / 1024, 0, 0, 0, 0, 0, 0, 1, 1 / 1024, 0]);
    return { pool: simdPool(threaded), module, state };
  };

  it('a part that throws in its thread is counted done and run again by the caller, whose error is the task\'s', () => {
    const { pool, module, state } = peakState();
    try {
      expect(pool.parts()).toBe(2);
      // The thread's part reads past the end of memory: it traps there, and again on the caller, at once.
      const outside = module.HEAPU8.buffer.byteLength + 4096;
      expect(() => pool.run('simd_peak', [[state, 1], [outside, 1]])).toThrow(WebAssembly.RuntimeError);
      // The thread lived through it: the next split task runs on both.
      expect(pool.parts()).toBe(2);
      pool.run('simd_peak', [[state, 1], [state + 32, 1]]);
    } finally {
      module._free(state);
    }
  });

  it('fails the task naming the kernel, stops the threads, and runs later tasks on the caller alone', () => {
    const { pool, module, state } = peakState();
    try {
      setPoolStallMsForTests(300);
      // The caller's part: one round. The thread's: 2^31 - 1 rounds of 48 multiply-adds, seconds at any speed.
      expect(() => pool.run('simd_peak', [[state, 1], [state + 32, 2 ** 31 - 1]])).toThrow(KernelThreadsStalledError);
      expect(() => pool.run('simd_peak', [[state, 1], [state + 32, 1]]), 'a split task once stopped').toThrow(/pool has 1 parts/);
      expect(pool.parts()).toBe(1);
      const peak = measureSimdPeak(threaded, { rounds: 1 << 10, repeats: 1 });
      expect([peak.threads, peak.sums]).toEqual([1, [12]]);
    } finally {
      module._free(state);
    }
  });

  it('names the kernel and the wait in its message', () => {
    expect(new KernelThreadsStalledError('conv_forward', 61_200).message).toBe(
      'the SIMD kernel threads did not finish conv_forward in 61 s; they were stopped, and kernels run on one thread from now on',
    );
  });
});
