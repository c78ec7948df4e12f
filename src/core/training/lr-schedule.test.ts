import { describe, expect, it } from 'vitest';
import { oneCycleLearningRate, planProgress, WARMUP_FRACTION } from './lr-schedule';

describe('oneCycleLearningRate', () => {
  it('warms up linearly from a tenth of the peak, then decays by a cosine to 1 % of it', () => {
    expect(oneCycleLearningRate(0.05, 0)).toBeCloseTo(0.005, 10);
    expect(oneCycleLearningRate(0.05, WARMUP_FRACTION / 2)).toBeCloseTo(0.05 * 0.55, 10);
    expect(oneCycleLearningRate(0.05, WARMUP_FRACTION)).toBeCloseTo(0.05, 10);
    const middle = WARMUP_FRACTION + (1 - WARMUP_FRACTION) / 2;
    expect(oneCycleLearningRate(0.05, middle)).toBeCloseTo(0.05 * (0.01 + 0.99 * 0.5), 10);
    expect(oneCycleLearningRate(0.05, 1)).toBeCloseTo(0.0005, 10);
    // Past the end (the last batch of a budget) and before the start it stays at the ends.
    expect(oneCycleLearningRate(0.05, 1.2)).toBeCloseTo(0.0005, 10);
    expect(oneCycleLearningRate(0.05, -1)).toBeCloseTo(0.005, 10);
  });

  it('only falls after the warm-up', () => {
    let previous = Infinity;
    for (let p = WARMUP_FRACTION; p <= 1; p += 0.01) {
      const lr = oneCycleLearningRate(1, p);
      expect(lr).toBeLessThanOrEqual(previous);
      previous = lr;
    }
  });
});

describe('planProgress', () => {
  it('follows training time when there is a budget, batches otherwise', () => {
    expect(planProgress({ budgetMinutes: 10, epochs: 1000 }, { trainingMs: 150_000, steps: 3, stepsPerEpoch: 100 })).toBeCloseTo(0.25);
    expect(planProgress({ budgetMinutes: null, epochs: 4 }, { trainingMs: 150_000, steps: 100, stepsPerEpoch: 100 })).toBeCloseTo(0.25);
  });
});
