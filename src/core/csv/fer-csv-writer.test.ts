import { describe, expect, it } from 'vitest';
import { PIXELS } from '../dataset/face-format';
import { ferCsvChunks } from './fer-csv-writer';
import { parseFerBlob } from './parse-fer-blob';

describe('ferCsvChunks', () => {
  it('writes Kaggle\u2019s format, which parses back to the same rows', async () => {
    const rows = 300; // more than one chunk
    const pixels = new Uint8Array(rows * PIXELS).map((_, i) => (i * 7919) % 256);
    const labels = Uint8Array.from({ length: rows }, (_, r) => r % 7);
    const usage = Uint8Array.from({ length: rows }, (_, r) => r % 3);
    const chunks = [...ferCsvChunks({ rows, pixels, labels, usage })];
    expect(chunks.length).toBeGreaterThan(2);
    const text = new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
    const lines = text.split('\n');
    expect(lines[0]).toBe('emotion,pixels,Usage');
    expect(lines[1]).toBe(`0,${Array.from(pixels.subarray(0, PIXELS)).join(' ')},Training`);
    expect(lines[3].endsWith(',PrivateTest')).toBe(true);
    expect(lines.length).toBe(rows + 2); // a final line break
    const parsed = await parseFerBlob(new Blob(chunks));
    expect(parsed.rows).toBe(rows);
    expect(parsed.skipped.count).toBe(0);
    expect(parsed.pixels).toEqual(pixels);
    expect(parsed.labels).toEqual(labels);
    expect(parsed.usage).toEqual(usage);
  });
});
