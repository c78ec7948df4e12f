// The machine's SIMD multiply-add peak on the kernel threads (kernels.c's simd_peak), so bench:train can say
// what share of it each net's training step turns into useful arithmetic. Pure; runs where the kernels run.
import { kernelsBuild } from './simd-module';
import { simdPool } from './simd-threads';
import { type BackendWasm, emscripten } from './wasm-backend';

/** Multiply-adds one round of simd_peak does (12 chains of 4 lanes). */
export const PEAK_MULTIPLY_ADDS_PER_ROUND = 48;

export interface SimdPeak {
  /** Four-lane multiply-adds per second over all threads, counted per lane (one lane = one multiply and one add). */
  multiplyAddsPerSecond: number;
  /** Threads that ran it at once (the caller's included). */
  threads: number;
  /** The kernels build it ran in: 'relaxed' issues one fused instruction per madd, 'plain' a multiply and an add. */
  build: 'relaxed' | 'plain';
  /** Each thread's sum of its 12 chains, each rounds * a * b (exact in float32 here): a check that the work was done. */
  sums: number[];
}

/**
 * Runs simd_peak on every thread of the backend's pool at once, `repeats` times, and keeps the fastest repeat
 * (a peak: the slower ones lost time to something else). `rounds` per thread and repeat; `now` is the clock in ms.
 */
export function measureSimdPeak(backend: BackendWasm, { rounds = 1 << 23, repeats = 7, now = () => performance.now() } = {}): SimdPeak {
  const pool = simdPool(backend);
  const threads = pool.parts();
  const module = emscripten(backend);
  // Three floats per thread, each thread's own 64-byte line (no false sharing while they run).
  const stride = 16;
  const offset = module._malloc(threads * stride * 4) >>> 0;
  try {
    const state = () => new Float32Array(module.HEAPU8.buffer, offset, threads * stride);
    let best = Infinity;
    let sums: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const view = state();
      for (let t = 0; t < threads; t++) view.set([1, 1 / 1024, 0], t * stride);
      const args = Array.from({ length: threads }, (_, t) => [offset + t * stride * 4, rounds]);
      const started = now();
      pool.run('simd_peak', args);
      best = Math.min(best, now() - started);
      const after = state();
      sums = Array.from({ length: threads }, (_, t) => after[t * stride + 2]);
    }
    return { multiplyAddsPerSecond: (threads * rounds * PEAK_MULTIPLY_ADDS_PER_ROUND) / (best / 1000), threads, build: kernelsBuild(), sums };
  } finally {
    module._free(offset);
  }
}
