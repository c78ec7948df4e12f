// Pure train/validation/test splitting and class counting. No DOM.
import { LABEL_NONE } from '../labels/label-set';
import { USAGE_PRIVATE_TEST, USAGE_PUBLIC_TEST, USAGE_TRAINING } from './face-format';
import { createRng, shuffleInPlace } from '../random';
import type { DatasetBuffers, SplitIndices, SplitStrategy } from './types';

/** The tutorial's split used random_state 42; we show and default to the same seed. */
export const DEFAULT_SPLIT_SEED = 42;
/** Fraction of all rows held out for testing by the seed split, then of the rest for validation. */
export const SEED_SPLIT_FRACTION = 0.1;

export interface SplitOptions {
  strategy: SplitStrategy;
  seed: number;
}

export const defaultSplitOptions: SplitOptions = { strategy: 'usage', seed: DEFAULT_SPLIT_SEED };

/** Usage split: Training -> train, PublicTest -> validation, PrivateTest -> test (ascending row order). */
export function usageSplit(usage: Uint8Array): SplitIndices {
  const sizes = [0, 0, 0];
  for (let i = 0; i < usage.length; i++) sizes[usage[i]]++;
  const out = [new Uint32Array(sizes[0]), new Uint32Array(sizes[1]), new Uint32Array(sizes[2])];
  const fill = [0, 0, 0];
  for (let i = 0; i < usage.length; i++) out[usage[i]][fill[usage[i]]++] = i;
  return { train: out[USAGE_TRAINING], validation: out[USAGE_PUBLIC_TEST], test: out[USAGE_PRIVATE_TEST] };
}

/**
 * Seed split (as the tutorial): a reproducible random 10 % of all rows for test, then 10 % of the rest
 * for validation, the remainder for training. Ignores Usage.
 */
export function seedSplit(rows: number, seed: number): SplitIndices {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  shuffleInPlace(order, createRng(seed));
  const testSize = Math.round(rows * SEED_SPLIT_FRACTION);
  const validationSize = Math.round((rows - testSize) * SEED_SPLIT_FRACTION);
  return {
    test: order.slice(0, testSize),
    validation: order.slice(testSize, testSize + validationSize),
    train: order.slice(testSize + validationSize),
  };
}

/** The rows of `rows` whose label is a class (not LABEL_NONE); the same array when all are. */
export function labelledRows(labels: Uint8Array, rows: Uint32Array): Uint32Array {
  let kept = 0;
  for (let i = 0; i < rows.length; i++) if (labels[rows[i]] !== LABEL_NONE) kept++;
  if (kept === rows.length) return rows;
  const out = new Uint32Array(kept);
  for (let i = 0, j = 0; i < rows.length; i++) if (labels[rows[i]] !== LABEL_NONE) out[j++] = rows[i];
  return out;
}

/** The split's rows, less those whose label is no class of the set (LABEL_NONE: dropped faces, left-out classes). */
export function splitDataset(data: Pick<DatasetBuffers, 'rows' | 'usage' | 'labels'>, options: SplitOptions): SplitIndices {
  const split = options.strategy === 'usage' ? usageSplit(data.usage) : seedSplit(data.rows, options.seed);
  return {
    train: labelledRows(data.labels, split.train),
    validation: labelledRows(data.labels, split.validation),
    test: labelledRows(data.labels, split.test),
  };
}

/** Count of rows per class (length `classes`) among the given rows (all rows when omitted); LABEL_NONE rows are not counted. */
export function classCounts(labels: Uint8Array, classes: number, rows?: Uint32Array): number[] {
  const counts = new Array<number>(classes).fill(0);
  const count = (label: number) => {
    if (label < classes) counts[label]++;
  };
  if (rows === undefined) for (let i = 0; i < labels.length; i++) count(labels[i]);
  else for (let i = 0; i < rows.length; i++) count(labels[rows[i]]);
  return counts;
}

/** Counts per class for each split: { train: number[classes], validation: …, test: … }. */
export function splitClassCounts(labels: Uint8Array, classes: number, split: SplitIndices): Record<keyof SplitIndices, number[]> {
  return {
    train: classCounts(labels, classes, split.train),
    validation: classCounts(labels, classes, split.validation),
    test: classCounts(labels, classes, split.test),
  };
}
