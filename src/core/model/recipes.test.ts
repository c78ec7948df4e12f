import { describe, expect, it } from 'vitest';
import { ARCHITECTURES } from './architectures';
import { estimatePlan, findRecipe, recipeConfig, RECIPES } from './recipes';
import { validateTrainConfig } from './train-config';

describe('recipes', () => {
  it.each(RECIPES.map((recipe) => [recipe.name, recipe] as const))('%s gives a valid one-cycle config that spans its budget', (_, recipe) => {
    const config = recipeConfig(recipe);
    expect(validateTrainConfig(config)).toEqual([]);
    expect(ARCHITECTURES).toContain(config.architecture);
    expect(config.schedule).toBe('one-cycle');
    expect(config.budgetMinutes).toBe(recipe.budgetMinutes);
    expect(config.earlyStoppingPatience).toBe(0);
    expect(config.recipe).toBe(recipe.name);
    expect(recipeConfig(recipe, 7).budgetMinutes).toBe(7);
  });

  it('has unique names and finds them', () => {
    expect(new Set(RECIPES.map((r) => r.name)).size).toBe(RECIPES.length);
    expect(findRecipe('quick')?.budgetMinutes).toBe(15);
    expect(findRecipe('nope')).toBeUndefined();
  });
});

describe('estimatePlan', () => {
  it('turns a measured speed into epochs, and looks up what measured runs of the same net reached', () => {
    const plan = estimatePlan('vgg-s', 60, 100, 28_709);
    expect(plan.epochs).toBeCloseTo((60 * 60 * 0.96 * 100) / 28_709, 6);
    const runs = RECIPES.filter((r) => r.architecture === 'vgg-s').flatMap((r) => r.measured);
    if (runs.length === 0) {
      expect(plan.expected).toBeNull();
      return;
    }
    const best = runs.filter((run) => run.epochs <= plan.epochs * 1.1).sort((a, b) => a.epochs - b.epochs).at(-1);
    expect(plan.expected?.accuracy).toBe(best?.privateTestAcc);
    // A far slower device gets no estimate from runs with many more epochs.
    expect(estimatePlan('vgg-s', 1, 1, 28_709).expected).toBeNull();
  });
});
