// Pure description of a saved model: what it is, how it was trained, how to feed it. No DOM.
// Stored next to the weights in IndexedDB and exported as metadata.json beside model.json.
import type { SplitOptions } from '../dataset/splits';
import type { EvaluationSplit, ModelEvaluation } from '../evaluation/types';
import { FER2013_LABELS } from '../labels/fer2013';
import { sameLabelOrder, type LabelSet, type Valence } from '../labels/label-set';
import type { AppliedMapping } from '../labels/mapping';
import { INPUT_SHAPE, type ArchitectureName } from '../nets/architectures';
import type { TrainConfig } from '../training/train-config';
import type { EpochMetrics, StopReason } from '../training/training-loop';

export const MODEL_FORMAT = 'fer-trainer-model';
/** 2: labels are any label set (labelStyle, labelMapping); 1: FER2013's seven, always. Both are read. */
export const MODEL_FORMAT_VERSION = 2;

export interface ModelMetadata {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  id: string;
  name: string;
  /** ISO 8601. */
  createdAt: string;
  architecture: ArchitectureName;
  params: number;
  flopsPerImage: number;
  /** Class names in output order. */
  labels: string[];
  /** The label set's colours and valence groups, where it has them (absent in format 1: FER2013's seven). */
  labelStyle?: { colors?: string[]; valence?: Valence[] };
  /** Set when the data set's classes were merged or some left out before training: the source classes and the mapping. */
  labelMapping?: AppliedMapping;
  /** [48, 48, 1]: standardised gray faces. */
  inputShape: number[];
  /** Per-pixel standardisation the model expects: x' = (x - mean) / std, 2304 numbers each. */
  standardization: { mean: number[]; std: number[]; rows: number; scope: 'training' | 'all' };
  dataset: { name: string; fingerprint: string; rows: number; synthetic: boolean; split: SplitOptions };
  training: {
    config: TrainConfig;
    history: EpochMetrics[];
    epochsRun: number;
    bestEpoch: number;
    bestValAccuracy: number;
    stopReason: StopReason;
    backend: string;
    durationMs: number;
    /** Training time as a time budget counts it (validation and checkpoints in, pauses out), ms; absent before it was kept. */
    trainingMs?: number;
  } | null;
  /** Size of the weights in bytes. */
  weightBytes: number;
  /** The latest evaluation on each held-out split (Evaluate screen); absent until evaluated. */
  evaluation?: Partial<Record<EvaluationSplit, ModelEvaluation>>;
  /** Set when the model came in from exported files (Models screen import). */
  imported?: { files: string[]; importedAt: string };
}

export interface TrainedModelFacts {
  id: string;
  cost: { params: number; flopsPerImage: number };
  config: TrainConfig;
  /** The standardisation the model was trained with (Float32Array(2304) each). */
  stats: { mean: Float32Array; std: Float32Array; rows: number };
  dataset: { name: string; fingerprint: string; rows: number; synthetic: boolean };
  /** The classes the model outputs, in order, and any merge applied to the data set's classes. */
  labelSet: LabelSet;
  labelMapping?: AppliedMapping;
  state: { history: EpochMetrics[]; epoch: number; bestEpoch: number; bestValAccuracy: number; trainingMs: number };
  reason: StopReason;
  backend: string;
  durationMs: number;
  weightBytes: number;
  /** Appended to the generated name, e.g. "(CLI)". */
  nameSuffix?: string;
}

/** Metadata for a model just trained here (the training worker and the Node CLI both use it). */
export function trainedModelMetadata(facts: TrainedModelFacts): ModelMetadata {
  const { config, stats, state } = facts;
  const accuracy = (state.bestValAccuracy * 100).toFixed(1);
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    id: facts.id,
    name: `${config.architecture} · ${facts.dataset.name} · ${accuracy} % val${facts.nameSuffix ? ` ${facts.nameSuffix}` : ''}`,
    createdAt: new Date().toISOString(),
    architecture: config.architecture,
    params: facts.cost.params,
    flopsPerImage: facts.cost.flopsPerImage,
    ...labelFields(facts.labelSet, facts.labelMapping),
    inputShape: [...INPUT_SHAPE],
    standardization: { mean: Array.from(stats.mean), std: Array.from(stats.std), rows: stats.rows, scope: config.seedFaithful ? 'all' : 'training' },
    dataset: { ...facts.dataset, split: config.split },
    training: {
      config,
      history: state.history,
      epochsRun: state.epoch,
      bestEpoch: state.bestEpoch,
      bestValAccuracy: state.bestValAccuracy,
      stopReason: facts.reason,
      backend: facts.backend,
      durationMs: facts.durationMs,
      trainingMs: state.trainingMs,
    },
    weightBytes: facts.weightBytes,
  };
}

/** The metadata fields that carry a label set (and the mapping that made it). */
export function labelFields(set: LabelSet, mapping?: AppliedMapping): Pick<ModelMetadata, 'labels' | 'labelStyle' | 'labelMapping'> {
  const style = { ...(set.colors ? { colors: [...set.colors] } : {}), ...(set.valence ? { valence: [...set.valence] } : {}) };
  return {
    labels: [...set.names],
    ...(Object.keys(style).length > 0 ? { labelStyle: style } : {}),
    ...(mapping ? { labelMapping: mapping } : {}),
  };
}

/**
 * The label set a model speaks. Models saved before label sets (format 1) name FER2013's seven and get its
 * colours and valence; otherwise the names with whatever style was saved.
 */
export function modelLabelSet(meta: Pick<ModelMetadata, 'labels' | 'labelStyle'>): LabelSet {
  if (!meta.labelStyle && sameLabelOrder(meta.labels, FER2013_LABELS.names)) return FER2013_LABELS;
  return { names: [...meta.labels], ...(meta.labelStyle?.colors ? { colors: [...meta.labelStyle.colors] } : {}), ...(meta.labelStyle?.valence ? { valence: [...meta.labelStyle.valence] } : {}) };
}
