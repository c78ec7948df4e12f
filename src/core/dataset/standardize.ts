// Pure per-pixel standardisation statistics (the tutorial's x = (x - mean) / std over axis 0). No DOM.
import { IMAGE_SIZE, PIXELS } from './face-format';
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
 * The model's input for one face: out[at + j] = (face[from + j] - mean[j]) / std[j], j < 2304. The one
 * standardisation of the app: training, evaluation, Try it and the CLI all come here, so a model always sees
 * what it was trained on. With mirror, the face is flipped left-right first (the raw face, so each pixel is
 * standardised with the statistics of the position it lands on: exactly what a mirrored photo would give).
 * @param face gray levels 0–255 (a data set's Uint8Array rows, or a Float32Array crop), 48x48 row-major at `from`.
 */
export function standardizeFace(
  face: ArrayLike<number>,
  from: number,
  stats: Pick<PixelStats, 'mean' | 'std'>,
  out: Float32Array,
  at: number,
  mirror = false,
): void {
  const { mean, std } = stats;
  if (!mirror) {
    for (let j = 0; j < PIXELS; j++) out[at + j] = (face[from + j] - mean[j]) / std[j];
    return;
  }
  for (let y = 0; y < IMAGE_SIZE; y++) {
    const row = y * IMAGE_SIZE;
    for (let x = 0; x < IMAGE_SIZE; x++) out[at + row + x] = (face[from + row + IMAGE_SIZE - 1 - x] - mean[row + x]) / std[row + x];
  }
}

/**
 * Standardises rows into a new Float32Array of length rows.length*2304 (caller owns it).
 * @param pixels Uint8Array, length n*2304.
 */
export function standardizeRows(pixels: Uint8Array, rows: ArrayLike<number>, stats: PixelStats): Float32Array {
  const out = new Float32Array(rows.length * PIXELS);
  for (let r = 0; r < rows.length; r++) standardizeFace(pixels, rows[r] * PIXELS, stats, out, r * PIXELS);
  return out;
}
