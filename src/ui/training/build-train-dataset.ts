// Runs on the page: the rows, split and statistics a run trains on, as copies to hand to the worker.
import { statsFor, type LoadedDataset } from '../../core/dataset/loaded-dataset';
import { splitDataset, type SplitOptions } from '../../core/dataset/splits';
import type { TrainDataset } from '../../workers/train-protocol';

/** The split a data set really uses: without a Usage column only the seed split exists. */
export function effectiveSplit(dataset: LoadedDataset, split: SplitOptions): SplitOptions {
  return dataset.hasUsage ? split : { ...split, strategy: 'seed' };
}

/**
 * Copies what training needs (the page keeps its own arrays for the other screens): pixels, labels and
 * usage, the train and validation row indices, and the standardisation for the chosen split.
 */
export function buildTrainDataset(dataset: LoadedDataset, split: SplitOptions, seedFaithful: boolean): TrainDataset {
  const used = effectiveSplit(dataset, split);
  const indices = splitDataset(dataset.buffers, used);
  const stats = statsFor(dataset, used, seedFaithful);
  const { buffers } = dataset;
  return {
    name: dataset.name,
    fingerprint: dataset.fingerprint,
    synthetic: dataset.synthetic,
    buffers: { rows: buffers.rows, pixels: buffers.pixels.slice(), labels: buffers.labels.slice(), usage: buffers.usage.slice() },
    train: indices.train,
    validation: indices.validation,
    stats: { mean: stats.mean.slice(), std: stats.std.slice(), rows: stats.rows },
  };
}
