import { describe, expect, it } from 'vitest';
import { ARCHITECTURES } from './architectures';
import { findRecipe, recipeConfig, RECIPES } from './recipes';
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
