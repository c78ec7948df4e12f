// Runs on the page: training settings — network, epochs, batch, learning rate, augmentation, schedule, backend.
import { useEffect, useState } from 'react';
import * as tf from '@tensorflow/tfjs';
import { architectureCost, ARCHITECTURE_REGISTRY, ARCHITECTURES, type ArchitectureName, type ModelCost } from '../../core/nets/architectures';
import { defaultAugmentOptions, NO_AUGMENTATION, warps } from '../../core/training/augment';
import { VOTE_MODES, type VoteMode } from '../../core/labels/targets';
import { defaultTrainConfig, OPTIMIZERS, type TrainConfig } from '../../core/training/train-config';
import { BACKENDS, type BackendPreference } from '../../workers/backend-choice';
import { formatInt } from '../common/format';
import { TrainPlanPicker, type TrainPlanPickerProps } from './TrainPlanPicker';

/**
 * Each net's parameters and FLOPs, measured on the built model (architectureCost), one net per task after the
 * first render so the page stays responsive (the seed net is ~6 M parameters). IMPORTANT: the page uses no
 * tensors otherwise; when no tfjs backend is up yet, the plain CPU one is chosen, not a WebGL context.
 */
function useArchitectureCosts(): Partial<Record<ArchitectureName, ModelCost>> {
  const [costs, setCosts] = useState<Partial<Record<ArchitectureName, ModelCost>>>({});
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const measure = async (index: number) => {
      if (cancelled || index >= ARCHITECTURES.length) return;
      if (!tf.engine().backendName) await tf.setBackend('cpu');
      const name = ARCHITECTURES[index];
      const cost = architectureCost(name);
      if (cancelled) return;
      setCosts((known) => ({ ...known, [name]: cost }));
      timer = setTimeout(() => void measure(index + 1), 0);
    };
    timer = setTimeout(() => void measure(0), 0);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, []);
  return costs;
}

interface TrainSettingsFormProps extends TrainPlanPickerProps {
  onBackend: (backend: BackendPreference) => void;
}

const VOTE_MODE_TITLES: Record<VoteMode, string> = {
  majority: 'Majority: one label per face, faces without a clear majority left out',
  crossentropy: 'Cross-entropy on the vote distribution',
  probability: 'Probability: one label drawn from the votes per face, every epoch',
  'multi-target': 'Multi-target: right if it names any emotion with ≥ 30 % of the votes',
};

const BACKEND_TITLES: Record<BackendPreference, string> = {
  auto: 'Automatic (WebGPU → WebGL → WASM → CPU)',
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WebAssembly (CPU, SIMD + threads)',
  cpu: 'Plain JavaScript CPU (slowest)',
};

function NumberField(props: {
  label: string;
  value: number;
  step?: number;
  min?: number;
  onChange: (value: number) => void;
  disabled: boolean;
  hint?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="number"
        aria-label={props.label}
        value={Number.isFinite(props.value) ? props.value : ''}
        step={props.step ?? 1}
        min={props.min ?? 0}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.valueAsNumber)}
      />
      {props.hint && <small className="muted">{props.hint}</small>}
    </label>
  );
}

const OPTIMIZER_TITLES: Record<TrainConfig['optimizer'], string> = {
  adam: 'Adam (β 0.9 / 0.999, ε 1e-7)',
  'sgd-nesterov': 'SGD, Nesterov momentum 0.9',
};

