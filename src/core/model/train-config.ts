// Pure training settings and their defaults. No DOM.
import type { SplitOptions } from '../dataset/splits';
import { defaultSplitOptions } from '../dataset/splits';
import { ARCHITECTURE_INFO, type ArchitectureName } from './architectures';
import { defaultAugmentOptions, type AugmentOptions } from './augment';

export type ClassWeighting = 'off' | 'balanced';

export interface TrainConfig {
  architecture: ArchitectureName;
  epochs: number;
  batchSize: number;
  /** Adam with β1 0.9, β2 0.999, ε 1e-7 (Keras' defaults, as the tutorial). */
  learningRate: number;
  augment: AugmentOptions;
  classWeights: ClassWeighting;
  /** Stop when validation loss has not improved for `patience` epochs (0 = off). */
  earlyStoppingPatience: number;
  /** Multiply the learning rate by `factor` when validation loss has not improved for `patience` epochs (0 = off). */
  reduceLr: { patience: number; factor: number; minLearningRate: number };
  /** Seeds weight initialisation order, shuffling and augmentation. */
  seed: number;
  split: SplitOptions;
  /** Standardise with statistics over all rows, as the tutorial did. */
  seedFaithful: boolean;
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Defaults per architecture: the seed net as the tutorial (100 epochs, batch 64, Adam 1e-3). */
export function defaultTrainConfig(architecture: ArchitectureName = 'compact'): TrainConfig {
  return {
    architecture,
    epochs: ARCHITECTURE_INFO[architecture].defaultEpochs,
    batchSize: 64,
    learningRate: 1e-3,
    augment: { ...defaultAugmentOptions },
    classWeights: 'off',
    earlyStoppingPatience: architecture === 'seed' ? 0 : 10,
    reduceLr: { patience: 5, factor: 0.5, minLearningRate: 1e-5 },
    seed: 2018,
    split: { ...defaultSplitOptions },
    seedFaithful: false,
  };
}

/** Problems with a config a user typed, as messages (empty when fine). */
export function validateTrainConfig(config: TrainConfig): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(config.epochs) || config.epochs < 1 || config.epochs > 1000) problems.push('epochs must be a whole number from 1 to 1000');
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1 || config.batchSize > 1024) problems.push('batch size must be a whole number from 1 to 1024');
  if (!(config.learningRate > 0 && config.learningRate < 1)) problems.push('learning rate must be between 0 and 1');
  if (!Number.isInteger(config.earlyStoppingPatience) || config.earlyStoppingPatience < 0) problems.push('early-stopping patience must be 0 (off) or more');
  if (!Number.isInteger(config.reduceLr.patience) || config.reduceLr.patience < 0) problems.push('LR patience must be 0 (off) or more');
  if (!(config.reduceLr.factor > 0 && config.reduceLr.factor < 1)) problems.push('LR factor must be between 0 and 1');
  return problems;
}
