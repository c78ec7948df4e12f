// Pure training settings and their defaults. No DOM.
import type { SplitOptions } from '../dataset/splits';
import { defaultSplitOptions } from '../dataset/splits';
import { ARCHITECTURE_REGISTRY, type ArchitectureName } from '../nets/architectures';
import { defaultAugmentOptions, type AugmentOptions } from './augment';
import { VOTE_MODES, type VoteMode } from '../labels/targets';

export type ClassWeighting = 'off' | 'balanced';

/** Adam (Keras' defaults) or SGD with Nesterov momentum 0.9; with weightDecay > 0 they are AdamW / SGDW. */
export const OPTIMIZERS = ['adam', 'sgd-nesterov'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * 'plateau': the learning rate is multiplied by reduceLr.factor when validation loss stalls (Keras'
 * ReduceLROnPlateau). 'one-cycle': a short linear warm-up to the learning rate, then cosine decay to
 * nearly zero at the end of the plan: the last epoch, or the end of the time budget.
 */
export type LrSchedule = 'plateau' | 'one-cycle';

export interface TrainConfig {
  architecture: ArchitectureName;
  epochs: number;
  batchSize: number;
  /** Peak learning rate. Adam: β1 0.9, β2 0.999, ε 1e-7 (Keras' defaults, as the tutorial). */
  learningRate: number;
  optimizer: OptimizerName;
  /**
   * Decoupled weight decay (AdamW / SGDW): after each step w -= lr * weightDecay * w for conv and dense
   * kernels (not biases or BatchNorm). 0 = off.
   */
  weightDecay: number;
  /** Cross-entropy against (1 - s) * one-hot + s / 7 (0 = plain one-hot). */
  labelSmoothing: number;
  schedule: LrSchedule;
  /**
   * Train for this many minutes of training time (batches and validation, pauses excluded) instead of a
   * number of epochs; `epochs` is then only an upper bound. null = train for `epochs`.
   */
  budgetMinutes: number | null;
  /** The named recipe these settings came from (recipes.ts), or null when set by hand. */
  recipe: string | null;
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
  /** How a data set with crowd votes (FER+) trains; ignored for data with one label per face. */
  voteMode: VoteMode;
  /**
   * Decay per step of an exponential moving average of the weights (weight-average.ts), which validation, the
   * best epoch and the saved model then use; 0 = off (the live weights, as before it existed).
   */
  weightAverage: number;
}

export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 } as const;

/** Defaults per architecture: the seed net as the tutorial (100 epochs, batch 64, Adam 1e-3). */
export function defaultTrainConfig(architecture: ArchitectureName = 'compact'): TrainConfig {
  return {
    architecture,
    epochs: ARCHITECTURE_REGISTRY[architecture].defaultEpochs,
    batchSize: 64,
    learningRate: 1e-3,
    optimizer: 'adam',
    weightDecay: 0,
    labelSmoothing: 0,
    schedule: 'plateau',
    budgetMinutes: null,
    recipe: null,
    augment: { ...defaultAugmentOptions },
    classWeights: 'off',
    earlyStoppingPatience: architecture === 'seed' ? 0 : 10,
    reduceLr: { patience: 5, factor: 0.5, minLearningRate: 1e-5 },
    seed: 2018,
    split: { ...defaultSplitOptions },
    seedFaithful: false,
    voteMode: 'crossentropy',
    weightAverage: 0,
  };
}

/**
 * A config as stored before a setting existed (run records, checkpoints and exported metadata from earlier
 * versions), completed with the defaults of its architecture: the settings those runs trained with.
 */
export function withConfigDefaults(config: Partial<TrainConfig> & Pick<TrainConfig, 'architecture'>): TrainConfig {
  return { ...defaultTrainConfig(config.architecture), ...config };
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
  if (!OPTIMIZERS.includes(config.optimizer)) problems.push(`optimizer must be one of ${OPTIMIZERS.join(', ')}`);
  if (!(config.weightDecay >= 0 && config.weightDecay < 1)) problems.push('weight decay must be from 0 to below 1');
  if (!(config.labelSmoothing >= 0 && config.labelSmoothing < 1)) problems.push('label smoothing must be from 0 to below 1');
  if (!(config.weightAverage >= 0 && config.weightAverage < 1)) problems.push('weight averaging must be a decay from 0 (off) to below 1');
  const erase = config.augment.erase ?? 0;
  if (!(erase >= 0 && erase <= 1)) problems.push('random erasing must be a share from 0 to 1');
  if (!VOTE_MODES.includes(config.voteMode)) problems.push(`the vote mode must be one of ${VOTE_MODES.join(', ')}`);
  if (config.budgetMinutes !== null && !(config.budgetMinutes > 0 && config.budgetMinutes <= 7 * 24 * 60)) {
    problems.push('the time budget must be more than 0 minutes and at most a week');
  }
  return problems;
}
