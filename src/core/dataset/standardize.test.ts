import { describe, expect, it } from 'vitest';
import { PIXELS } from './face-format';
import { createRng } from '../random';
import { computePixelStats, PixelMoments, standardizeFace, standardizeRows } from './standardize';

function randomPixels(rows: number, seed: number): Uint8Array {
  const random = createRng(seed);
  return Uint8Array.from({ length: rows * PIXELS }, () => Math.floor(random() * 256));
}

/** Reference: two-pass mean and population std for one pixel, in float64. */
function reference(pixels: Uint8Array, rows: number[], j: number) {
  const values = rows.map((r) => pixels[r * PIXELS + j]);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('computePixelStats', () => {
  const pixels = randomPixels(40, 1);

  it('matches a two-pass per-pixel mean and population std', () => {
    const all = Array.from({ length: 40 }, (_, i) => i);
    const stats = computePixelStats(pixels);
    expect(stats.rows).toBe(40);
    for (const j of [0, 1, 777, 2303]) {
      const expected = reference(pixels, all, j);
      expect(stats.mean[j]).toBeCloseTo(expected.mean, 4);
      expect(stats.std[j]).toBeCloseTo(expected.std, 4);
    }
  });

  it('uses only the given rows', () => {
    const rows = [3, 5, 8, 13, 21];
    const stats = computePixelStats(pixels, Uint32Array.from(rows));
    expect(stats.rows).toBe(5);
    const expected = reference(pixels, rows, 100);
    expect(stats.mean[100]).toBeCloseTo(expected.mean, 4);
    expect(stats.std[100]).toBeCloseTo(expected.std, 4);
  });

  it('gives std 1 where a pixel never varies, so standardising never divides by zero', () => {
    const flat = new Uint8Array(3 * PIXELS).fill(9);
    const stats = computePixelStats(flat);
    expect(stats.mean[0]).toBe(9);
    expect(stats.std[0]).toBe(1);
    expect(Array.from(standardizeRows(flat, [0], stats).subarray(0, 3))).toEqual([0, 0, 0]);
  });

  it('moments of disjoint row sets add and subtract', () => {
    const a = new PixelMoments().addRows(pixels, [0, 1, 2]);
    const b = new PixelMoments().addRows(pixels, [3, 4]);
    const both = a.combine(b, 1);
    const direct = new PixelMoments().addRows(pixels, [0, 1, 2, 3, 4]);
    expect(both.rows).toBe(5);
    expect(Array.from(both.sum)).toEqual(Array.from(direct.sum));
    expect(Array.from(both.combine(b, -1).sumSquares)).toEqual(Array.from(a.sumSquares));
  });
});

describe('standardizeRows', () => {
  it('gives zero mean and unit std per pixel over the rows the stats came from', () => {
    const pixels = randomPixels(30, 2);
    const rows = Array.from({ length: 30 }, (_, i) => i);
    const out = standardizeRows(pixels, rows, computePixelStats(pixels));
    expect(out.length).toBe(30 * PIXELS);
    for (const j of [0, 1234]) {
      const column = rows.map((r) => out[r * PIXELS + j]);
      const mean = column.reduce((a, b) => a + b, 0) / 30;
      const variance = column.reduce((a, v) => a + (v - mean) ** 2, 0) / 30;
      expect(mean).toBeCloseTo(0, 4);
      expect(variance).toBeCloseTo(1, 4);
    }
  });
});

describe('standardizeFace (the one standardisation: training, evaluation, Try it, CLI)', () => {
  const face = Uint8Array.from({ length: 3 * PIXELS }, (_, i) => (i * 37) % 256);
  const mean = Float32Array.from({ length: PIXELS }, (_, j) => 100 + (j % 48));
  const std = Float32Array.from({ length: PIXELS }, (_, j) => 20 + (j % 7));

  it('matches a plain reference, at any offset in and out', () => {
    const out = new Float32Array(2 * PIXELS).fill(NaN);
    standardizeFace(face, 2 * PIXELS, { mean, std }, out, PIXELS);
    for (let j = 0; j < PIXELS; j++) expect(out[PIXELS + j]).toBeCloseTo((face[2 * PIXELS + j] - mean[j]) / std[j], 6);
    expect(Number.isNaN(out[PIXELS - 1])).toBe(true); // nothing written before `at`
  });

  it('mirrors the raw face, then standardises each pixel with the statistics of where it lands', () => {
    const out = new Float32Array(PIXELS);
    standardizeFace(face, 0, { mean, std }, out, 0, true);
    for (let y = 0; y < 48; y++)
      for (let x = 0; x < 48; x++) expect(out[y * 48 + x]).toBeCloseTo((face[y * 48 + 47 - x] - mean[y * 48 + x]) / std[y * 48 + x], 6);
  });
});
