import { describe, expect, it } from 'vitest';
import { ARCHITECTURES } from '../nets/architectures';
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { estimatePlan, findRecipe, measuredLabelsOf, recipeConfig, RECIPES, type MeasuredRun, type Recipe } from './recipes';
import { validateTrainConfig } from './train-config';
import measuredRuns from '../../../bench/results/recipe-runs.json';

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

  it('reads its measured runs from bench/results/recipe-runs.json: every entry names a recipe and a log there', () => {
    for (const [name, runs] of Object.entries(measuredRuns.runs)) {
      expect(findRecipe(name)?.measured).toEqual(runs);
      for (const run of runs) expect(run.log).toMatch(/^bench\/results\/.+\.log$/);
    }
    expect(findRecipe('quick')!.measured.map((run) => run.epochs)).toEqual([6, 16, 18]);
  });

  it('FER+ recipes train on the vote distributions (cross-entropy) without label smoothing: VGG-S for 15 and 60 minutes, VGG-M for 120', () => {
    for (const [name, minutes, architecture] of [['ferplus-quick', 15, 'vgg-s'], ['ferplus-standard', 60, 'vgg-s'], ['ferplus-long', 120, 'vgg-m']] as const) {
      const recipe = findRecipe(name)!;
      expect(recipe).toMatchObject({ labels: 'ferplus', budgetMinutes: minutes, architecture });
      expect(recipeConfig(recipe)).toMatchObject({ voteMode: 'crossentropy', labelSmoothing: 0, optimizer: 'sgd-nesterov', schedule: 'one-cycle' });
    }
    // FER2013's recipes keep their smoothing and the default vote mode (unused without votes).
    expect(recipeConfig(findRecipe('quick')!)).toMatchObject({ labelSmoothing: 0.1, voteMode: 'crossentropy' });
  });

  it('has unique names and finds them', () => {
    expect(new Set(RECIPES.map((r) => r.name)).size).toBe(RECIPES.length);
    expect(findRecipe('quick')?.budgetMinutes).toBe(15);
    expect(findRecipe('nope')).toBeUndefined();
  });
});

