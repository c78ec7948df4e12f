// Runs on the page: which held-out rows an evaluation uses, and copies of them to hand to the worker.
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { splitDataset, type SplitOptions } from '../../core/dataset/splits';
import { PIXELS } from '../../core/dataset/face-format';
import type { EvaluationSplit } from '../../core/evaluation/types';
import type { ModelMetadata } from '../../core/model-format/model-metadata';
import type { EvaluationData } from '../../workers/evaluation-protocol';

export interface EvaluationRows {
  /** The split actually used (without a Usage column only the seed split exists). */
  options: SplitOptions;
  /** Row indices into the data set, ascending for the Usage split. */
  rows: Uint32Array;
  splitLabel: string;
  /** True when the model was trained on this very data set (same fingerprint): its own split is used. */
  sameDataset: boolean;
}

/**
 * The rows to evaluate on. When the model was trained on this data set, its own split (strategy and seed) is
 * used, so its test rows are the ones it never saw; otherwise the split chosen on the Data screen.
 */
export function evaluationRows(dataset: LoadedDataset, meta: ModelMetadata, pageSplit: SplitOptions, split: EvaluationSplit): EvaluationRows {
  const sameDataset = meta.dataset.fingerprint === dataset.fingerprint;
  const wanted = sameDataset ? meta.dataset.split : pageSplit;
  const options: SplitOptions = dataset.hasUsage ? wanted : { ...wanted, strategy: 'seed' };
  const indices = splitDataset(dataset.buffers, options);
  const rows = split === 'test' ? indices.test : indices.validation;
  const splitLabel =
    options.strategy === 'usage'
      ? `${split === 'test' ? 'PrivateTest' : 'PublicTest'} (Usage split)`
      : `seed split ${split === 'test' ? 'test' : 'validation'} rows (seed ${options.seed})`;
  return { options, rows, splitLabel, sameDataset };
}

/** Copies the chosen faces and labels into fresh arrays (the page keeps its own for the other screens). */
export function buildEvaluationData(dataset: LoadedDataset, chosen: EvaluationRows, split: EvaluationSplit): EvaluationData {
  const { pixels, labels } = dataset.buffers;
  const n = chosen.rows.length;
  const outPixels = new Uint8Array(n * PIXELS);
  const outLabels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = chosen.rows[i];
    outPixels.set(pixels.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
    outLabels[i] = labels[row];
  }
  return {
    split,
    splitLabel: chosen.splitLabel,
    dataset: { name: dataset.name, fingerprint: dataset.fingerprint },
    pixels: outPixels,
    labels: outLabels,
    labelNames: [...dataset.buffers.labelSet.names],
  };
}
