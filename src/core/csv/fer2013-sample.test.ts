// Reads the real FER2013 sample from ../shared (never committed). Fails under CI when it is missing.
import { openAsBlob, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ferDataFile, SAMPLE_CSV } from '../../../scripts/fer-data';
import { PIXELS, USAGES } from '../dataset/face-format';
import { parseFerBlob } from './parse-fer-blob';

const path = ferDataFile(SAMPLE_CSV);

describe.skipIf(path === null)('the real 2,000-row FER2013 sample', () => {
  it('parses every row exactly as a plain split-based reading of the file', async () => {
    const parsed = await parseFerBlob(await openAsBlob(path!));
    const lines = readFileSync(path!, 'utf8').trimEnd().split('\n').slice(1);
    expect(parsed.rows).toBe(2000);
    expect(lines.length).toBe(2000);
    expect(parsed.skipped.count).toBe(0);
    for (const index of [0, 1, 999, 1999]) {
      const [label, pixels, usage] = lines[index].split(',');
      expect(parsed.labels[index]).toBe(Number(label));
      expect(USAGES[parsed.usage[index]]).toBe(usage);
      expect(Array.from(parsed.pixels.subarray(index * PIXELS, (index + 1) * PIXELS))).toEqual(pixels.split(' ').map(Number));
    }
    const usageCounts = [0, 0, 0];
    parsed.usage.forEach((u) => usageCounts[u]++);
    expect(usageCounts).toEqual([1600, 200, 200]); // per the data README
  });
});