export function TrainSettingsForm({
  config,
  backend,
  trainRows,
  classes,
  synthetic,
  measuredLabels,
  disabled,
  onChange,
  onBackend,
  hasVotes,
}: TrainSettingsFormProps) {
  const byBudget = config.budgetMinutes !== null;
  const costs = useArchitectureCosts();
  const set = <K extends keyof TrainConfig>(key: K, value: TrainConfig[K]) =>
    onChange({ ...config, [key]: value });
  const warpOn = warps(config.augment);
  const chooseArchitecture = (name: ArchitectureName) => {
    const defaults = defaultTrainConfig(name);
    onChange(
      byBudget
        ? { ...config, architecture: name }
        : {
            ...config,
            architecture: name,
            epochs: defaults.epochs,
            earlyStoppingPatience: defaults.earlyStoppingPatience,
          },
    );
  };
  return (
    <>
      <TrainPlanPicker
        config={config}
        backend={backend}
        trainRows={trainRows}
        classes={classes}
        hasVotes={hasVotes}
        synthetic={synthetic}
        measuredLabels={measuredLabels}
        disabled={disabled}
        onChange={onChange}
      />
      <fieldset className="train-settings" disabled={disabled}>
        <legend>Settings</legend>
        {hasVotes && (
          <label className="field vote-mode">
            <span>Train on the crowd votes by</span>
            <select aria-label="Vote mode" value={config.voteMode} onChange={(e) => onChange({ ...config, voteMode: e.target.value as VoteMode })}>
              {VOTE_MODES.map((mode) => (
                <option key={mode} value={mode}>
                  {VOTE_MODE_TITLES[mode]}
                </option>
              ))}
            </select>
          </label>
        )}
        <div className="architectures" role="radiogroup" aria-label="Network">
          {ARCHITECTURES.map((name) => {
            const info = ARCHITECTURE_REGISTRY[name];
            const cost = costs[name];
            return (
              <label
                key={name}
                className={config.architecture === name ? 'architecture selected' : 'architecture'}
              >
                <input
                  type="radio"
                  name="architecture"
                  checked={config.architecture === name}
                  onChange={() => chooseArchitecture(name)}
                />
                <strong>{info.title}</strong>
                <span className="muted">{info.description}</span>
                <span className="cost">
                  {cost
                    ? `${formatInt(cost.params)} parameters · ${(cost.flopsPerImage / 1e9).toFixed(3)} GFLOP per face`
                    : 'measuring parameters and FLOPs…'}
                </span>
              </label>
            );
          })}
        </div>
        <div className="field-grid">
          {!byBudget && (
            <NumberField
              label="Epochs"
              value={config.epochs}
              min={1}
              onChange={(v) => set('epochs', v)}
              disabled={disabled}
            />
          )}
          <NumberField
            label="Batch size"
            value={config.batchSize}
            min={1}
            onChange={(v) => set('batchSize', v)}
            disabled={disabled}
          />
          <label className="field">
            <span>Optimizer</span>
            <select
              aria-label="Optimizer"
              value={config.optimizer}
              onChange={(e) => set('optimizer', e.target.value as TrainConfig['optimizer'])}
            >
              {OPTIMIZERS.map((name) => (
                <option key={name} value={name}>
                  {OPTIMIZER_TITLES[name]}
                </option>
              ))}
            </select>
          </label>
          <NumberField
            label={byBudget ? 'Peak learning rate' : 'Learning rate'}
            value={config.learningRate}
            step={0.0001}
            onChange={(v) => set('learningRate', v)}
            disabled={disabled}
            hint={config.schedule === 'one-cycle' ? 'one-cycle: 5 % warm-up, then cosine to 1 %' : undefined}
          />
          <NumberField
            label="Weight decay"
            value={config.weightDecay}
            step={0.0001}
            onChange={(v) => set('weightDecay', v)}
            disabled={disabled}
            hint="decoupled, on kernels; 0 = off"
          />
          <NumberField
            label="Label smoothing"
            value={config.labelSmoothing}
            step={0.05}
            onChange={(v) => set('labelSmoothing', v)}
            disabled={disabled}
            hint="0 = plain one-hot"
          />
          <NumberField
            label="Random erasing"
            value={config.augment.erase ?? 0}
            step={0.05}
            onChange={(v) => set('augment', { ...config.augment, erase: v })}
            disabled={disabled}
            hint="share of faces with a rectangle blanked; 0 = off"
          />
          <NumberField
            label="Weight averaging"
            value={config.weightAverage}
            step={0.001}
            onChange={(v) => set('weightAverage', v)}
            disabled={disabled}
            hint="decay per step of a moving average of the weights, which validation and the saved model use; 0 = off"
          />
          <NumberField
            label="Random seed"
            value={config.seed}
            onChange={(v) => set('seed', v)}
            disabled={disabled}
            hint="shuffling and augmentation"
          />
          <label className="field">
            <span>Class weights</span>
            <select
              aria-label="Class weights"
              value={config.classWeights}
              onChange={(e) => set('classWeights', e.target.value as TrainConfig['classWeights'])}
            >
              <option value="off">Off</option>
              <option value="balanced">Balanced (n / classes·n_class)</option>
            </select>
          </label>
          {!byBudget && (
            <NumberField
              label="Early stopping patience"
              value={config.earlyStoppingPatience}
              onChange={(v) => set('earlyStoppingPatience', v)}
              disabled={disabled}
              hint="epochs without a lower validation loss; 0 = off"
            />
          )}
          {!byBudget && (
            <NumberField
              label="Reduce LR patience"
              value={config.reduceLr.patience}
              onChange={(v) => set('reduceLr', { ...config.reduceLr, patience: v })}
              disabled={disabled}
              hint={`×${config.reduceLr.factor} after that many epochs without a lower validation loss; 0 = off`}
            />
          )}
          <label className="field">
            <span>Backend</span>
            <select
              aria-label="Backend"
              value={backend}
              onChange={(e) => onBackend(e.target.value as BackendPreference)}
            >
              {(['auto', ...BACKENDS] as BackendPreference[]).map((name) => (
                <option key={name} value={name}>
                  {BACKEND_TITLES[name]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={warpOn}
            onChange={(e) =>
              set('augment', { ...(e.target.checked ? defaultAugmentOptions : NO_AUGMENTATION), erase: config.augment.erase })
            }
          />{' '}
          Augment each batch on the backend: random horizontal flip, ±
          {Math.round(config.augment.maxShift * 100)} % shift, ±{config.augment.maxRotationDeg}° rotation, ±
          {Math.round(config.augment.maxZoom * 100)} % zoom
        </label>
      </fieldset>
    </>
  );
}
