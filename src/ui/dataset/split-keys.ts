// Runs anywhere: the order splits are shown in, and their per-class counts.
import type { SplitIndices } from '../../core/dataset/types';

export const SPLIT_KEYS = ['train', 'validation', 'test'] as const satisfies readonly (keyof SplitIndices)[];
export type SplitKey = (typeof SPLIT_KEYS)[number];
export type SplitCounts = Record<SplitKey, number[]>;
export type SplitHeaders = Record<SplitKey, string>;
