// Pure named training recipes: settings that know their time budget (the Train screen's presets and
// `npm run bench:accuracy --recipe`). No DOM.
import type { ArchitectureName } from '../nets/architectures';
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { sameLabelOrder } from '../labels/label-set';
import { defaultAugmentOptions } from './augment';
import { defaultTrainConfig, type TrainConfig } from './train-config';
import measuredRuns from '../../../bench/results/recipe-runs.json';

/**
 * One finished `npm run bench:accuracy` or `bench:accuracy:tab` run (Usage split, WASM on a 2-core CPU): FER2013
 * PrivateTest, or for a FER+ recipe the majority-filtered PrivateTest (3,153 faces of fer2013new.csv).
 */
export interface MeasuredRun {
  budgetMinutes: number;
  epochs: number;
  imgPerSec: number;
  privateTestAcc: number;
  privateTestAccTta10: number;
  /** Where it ran (Node or the tab, which engine). */
  where?: string;
  /** Its log under bench/results/. */
  log?: string;
}

/** The measured runs, kept as data in bench/results/recipe-runs.json (by recipe name). */
const MEASURED: Readonly<Record<string, readonly MeasuredRun[]>> = measuredRuns.runs;

/** A recipe's measured runs (a copy; none when it was never run). */
const measuredOf = (name: string): MeasuredRun[] => [...(MEASURED[name] ?? [])];

export interface Recipe {
  name: string;
  title: string;
  /** What it trains and how, in a sentence. */
  description: string;
  /** The budget it was tuned for, in minutes of training on a 2-core CPU. */
  budgetMinutes: number;
  architecture: ArchitectureName;
  /**
   * The labels it was tuned for: FER2013's own (absent) or FER+'s crowd votes (its measured runs are FER+ test
   * accuracy, majority-filtered, so they never stand in for FER2013 estimates).
   */
  labels?: 'ferplus';
  /** The settings besides the architecture and the budget (voteMode: how it trains on votes; the default otherwise). */
  settings: Pick<TrainConfig, 'optimizer' | 'learningRate' | 'weightDecay' | 'labelSmoothing' | 'batchSize' | 'augment' | 'classWeights'> &
    Partial<Pick<TrainConfig, 'voteMode'>>;
  /** What bench:accuracy measured for this recipe (from bench/results/recipe-runs.json); empty until it was run. */
  measured: MeasuredRun[];
}

/**
 * SGD with Nesterov momentum and a one-cycle schedule over the budget (the schedule that makes a fixed budget
 * count), decoupled weight decay, label smoothing 0.1, flips, shifts, rotations and zooms.
 */
const SGD_ONE_CYCLE: Recipe['settings'] = {
  optimizer: 'sgd-nesterov',
  learningRate: 0.05,
  weightDecay: 5e-4,
  labelSmoothing: 0.1,
  batchSize: 64,
  augment: { ...defaultAugmentOptions },
  classWeights: 'off',
};

/**
 * FER+: the same optimizer and schedule on the vote distributions (cross-entropy mode). No label smoothing:
 * the soft targets already spread the mass where the crowd disagreed.
 */
const FERPLUS_SGD_ONE_CYCLE: Recipe['settings'] = { ...SGD_ONE_CYCLE, labelSmoothing: 0, voteMode: 'crossentropy' };

export const RECIPES: readonly Recipe[] = [
  {
    name: 'quick',
    title: 'Quick · ~15 min',
    description: 'VGG-S (0.29 M parameters), SGD-Nesterov with a one-cycle schedule over 15 minutes.',
    budgetMinutes: 15,
    architecture: 'vgg-s',
    settings: SGD_ONE_CYCLE,
    measured: measuredOf('quick'),
  },
  {
    name: 'standard',
    title: 'Standard · ~60 min',
    description: 'VGG-S, SGD-Nesterov with a one-cycle schedule over an hour.',
    budgetMinutes: 60,
    architecture: 'vgg-s',
    settings: SGD_ONE_CYCLE,
    measured: measuredOf('standard'),
  },
  {
    name: 'long',
    title: 'Long · ~2 h',
    description: 'VGG-M (0.66 M parameters), SGD-Nesterov with a one-cycle schedule over two hours.',
    budgetMinutes: 120,
    architecture: 'vgg-m',
    settings: SGD_ONE_CYCLE,
    measured: measuredOf('long'),
  },
  {
    name: 'ferplus-quick',
    title: 'FER+ quick · ~15 min',
    description: 'FER+ crowd votes: VGG-S trained on each face\u2019s vote distribution (cross-entropy), SGD-Nesterov with a one-cycle schedule over 15 minutes.',
    budgetMinutes: 15,
    architecture: 'vgg-s',
    labels: 'ferplus',
    settings: FERPLUS_SGD_ONE_CYCLE,
    measured: measuredOf('ferplus-quick'),
  },
  {
    name: 'ferplus-standard',
    title: 'FER+ standard · ~60 min',
    description: 'FER+ crowd votes: VGG-S on the vote distributions (cross-entropy), SGD-Nesterov with a one-cycle schedule over an hour.',
    budgetMinutes: 60,
    architecture: 'vgg-s',
    labels: 'ferplus',
    settings: FERPLUS_SGD_ONE_CYCLE,
    measured: measuredOf('ferplus-standard'),
  },
  {
    name: 'ferplus-long',
    title: 'FER+ long · ~2 h',
    description: 'FER+ crowd votes: VGG-M (0.66 M parameters) on the vote distributions (cross-entropy), SGD-Nesterov with a one-cycle schedule over two hours.',
    budgetMinutes: 120,
    architecture: 'vgg-m',
    labels: 'ferplus',
    settings: FERPLUS_SGD_ONE_CYCLE,
    measured: measuredOf('ferplus-long'),
  },
  {
    name: 'best',
    title: 'Best · a GPU, hours',
    description: 'The 2018 tutorial\u2019s VGG (5.9 M parameters) with SGD-Nesterov and a one-cycle schedule over 6 hours: for a machine with a real GPU.',
    budgetMinutes: 360,
    architecture: 'seed',
    settings: { ...SGD_ONE_CYCLE, learningRate: 0.02 },
    measured: measuredOf('best'),
  },
];

