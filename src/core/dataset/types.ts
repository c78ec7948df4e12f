// Pure data-set types shared by workers, storage and UI. No DOM.

/**
 * A FER-style data set packed into typed arrays (what crosses threads, transferred).
 * pixels: Uint8Array, length rows*2304, row-major 48x48 gray levels 0–255.
 * labels: Uint8Array, length rows, emotion index 0–6 (see EMOTIONS).
 * usage: Uint8Array, length rows, index into USAGES (0 Training, 1 PublicTest, 2 PrivateTest).
 */
export interface DatasetBuffers {
  rows: number;
  pixels: Uint8Array;
  labels: Uint8Array;
  usage: Uint8Array;
}

/** Per-pixel standardisation: x' = (x - mean[i]) / std[i]. Each Float32Array has length 2304. */
export interface PixelStats {
  mean: Float32Array;
  std: Float32Array;
  /** How many rows the statistics were computed over. */
  rows: number;
}

/** Which rows train, validate and test. */
export type SplitStrategy = 'usage' | 'seed';

/** Row indices of each split (ascending for 'usage', shuffled for 'seed'). */
export interface SplitIndices {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}
