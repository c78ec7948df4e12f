// Pure named training recipes: settings that know their time budget (the Train screen's presets and
// `npm run bench:accuracy --recipe`). No DOM.
import type { ArchitectureName } from './architectures';
import { defaultAugmentOptions } from './augment';
import { defaultTrainConfig, type TrainConfig } from './train-config';

export interface Recipe {
  name: string;
  title: string;
  /** What it trains and how, in a sentence. */
  description: string;
  /** The budget it was tuned for, in minutes of training on a 2-core CPU. */
  budgetMinutes: number;
  architecture: ArchitectureName;
  /** The settings besides the architecture and the budget. */
  settings: Pick<TrainConfig, 'optimizer' | 'learningRate' | 'weightDecay' | 'labelSmoothing' | 'batchSize' | 'augment' | 'classWeights'>;
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

export const RECIPES: readonly Recipe[] = [
  {
    name: 'quick',
    title: 'Quick · ~15 min',
    description: 'VGG-S (0.29 M parameters), SGD-Nesterov with a one-cycle schedule over 15 minutes.',
    budgetMinutes: 15,
    architecture: 'vgg-s',
    settings: SGD_ONE_CYCLE,
  },
  {
    name: 'standard',
    title: 'Standard · ~60 min',
    description: 'VGG-S, SGD-Nesterov with a one-cycle schedule over an hour.',
    budgetMinutes: 60,
    architecture: 'vgg-s',
    settings: SGD_ONE_CYCLE,
  },
  {
    name: 'long',
    title: 'Long · ~2 h',
    description: 'VGG-M (0.66 M parameters), SGD-Nesterov with a one-cycle schedule over two hours.',
    budgetMinutes: 120,
    architecture: 'vgg-m',
    settings: SGD_ONE_CYCLE,
  },
  {
    name: 'best',
    title: 'Best · a GPU, hours',
    description: 'The 2018 tutorial\u2019s VGG (5.9 M parameters) with SGD-Nesterov and a one-cycle schedule over 6 hours: for a machine with a real GPU.',
    budgetMinutes: 360,
    architecture: 'seed',
    settings: { ...SGD_ONE_CYCLE, learningRate: 0.02 },
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
