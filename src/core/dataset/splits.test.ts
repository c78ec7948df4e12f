import { describe, expect, it } from 'vitest';
import { classCounts, seedSplit, splitDataset, usageSplit } from './splits';

describe('usageSplit', () => {
  it('maps Training to train, PublicTest to validation, PrivateTest to test, in row order', () => {
    const usage = Uint8Array.from([0, 2, 1, 0, 2, 0]);
    const split = usageSplit(usage);
    expect(Array.from(split.train)).toEqual([0, 3, 5]);
    expect(Array.from(split.validation)).toEqual([2]);
    expect(Array.from(split.test)).toEqual([1, 4]);
  });
});

describe('seedSplit', () => {
  it('holds out 10 % for test, then 10 % of the rest for validation', () => {
    const split = seedSplit(1000, 42);
    expect(split.test.length).toBe(100);
    expect(split.validation.length).toBe(90);
    expect(split.train.length).toBe(810);
  });

  it('covers every row exactly once', () => {
    const split = seedSplit(357, 7);
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 357 }, (_, i) => i));
  });

  it('is reproducible for a seed and differs between seeds', () => {
    expect(Array.from(seedSplit(500, 42).test)).toEqual(Array.from(seedSplit(500, 42).test));
    expect(Array.from(seedSplit(500, 42).test)).not.toEqual(Array.from(seedSplit(500, 43).test));
  });

  it('ignores the Usage column', () => {
    const usage = new Uint8Array(200);
    const split = splitDataset({ rows: 200, usage, labels: new Uint8Array(200) }, { strategy: 'seed', seed: 1 });
    expect(split.test.length).toBe(20);
  });
});

describe('classCounts', () => {
  it('counts labels over all rows or the given rows', () => {
    const labels = Uint8Array.from([0, 3, 3, 6, 1]);
    expect(classCounts(labels, 7)).toEqual([1, 1, 0, 2, 0, 0, 1]);
    expect(classCounts(labels, 7, Uint32Array.from([1, 3]))).toEqual([0, 0, 0, 1, 0, 0, 1]);
  });
});