describe('estimatePlan', () => {
  const run = (epochs: number, privateTestAcc: number): MeasuredRun => ({ budgetMinutes: 10, epochs, imgPerSec: 100, privateTestAcc, privateTestAccTta10: privateTestAcc + 0.01 });
  const recipe = (name: string, architecture: Recipe['architecture'], measured: MeasuredRun[]): Recipe => ({
    ...findRecipe('quick')!,
    name,
    architecture,
    measured,
  });
  // Runs out of order and spread over two recipes of the same net, plus another net's run.
  const [at70, at10, at64, at40, compactAt60] = [run(70, 0.7), run(10, 0.5), run(64, 0.66), run(40, 0.6), run(60, 0.55)];
  const recipes = [recipe('a', 'vgg-s', [at70, at10]), recipe('b', 'vgg-s', [at64, at40]), recipe('c', 'compact', [compactAt60])];

  it('turns a measured speed into epochs: 96 % of the budget at that speed over the training rows', () => {
    // 10 min * 60 s * 0.96 * 100 faces/s over 960 rows = 60 epochs.
    expect(estimatePlan('vgg-s', 'fer2013', 10, 100, 960, recipes).epochs).toBeCloseTo(60, 9);
    expect(estimatePlan('vgg-s', 'fer2013', 10, 50, 960, recipes).epochs).toBeCloseTo(30, 9);
  });

  it('quotes the same net\u2019s measured run with the most epochs up to 1.1x the plan, as a floor when the plan has over 1.25x its epochs', () => {
    // 60 epochs: 64 is within 1.1x (66), 70 is not; 60 is not over 1.25 * 64.
    expect(estimatePlan('vgg-s', 'fer2013', 10, 100, 960, recipes).expected).toEqual({ accuracy: 0.66, tenCrop: 0.67, from: at64, atLeast: false });
    // 42 epochs: 40 is the closest below 46.2, and 42 is not over 50.
    expect(estimatePlan('vgg-s', 'fer2013', 10, 70, 960, recipes).expected).toEqual({ accuracy: 0.6, tenCrop: 0.61, from: at40, atLeast: false });
    // 30 epochs: only the 10-epoch run is below 33, and 30 is over 12.5, so its accuracy is "at least".
    expect(estimatePlan('vgg-s', 'fer2013', 10, 50, 960, recipes).expected).toEqual({ accuracy: 0.5, tenCrop: 0.51, from: at10, atLeast: true });
    // Another net's runs never count: compact has its own, mini-xception none.
    expect(estimatePlan('compact', 'fer2013', 10, 100, 960, recipes).expected?.from).toBe(compactAt60);
    expect(estimatePlan('mini-xception', 'fer2013', 10, 100, 960, recipes).expected).toBeNull();
  });

  it('quotes only runs scored on the same labels: FER+ runs for FER+ data, FER2013 runs for FER2013, none for others', () => {
    const fp62 = run(62, 0.85);
    const ferplus: Recipe = { ...recipe('fp', 'vgg-s', [fp62]), labels: 'ferplus' };
    expect(estimatePlan('vgg-s', 'fer2013', 10, 100, 960, [...recipes, ferplus]).expected?.from).toBe(at64);
    expect(estimatePlan('vgg-s', 'fer2013', 10, 100, 960, [ferplus]).expected).toBeNull();
    expect(estimatePlan('vgg-s', 'ferplus', 10, 100, 960, [...recipes, ferplus]).expected?.from).toBe(fp62);
    expect(estimatePlan('vgg-s', 'ferplus', 10, 100, 960, recipes).expected).toBeNull();
    expect(estimatePlan('vgg-s', null, 10, 100, 960, [...recipes, ferplus])).toEqual({ epochs: expect.closeTo(60, 9), expected: null });
  });

  it('knows which labels a data set is scored on from its class names, votes and origin', () => {
    expect(measuredLabelsOf(FER2013_LABELS.names, false, false)).toBe('fer2013');
    expect(measuredLabelsOf(FERPLUS_LABELS.names, true, false)).toBe('ferplus');
    expect(measuredLabelsOf(FER2013_LABELS.names, false, true)).toBeNull(); // demo data
    expect(measuredLabelsOf(['Negative', 'Neutral', 'Positive'], false, false)).toBeNull(); // merged
    expect(measuredLabelsOf(FERPLUS_LABELS.names.slice(0, 7), true, false)).toBeNull(); // Contempt left out
    expect(measuredLabelsOf([...FER2013_LABELS.names].reverse(), false, false)).toBeNull(); // own folders, other order
  });

  it('quotes nothing when every measured run had more epochs than the plan', () => {
    // 6 epochs: the fewest measured is 10, above 6.6.
    expect(estimatePlan('vgg-s', 'fer2013', 1, 100, 960, recipes)).toEqual({ epochs: expect.closeTo(6, 9), expected: null });
  });

  it('reads the recipes\u2019 own measured runs unless given others', () => {
    const quick = findRecipe('quick')!;
    const measured = quick.measured[0];
    // The speed at which the plan has exactly that run's epochs on FER2013's 28,709 training rows.
    const speed = (measured.epochs * 28_709) / (quick.budgetMinutes * 60 * 0.96);
    const plan = estimatePlan(quick.architecture, 'fer2013', quick.budgetMinutes, speed, 28_709);
    expect(plan.epochs).toBeCloseTo(measured.epochs, 9);
    expect(RECIPES.filter((r) => r.architecture === quick.architecture).flatMap((r) => r.measured)).toContain(plan.expected?.from);
    expect(estimatePlan('vgg-s', 'fer2013', 1, 1, 28_709).expected).toBeNull();
  });
});