export function findRecipe(name: string): Recipe | undefined {
  return RECIPES.find((recipe) => recipe.name === name);
}

/**
 * The full training config of a recipe, for `budgetMinutes` of training (the recipe's own budget unless
 * given): one-cycle over the budget, no early stopping or plateau steps, epochs only as an upper bound.
 */
export function recipeConfig(recipe: Recipe, budgetMinutes = recipe.budgetMinutes, base: TrainConfig = defaultTrainConfig(recipe.architecture)): TrainConfig {
  return {
    ...base,
    ...recipe.settings,
    augment: { ...recipe.settings.augment },
    architecture: recipe.architecture,
    schedule: 'one-cycle',
    budgetMinutes,
    epochs: 1000,
    earlyStoppingPatience: 0,
    reduceLr: { ...base.reduceLr, patience: 0 },
    recipe: recipe.name,
  };
}

/** Share of a budget spent on training batches; the rest validates after each epoch (measured: ~4 %). */
const TRAINING_SHARE = 0.96;

export interface PlanEstimate {
  /** Epochs that fit in the budget at the measured speed. */
  epochs: number;
  /** Test accuracy that bench:accuracy runs of the same network reached with about as many epochs, or null. */
  expected: { accuracy: number; tenCrop: number; from: MeasuredRun; atLeast: boolean } | null;
}

/** The labels the measured runs were scored on: FER2013's seven, FER+'s eight (majority-filtered), or others (null). */
export type MeasuredLabels = 'fer2013' | 'ferplus' | null;

/**
 * Which measured runs speak for a data set: FER2013's seven names in order, or FER+'s eight with crowd votes;
 * anything else (merged or left-out classes, a folder of one's own classes, demo data) has none.
 */
export function measuredLabelsOf(classNames: readonly string[], hasVotes: boolean, synthetic: boolean): MeasuredLabels {
  if (synthetic) return null;
  if (hasVotes) return sameLabelOrder(classNames, FERPLUS_LABELS.names) ? 'ferplus' : null;
  return sameLabelOrder(classNames, FER2013_LABELS.names) ? 'fer2013' : null;
}

/**
 * What a budget buys on this device: epochs from the measured training speed, and the test accuracy of the
 * measured run of the same network on the same labels with the most epochs not above ~1.1x that (a floor, "at
 * least", when the plan has over 1.25x its epochs; null when every measured run had more, or when `labels` is
 * null). `recipes`: whose measured runs to read (RECIPES unless given; tests pass their own).
 */
export function estimatePlan(
  architecture: ArchitectureName,
  labels: MeasuredLabels,
  budgetMinutes: number,
  imagesPerSecond: number,
  trainRows: number,
  recipes: readonly Recipe[] = RECIPES,
): PlanEstimate {
  const epochs = (budgetMinutes * 60 * TRAINING_SHARE * imagesPerSecond) / Math.max(1, trainRows);
  if (labels === null) return { epochs, expected: null };
  const runs = recipes.filter((r) => r.architecture === architecture && (r.labels ?? 'fer2013') === labels)
    .flatMap((r) => r.measured)
    .sort((a, b) => a.epochs - b.epochs);
  const below = runs.filter((run) => run.epochs <= epochs * 1.1);
  const from = below.at(-1);
  if (!from) return { epochs, expected: null };
  return { epochs, expected: { accuracy: from.privateTestAcc, tenCrop: from.privateTestAccTta10, from, atLeast: epochs > from.epochs * 1.25 } };
}
