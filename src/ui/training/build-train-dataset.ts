// Runs on the page: what a run trains on, as the training worker is told it: the stored data set by its
// fingerprint (the worker reads it from IndexedDB: no copy of the pixels on this thread), or, for a data set the
// browser could not store, copies of what training needs.
import { effectiveSplit, trainingRows, type LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { SplitOptions } from '../../core/dataset/splits';
import type { VoteMode } from '../../core/labels/targets';
import type { TrainDataSource } from '../../workers/train-protocol';

export { effectiveSplit };

/**
 * @param stored whether this data set is the one kept in the browser's storage (its write committed).
 */
export function trainDataSource(dataset: LoadedDataset, split: SplitOptions, seedFaithful: boolean, voteMode: VoteMode, stored: boolean): TrainDataSource {
  if (stored) return { from: 'storage', fingerprint: dataset.fingerprint, split, seedFaithful, voteMode };
  const { train, validation, stats, soft } = trainingRows(dataset, split, seedFaithful, voteMode);
  const { buffers } = dataset;
  return {
    from: 'copy',
    dataset: {
      name: dataset.name,
      fingerprint: dataset.fingerprint,
      synthetic: dataset.synthetic,
      // Copies: the page keeps its own arrays for the other screens, and these are transferred.
      buffers: {
        ...buffers,
        pixels: buffers.pixels.slice(),
        labels: buffers.labels.slice(),
        usage: buffers.usage.slice(),
        ...(buffers.votes ? { votes: buffers.votes.slice() } : {}),
      },
      ...(soft ? { soft } : {}),
      train,
      validation,
      stats: { mean: stats.mean.slice(), std: stats.std.slice(), rows: stats.rows },
    },
  };
}
