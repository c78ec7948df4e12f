// Pure per-pixel standardisation statistics (the tutorial's x = (x - mean) / std over axis 0). No DOM.
import { PIXELS } from '../emotions';
import type { PixelStats } from './types';

/**
 * Running per-pixel sums over some rows, in float64 (exact for gray levels: 36k rows * 255^2 << 2^53).
 * Sums of disjoint row sets add and subtract, so one pass can serve several statistics.
 */
export class PixelMoments {
  readonly sum = new Float64Array(PIXELS);
  readonly sumSquares = new Float64Array(PIXELS);
  rows = 0;

  /** Adds rows (all rows when omitted) of pixels: Uint8Array, length n*2304. */
  addRows(pixels: Uint8Array, rows?: ArrayLike<number>): this {
    const count = rows === undefined ? pixels.length / PIXELS : rows.length;
    const { sum, sumSquares } = this;
    for (let r = 0; r < count; r++) {
      const offset = (rows === undefined ? r : rows[r]) * PIXELS;
      for (let j = 0; j < PIXELS; j++) {
        const value = pixels[offset + j];
        sum[j] += value;
        sumSquares[j] += value * value;
      }
    }
    this.rows += count;
    return this;
  }

  /** this + other (sign 1) or this - other (sign -1), as a new object. */
  combine(other: PixelMoments, sign: 1 | -1): PixelMoments {
    const out = new PixelMoments();
    for (let j = 0; j < PIXELS; j++) {
      out.sum[j] = this.sum[j] + sign * other.sum[j];
      out.sumSquares[j] = this.sumSquares[j] + sign * other.sumSquares[j];
    }
    out.rows = this.rows + sign * other.rows;
    return out;
  }

  /** Mean and population std (numpy's np.std, ddof 0); a pixel with zero spread gets std 1. */
  toStats(): PixelStats {
    const mean = new Float32Array(PIXELS);
    const std = new Float32Array(PIXELS);
    const n = this.rows;
    for (let j = 0; j < PIXELS; j++) {
      const m = n > 0 ? this.sum[j] / n : 0;
      const variance = n > 0 ? Math.max(0, this.sumSquares[j] / n - m * m) : 0;
      mean[j] = m;
      std[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
    }
    return { mean, std, rows: n };
  }
}

/**
 * Per-pixel mean and population standard deviation over the given rows (all when omitted).
 * @param pixels Uint8Array, length rows*2304, row-major 48x48.
 */
export function computePixelStats(pixels: Uint8Array, rows?: ArrayLike<number>): PixelStats {
  return new PixelMoments().addRows(pixels, rows).toStats();
}

/**
 * Standardises rows into a new Float32Array of length rows.length*2304 (caller owns it).
 * @param pixels Uint8Array, length n*2304.
 */
export function standardizeRows(pixels: Uint8Array, rows: ArrayLike<number>, stats: PixelStats): Float32Array {
  const out = new Float32Array(rows.length * PIXELS);
  const { mean, std } = stats;
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r] * PIXELS;
    const to = r * PIXELS;
    for (let j = 0; j < PIXELS; j++) out[to + j] = (pixels[from + j] - mean[j]) / std[j];
  }
  return out;
}
