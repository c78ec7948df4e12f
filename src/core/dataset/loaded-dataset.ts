// Pure description of a loaded data set and its standardisation statistics. No DOM.
import type { SkippedRows } from './types';
import type { ImageFolderOrigin } from '../image-folders/load-image-folders';
import { datasetFingerprint } from './fingerprint';
import { voteTargets, type TrainTargets, type VoteMode } from '../labels/targets';
import { DEFAULT_SPLIT_SEED, labelledRows, seedSplit, splitDataset, usageSplit, type SplitOptions } from './splits';
import { PixelMoments } from './standardize';
import type { LabelSet } from '../labels/label-set';
import type { DatasetBuffers, PixelStats } from './types';

/**
 * Standardisation statistics a data set may be trained with:
 * - usageTrain: Training rows of the Usage split (null when the file has no Usage column);
 * - seedTrain: train rows of the seed split with seed `splitSeed`;
 * - all: every row, test included (the 2018 tutorial's choice, our "seed-faithful" switch).
 */
export interface DatasetStatsSet {
  usageTrain: PixelStats | null;
  seedTrain: PixelStats;
  all: PixelStats;
  splitSeed: number;
}

export interface DatasetSummary {
  /** File name, or a description for generated data. */
  name: string;
  /** True for the procedural demo faces. */
  synthetic: boolean;
  /** Size of the source in bytes. */
  bytes: number;
  hasUsage: boolean;
  skipped: SkippedRows;
  /** Content hash (see datasetFingerprint); models and checkpoints record it. */
  fingerprint: string;
  /** Wall time from request to ready, in milliseconds. */
  loadMs: number;
  /** Of which reading and parsing the CSV (for demo data: generating and parsing). */
  parseMs: number;
  /** Set for image folders: what they held and how they were read (absent for a CSV). */
  images?: ImageFolderOrigin;
  /** Set when this copy came back from the browser's storage (a reload), with how long that took. */
  restoredMs?: number;
  /**
   * The classes as the file gave them, kept when a class mapping was applied (buffers.mapping), so another
   * choice, or the file's own classes, needs no reload (see remap-classes.ts). Absent otherwise.
   */
  sourceClasses?: SourceClasses;
}

/** A data set's source classes: its label set, labels (length rows) and crowd votes (rows*(K+2)), if any. */
export interface SourceClasses {
  labelSet: LabelSet;
  labels: Uint8Array;
  votes?: Uint8Array;
}

export interface LoadedDataset extends DatasetSummary {
  buffers: DatasetBuffers;
  stats: DatasetStatsSet;
}

/** Computes the statistics sets and fingerprint for freshly parsed buffers. */
export function describeDataset(
  buffers: DatasetBuffers,
  info: Omit<DatasetSummary, 'fingerprint'>,
  splitSeed = DEFAULT_SPLIT_SEED,
): LoadedDataset {
  // One pass over every row, by Usage; the seed split's train rows are all rows minus its ~19 % held out.
  const byUsage = usageSplit(buffers.usage);
  const training = new PixelMoments().addRows(buffers.pixels, byUsage.train);
  const all = new PixelMoments()
    .addRows(buffers.pixels, byUsage.validation)
    .addRows(buffers.pixels, byUsage.test)
    .combine(training, 1);
  const seed = seedSplit(buffers.rows, splitSeed);
  const heldOut = new PixelMoments().addRows(buffers.pixels, seed.validation).addRows(buffers.pixels, seed.test);
  return {
    ...info,
    fingerprint: datasetFingerprint(buffers),
    buffers,
    stats: {
      usageTrain: info.hasUsage ? training.toStats() : null,
      seedTrain: all.combine(heldOut, -1).toStats(),
      all: all.toStats(),
      splitSeed,
    },
  };
}

/** The statistics that go with a split choice; seedFaithful uses all rows as the tutorial did. */
export function statsFor(dataset: Pick<LoadedDataset, 'stats'>, split: SplitOptions, seedFaithful: boolean): PixelStats {
  if (seedFaithful) return dataset.stats.all;
  if (split.strategy === 'usage' && dataset.stats.usageTrain) return dataset.stats.usageTrain;
  return dataset.stats.seedTrain;
}

/** The split a data set really uses: without a Usage column only the seed split exists. */
export function effectiveSplit(dataset: Pick<LoadedDataset, 'hasUsage'>, split: SplitOptions): SplitOptions {
  return dataset.hasUsage ? split : { ...split, strategy: 'seed' };
}

/**
 * The train and validation rows and the standardisation a run on `dataset` uses (arrays of the data set's own).
 * A data set with crowd votes trains on `voteMode`'s targets (the faces it keeps), and validates on the
 * majority label (buffers.labels) as FER+ does.
 */
export function trainingRows(
  dataset: Pick<LoadedDataset, 'buffers' | 'hasUsage' | 'stats'>,
  split: SplitOptions,
  seedFaithful: boolean,
  voteMode: VoteMode,
): { train: Uint32Array; validation: Uint32Array; stats: PixelStats; soft?: TrainTargets } {
  const used = effectiveSplit(dataset, split);
  const soft = voteTargets(dataset.buffers, voteMode);
  const all = splitDataset({ ...dataset.buffers, labels: soft ? new Uint8Array(dataset.buffers.rows) : dataset.buffers.labels }, used);
  const indices = splitDataset(dataset.buffers, used);
  const stats = statsFor(dataset, used, seedFaithful);
  if (!soft) return { train: indices.train, validation: indices.validation, stats };
  return { train: labelledRows(soft.labels, all.train), validation: indices.validation, stats, soft };
}

/** The ArrayBuffers to transfer when posting a LoadedDataset (they become unusable on the sender). */
export function datasetTransferables(dataset: LoadedDataset): ArrayBuffer[] {
  const { buffers, stats } = dataset;
  const all = [buffers.pixels, buffers.labels, buffers.usage, stats.all.mean, stats.all.std, stats.seedTrain.mean, stats.seedTrain.std];
  if (stats.usageTrain) all.push(stats.usageTrain.mean, stats.usageTrain.std);
  if (buffers.votes) all.push(buffers.votes);
  if (dataset.sourceClasses) all.push(dataset.sourceClasses.labels, ...(dataset.sourceClasses.votes ? [dataset.sourceClasses.votes] : []));
  return [...new Set(all.map((array) => array.buffer as ArrayBuffer))];
}
