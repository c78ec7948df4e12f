import { describe, expect, it } from 'vitest';
import { parseFerBlob } from '../csv/parse-fer-blob';
import { classCounts } from '../dataset/splits';
import { PIXELS } from '../dataset/face-format';
import { FER2013_EMOTIONS } from '../labels/fer2013';
import { DEMO_CLASS_SHARES, defaultDemoOptions, generateDemoBuffers } from './synthetic-faces';
import { ferCsvChunks } from '../csv/fer-csv-writer';

const small = { training: 210, publicTest: 70, privateTest: 70, seed: 11 };

describe('generateDemoBuffers', () => {
  const data = generateDemoBuffers(small);

  it('has the requested rows per Usage, in file order', () => {
    expect(data.rows).toBe(350);
    expect(Array.from(data.usage.subarray(0, 210)).every((u) => u === 0)).toBe(true);
    expect(Array.from(data.usage.subarray(210, 280)).every((u) => u === 1)).toBe(true);
    expect(Array.from(data.usage.subarray(280)).every((u) => u === 2)).toBe(true);
  });

  it('mixes the classes in the documented shares', () => {
    const counts = classCounts(data.labels.subarray(0, 210), 7);
    counts.forEach((count, k) => expect(Math.abs(count - DEMO_CLASS_SHARES[k] * 210)).toBeLessThanOrEqual(1));
  });

  it('is reproducible from its seed and differs with another seed', () => {
    expect(generateDemoBuffers(small).pixels).toEqual(data.pixels);
    expect(generateDemoBuffers({ ...small, seed: 12 }).pixels).not.toEqual(data.pixels);
  });

  it('draws faces with real contrast, not blank images', () => {
    const face = data.pixels.subarray(0, PIXELS);
    expect(Math.max(...face) - Math.min(...face)).toBeGreaterThan(80);
  });

  it('draws classes that can be told apart: nearest class mean beats chance by far on held-out faces', () => {
    // Class means from Training rows, judged on the test rows (Pearson-style: subtract each image's mean).
    const center = (row: number) => {
      const face = data.pixels.subarray(row * PIXELS, (row + 1) * PIXELS);
      const mean = face.reduce((a, b) => a + b, 0) / PIXELS;
      return Float64Array.from(face, (v) => v - mean);
    };
    const means = Array.from({ length: FER2013_EMOTIONS.length }, () => new Float64Array(PIXELS));
    const counts = new Array<number>(FER2013_EMOTIONS.length).fill(0);
    for (let r = 0; r < 210; r++) {
      const face = center(r);
      counts[data.labels[r]]++;
      for (let j = 0; j < PIXELS; j++) means[data.labels[r]][j] += face[j];
    }
    means.forEach((m, k) => m.forEach((v, j) => (m[j] = v / counts[k])));
    let correct = 0;
    for (let r = 210; r < 350; r++) {
      const face = center(r);
      const distances = means.map((m) => m.reduce((a, v, j) => a + (v - face[j]) ** 2, 0));
      if (distances.indexOf(Math.min(...distances)) === data.labels[r]) correct++;
    }
    // Chance is 1/7 ≈ 0.14; this crude template matcher measured 0.27 (pose and lighting vary a lot).
    expect(correct / 140).toBeGreaterThan(0.2);
  });
});

describe('demo faces as CSV', () => {
  it('are written in the FER2013 format, which our parser reads back exactly', async () => {
    const data = generateDemoBuffers({ ...small, training: 14, publicTest: 7, privateTest: 7 });
    const csv = new TextDecoder().decode(await new Blob([...ferCsvChunks(data)]).arrayBuffer());
    expect(csv.startsWith('emotion,pixels,Usage\n')).toBe(true);
    expect(csv.split('\n')[1]).toMatch(/^[0-6],(\d{1,3} ){2303}\d{1,3},Training$/);
    const parsed = await parseFerBlob(new Blob([csv]));
    expect(parsed.rows).toBe(28);
    expect(parsed.pixels).toEqual(data.pixels);
    expect(parsed.labels).toEqual(data.labels);
    expect(parsed.usage).toEqual(data.usage);
  });

  it('defaults to a small set a CPU-only laptop can train on', () => {
    expect(defaultDemoOptions.training + defaultDemoOptions.publicTest + defaultDemoOptions.privateTest).toBe(2100);
  });
});
