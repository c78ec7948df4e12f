import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNodeWorkers, threadedBackend } from './shared-memory-test-utils';
import { measureSimdPeak, PEAK_MULTIPLY_ADDS_PER_ROUND } from './simd-peak';
import type { BackendWasm } from './wasm-backend';
import { forEachBuild, initCpuAndWasm } from './wasm-test-utils';

beforeAll(initCpuAndWasm);

/** A clock that moves `stepMs` each time it is read: every repeat then takes exactly stepMs. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

// Each chain adds a*b = 1/1024 per round; 12 chains, exact in float32 for these counts.
const chainsSum = (rounds: number) => (12 * rounds) / 1024;

describe('measureSimdPeak', () => {
  forEachBuild((build) => {
    it('on one thread: every round done, the rate is the multiply-adds over the fastest repeat', async () => {
      await tf.setBackend('wasm');
      const rounds = 1 << 12;
      const peak = measureSimdPeak(tf.backend() as BackendWasm, { rounds, repeats: 2, now: steppingClock(4) });
      expect(peak).toEqual({ multiplyAddsPerSecond: (rounds * PEAK_MULTIPLY_ADDS_PER_ROUND) / 0.004, threads: 1, build, sums: [chainsSum(rounds)] });
    });
  });

  describe('on the kernel threads (worker_threads on a shared memory)', () => {
    let restoreWorkers: () => void;
    let threaded: BackendWasm;
    beforeAll(async () => {
      restoreWorkers = installNodeWorkers();
      threaded = await threadedBackend(2);
    });
    afterAll(() => restoreWorkers());

    it('both threads do all their rounds, and the rate counts both', () => {
      const rounds = 1 << 14;
      const peak = measureSimdPeak(threaded, { rounds, repeats: 3, now: steppingClock(2) });
      expect(peak.threads).toBe(2);
      expect(peak.sums).toEqual([chainsSum(rounds), chainsSum(rounds)]);
      expect(peak.multiplyAddsPerSecond).toBe((2 * rounds * PEAK_MULTIPLY_ADDS_PER_ROUND) / 0.002);
    });

    it('with the real clock: a finite, positive rate', () => {
      const peak = measureSimdPeak(threaded, { rounds: 1 << 16, repeats: 2 });
      expect(peak.multiplyAddsPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(peak.multiplyAddsPerSecond)).toBe(true);
    });
  });
});
