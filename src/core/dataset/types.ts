// Pure data-set types shared by workers, storage and UI. No DOM.
import type { AppliedMapping } from '../labels/mapping';
import type { LabelSet } from '../labels/label-set';

/**
 * A FER-style data set packed into typed arrays (what crosses threads, transferred).
 * pixels: Uint8Array, length rows*2304, row-major 48x48 gray levels 0–255.
 * labels: Uint8Array, length rows, class index into labelSet.names, or LABEL_NONE (255) for a row that is no class
 *   of the set (left out of every split: a face FER+ drops by majority, a class a mapping leaves out).
 * usage: Uint8Array, length rows, index into USAGES (0 Training, 1 PublicTest, 2 PrivateTest).
 * votes: crowd votes per row when the data has them (FER+): Uint8Array, length rows*(K+2): the K classes'
 *   counts, then `unknown` and `not a face`; `labels` then holds the majority label.
 */
export interface DatasetBuffers {
  rows: number;
  pixels: Uint8Array;
  labels: Uint8Array;
  usage: Uint8Array;
  labelSet: LabelSet;
  votes?: Uint8Array;
  /** Set when the classes were merged or some left out at load: the source classes and the mapping. */
  mapping?: AppliedMapping;
}

/** Rows a loader did not load: how many, and the first reasons. */
export interface SkippedRows {
  /** Number of data rows (or image files) that were not loaded. */
  count: number;
  /** The first MAX_REPORTED_ROWS reasons, like `row 1812: expected 2304 pixels, found 2303`. */
  first: string[];
}

/** What a data-set loader returns (a FER2013 CSV's parser, the image-folder loader): the rows and what it skipped. */
export interface ParsedDataset extends DatasetBuffers {
  /** False when the source says nothing of splits (a CSV without a Usage column): every row is then Training. */
  hasUsage: boolean;
  skipped: SkippedRows;
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
