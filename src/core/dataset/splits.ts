// Pure train/validation/test splitting and class counting. No DOM.
import { NUM_CLASSES, USAGE_PRIVATE_TEST, USAGE_PUBLIC_TEST, USAGE_TRAINING } from '../emotions';
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

export function splitDataset(data: Pick<DatasetBuffers, 'rows' | 'usage'>, options: SplitOptions): SplitIndices {
  return options.strategy === 'usage' ? usageSplit(data.usage) : seedSplit(data.rows, options.seed);
}

/** Count of rows per class (length NUM_CLASSES) among the given rows (all rows when omitted). */
export function classCounts(labels: Uint8Array, rows?: Uint32Array): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  if (rows === undefined) for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  else for (let i = 0; i < rows.length; i++) counts[labels[rows[i]]]++;
  return counts;
}

/** Counts per class for each split: { train: number[7], validation: number[7], test: number[7] }. */
export function splitClassCounts(labels: Uint8Array, split: SplitIndices): Record<keyof SplitIndices, number[]> {
  return {
    train: classCounts(labels, split.train),
    validation: classCounts(labels, split.validation),
    test: classCounts(labels, split.test),
  };
}
