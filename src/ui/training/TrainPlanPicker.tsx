// Runs on the page: how long to train — a time budget with recipe presets (and what it buys on this device,
// from a few measured batches), or a number of epochs with hand-set settings.
import { useEffect, useState } from 'react';
import { ARCHITECTURE_REGISTRY } from '../../core/nets/architectures';
import { estimatePlan, findRecipe, recipeConfig, RECIPES, type MeasuredLabels } from '../../core/training/recipes';
import { defaultTrainConfig, type TrainConfig } from '../../core/training/train-config';
import type { BackendInfo, BackendPreference } from '../../workers/backend-choice';
import { trainClient } from '../../workers/train-client';
import { newRunId } from '../../workers/worker-bridge';
import { formatPercent } from '../common/format';

export interface TrainPlanPickerProps {
  config: TrainConfig;
  backend: BackendPreference;
  /** Training faces of the loaded data set (epochs per time budget). */
  trainRows: number;
  /** Classes of the data set (the net's outputs). */
  classes: number;
  /** The data set has crowd votes (FER+): its recipes are offered too (they train on votes, so only then). */
  hasVotes: boolean;
  /** Demo data: the measured accuracies (FER2013) say nothing about it. */
  synthetic: boolean;
  /** Whose measured runs the expected accuracy quotes (measuredLabelsOf); null: none apply. */
  measuredLabels: MeasuredLabels;
  disabled: boolean;
  onChange: (config: TrainConfig) => void;
}

type Measurement =
  | { key: string; status: 'measuring' }
  | { key: string; status: 'done'; imagesPerSecond: number; info: BackendInfo }
  | { key: string; status: 'error'; message: string };

/** What a speed measurement depends on. */
const measureKey = (config: TrainConfig, backend: BackendPreference, classes: number) =>
  `${config.architecture}/${classes}/${config.batchSize}/${config.optimizer}/${backend}`;

export function TrainPlanPicker({
  config,
  backend,
  trainRows,
  classes,
  hasVotes,
  synthetic,
  measuredLabels,
  disabled,
  onChange,
}: TrainPlanPickerProps) {
  const [measurement, setMeasurement] = useState<Measurement | null>(null);
  /** The measurement under way: its run and the settings it times. */
  const [pending, setPending] = useState<{ runId: string; key: string } | null>(null);
  const byBudget = config.budgetMinutes !== null;
  const recipe = config.recipe ? findRecipe(config.recipe) : undefined;
  const key = measureKey(config, backend, classes);

  useEffect(() => {
    if (!pending) return;
    return trainClient.subscribe((event) => {
      if (event.runId !== pending.runId) return;
      if (event.type === 'measured')
        setMeasurement({ key: pending.key, status: 'done', imagesPerSecond: event.imagesPerSecond, info: event.info });
      else if (event.type === 'error') setMeasurement({ key: pending.key, status: 'error', message: event.message });
      else return;
      setPending(null);
    });
  }, [pending]);

  const measure = () => {
    const runId = newRunId();
    setPending({ runId, key });
    setMeasurement({ key, status: 'measuring' });
    trainClient.measure(runId, config, backend, classes);
  };
  const chooseRecipe = (name: string) => {
    const chosen = findRecipe(name)!;
    onChange(recipeConfig(chosen, chosen.budgetMinutes, config));
  };
  const useEpochs = () => {
    const defaults = defaultTrainConfig(config.architecture);
    onChange({
      ...config,
      budgetMinutes: null,
      recipe: null,
      schedule: defaults.schedule,
      epochs: defaults.epochs,
      earlyStoppingPatience: defaults.earlyStoppingPatience,
      reduceLr: defaults.reduceLr,
      optimizer: defaults.optimizer,
      learningRate: defaults.learningRate,
      weightDecay: 0,
      labelSmoothing: 0,
    });
  };
  const current = measurement?.key === key ? measurement : null;
  const estimate =
    current?.status === 'done' && byBudget
      ? estimatePlan(config.architecture, measuredLabels, config.budgetMinutes!, current.imagesPerSecond, trainRows)
      : null;

  return (
    <fieldset className="train-plan" disabled={disabled}>
      <legend>How long to train</legend>
      <div className="plan-modes" role="radiogroup" aria-label="Plan">
        <label>
          <input
            type="radio"
            name="plan"
            checked={byBudget}
            onChange={() => chooseRecipe(recipe?.name ?? 'quick')}
          />{' '}
          For a time budget (recommended: the learning-rate schedule spans the time you give)
        </label>
        <label>
          <input type="radio" name="plan" checked={!byBudget} onChange={useEpochs} /> For a number of epochs
        </label>
      </div>
      {byBudget && (
        <>
          <div className="recipes" role="radiogroup" aria-label="Time budget preset">
            {RECIPES.filter((r) => hasVotes || r.labels !== 'ferplus').map((r) => (
              <label key={r.name} className={config.recipe === r.name ? 'recipe selected' : 'recipe'}>
                <input
                  type="radio"
                  name="recipe"
                  checked={config.recipe === r.name}
                  onChange={() => chooseRecipe(r.name)}
                />
                <strong>{r.title}</strong>
                <span className="muted">{r.description}</span>
              </label>
            ))}
          </div>
          <div className="plan-estimate">
            <label className="field inline-field">
              <span>Budget (minutes)</span>
              <input
                type="number"
                aria-label="Budget (minutes)"
                min={0.1}
                step="any"
                value={config.budgetMinutes ?? ''}
                onChange={(e) =>
                  onChange({
                    ...config,
                    budgetMinutes: Number.isFinite(e.target.valueAsNumber)
                      ? e.target.valueAsNumber
                      : config.budgetMinutes,
                  })
                }
              />
            </label>
            <button
              type="button"
              className="secondary"
              onClick={measure}
              disabled={current?.status === 'measuring'}
            >
              {current?.status === 'measuring' ? 'Measuring…' : 'Estimate on this device'}
            </button>
            <p className="muted" data-testid="plan-estimate" role="status">
              {!current &&
                `Times a few training batches of ${ARCHITECTURE_REGISTRY[config.architecture].title.split(' (')[0]} here to say how many epochs the budget buys.`}
              {current?.status === 'measuring' && 'Timing a few training batches…'}
              {current?.status === 'error' && current.message}
              {current?.status === 'done' && estimate && (
                <>
                  <strong>{current.imagesPerSecond.toFixed(0)} faces/s</strong> on{' '}
                  {current.info.backend.toUpperCase()}: about{' '}
                  <strong>
                    {estimate.epochs < 10 ? estimate.epochs.toFixed(1) : Math.round(estimate.epochs)} epochs
                  </strong>{' '}
                  in {config.budgetMinutes} min.{' '}
                  {synthetic ? (
                    <>The expected accuracy is known for FER2013 only, not for the demo faces.</>
                  ) : measuredLabels === null ? (
                    <>
                      The expected accuracy is known for FER2013&rsquo;s seven classes and FER+&rsquo;s eight, not for
                      these classes.
                    </>
                  ) : estimate.expected ? (
                    <>
                      Expected test accuracy {estimate.expected.atLeast ? 'at least' : 'about'}{' '}
                      <strong>{formatPercent(estimate.expected.accuracy)}</strong> (
                      {formatPercent(estimate.expected.tenCrop)} with ten-crop), as measured for this network
                      after {estimate.expected.from.epochs} epochs.
                    </>
                  ) : (
                    <>
                      No measured run of this network had so few epochs: expect less than our benchmarks show.
                    </>
                  )}
                </>
              )}
            </p>
          </div>
        </>
      )}
    </fieldset>
  );
}
