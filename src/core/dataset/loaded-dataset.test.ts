import { describe, expect, it } from 'vitest';
import { generateDemoBuffers } from '../demo/synthetic-faces';
import { datasetFingerprint } from './fingerprint';
import { describeDataset, statsFor } from './loaded-dataset';
import { seedSplit, usageSplit } from './splits';
import { computePixelStats } from './standardize';

const buffers = generateDemoBuffers({ training: 60, publicTest: 20, privateTest: 20, seed: 5 });
const info = { name: 'x', synthetic: true, bytes: 1, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 };

describe('describeDataset', () => {
  const dataset = describeDataset(buffers, info, 42);

  it('computes training-only, seed-split and all-row statistics equal to direct computation', () => {
    const usageTrain = computePixelStats(buffers.pixels, usageSplit(buffers.usage).train);
    const seedTrain = computePixelStats(buffers.pixels, seedSplit(buffers.rows, 42).train);
    const all = computePixelStats(buffers.pixels);
    for (const j of [0, 500, 2303]) {
      expect(dataset.stats.usageTrain!.mean[j]).toBeCloseTo(usageTrain.mean[j], 3);
      expect(dataset.stats.usageTrain!.std[j]).toBeCloseTo(usageTrain.std[j], 3);
      expect(dataset.stats.seedTrain.mean[j]).toBeCloseTo(seedTrain.mean[j], 3);
      expect(dataset.stats.seedTrain.std[j]).toBeCloseTo(seedTrain.std[j], 3);
      expect(dataset.stats.all.std[j]).toBeCloseTo(all.std[j], 3);
    }
    expect(dataset.stats.usageTrain!.rows).toBe(60);
    expect(dataset.stats.seedTrain.rows).toBe(seedSplit(100, 42).train.length);
    expect(dataset.stats.all.rows).toBe(100);
  });

  it('picks statistics by split and the seed-faithful switch', () => {
    expect(statsFor(dataset, { strategy: 'usage', seed: 42 }, false)).toBe(dataset.stats.usageTrain);
    expect(statsFor(dataset, { strategy: 'seed', seed: 42 }, false)).toBe(dataset.stats.seedTrain);
    expect(statsFor(dataset, { strategy: 'usage', seed: 42 }, true)).toBe(dataset.stats.all);
  });

  it('has no Usage statistics when the file had no Usage column', () => {
    expect(describeDataset(buffers, { ...info, hasUsage: false }).stats.usageTrain).toBeNull();
  });
});

describe('datasetFingerprint', () => {
  it('is stable for equal data and changes with one pixel or one label', () => {
    const copy = { ...buffers, pixels: buffers.pixels.slice(), labels: buffers.labels.slice() };
    expect(datasetFingerprint(copy)).toBe(datasetFingerprint(buffers));
    copy.pixels[12345] ^= 1;
    expect(datasetFingerprint(copy)).not.toBe(datasetFingerprint(buffers));
    copy.pixels[12345] ^= 1;
    copy.labels[7] = (copy.labels[7] + 1) % 7;
    expect(datasetFingerprint(copy)).not.toBe(datasetFingerprint(buffers));
  });
});
