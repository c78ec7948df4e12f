// Runs on the page: the Evaluate screen: pick a saved model and a held-out split, run it in the evaluation
// worker with a progress bar, and show accuracy, confusion matrices, per-class metrics, valence and mistakes.
import { useMemo, useState } from 'react';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { SplitOptions } from '../../core/dataset/splits';
import type { EvaluationSplit } from '../../core/evaluation/types';
import { ErrorBanner } from '../common/ErrorBanner';
import { formatDuration, formatInt } from '../common/format';
import { ProgressBar } from '../common/ProgressBar';
import type { SavedModels } from '../models/useSavedModels';
import { evaluationRows } from './evaluation-rows';
import { EvaluationResults, type LiveResult } from './EvaluationResults';
import type { EvaluationRun } from './useEvaluationRun';
import './evaluation.css';
import { modelLabelSet } from '../../core/model-format/model-metadata';
import { labelAgreement, labelsInModelOrder } from '../../core/evaluation/label-agreement';
import { labelPermutation, sameLabelOrder } from '../../core/labels/label-set';

interface EvaluationScreenProps {
  dataset: LoadedDataset | null;
  /** The split chosen on the Data screen (used for models trained on another data set). */
  split: SplitOptions;
  saved: SavedModels;
  run: EvaluationRun;
  /** The model to evaluate, as picked here or from the Models screen; null = the active model. */
  modelId: string | null;
  onModelId: (id: string) => void;
  onShowData: () => void;
  onShowModels: () => void;
}

export function EvaluationScreen({ dataset, split, saved, run, modelId, onModelId, onShowData, onShowModels }: EvaluationScreenProps) {
  const [which, setWhich] = useState<EvaluationSplit>('test');
  const [tta, setTta] = useState(false);
  const [tenCrop, setTenCrop] = useState(false);
  const { state } = run;
  const running = state.status === 'running';
  const models = saved.models ?? [];
  const meta = models.find((m) => m.id === modelId) ?? models.find((m) => m.id === saved.activeId) ?? models[0] ?? null;
  const chosen = useMemo(() => (dataset && meta ? evaluationRows(dataset, meta, split, which) : null), [dataset, meta, split, which]);
  // The model's classes against the data set's: the same in any order, or no evaluation (the worker checks too).
  const agreement = useMemo(
    () => (dataset && meta ? labelAgreement(meta.labels, dataset.buffers.labelSet.names, { model: meta.name, data: `the data set ${dataset.name}` }) : null),
    [dataset, meta],
  );
  const labelSet = useMemo(() => (meta ? modelLabelSet(meta) : null), [meta]);
  const { outcome, rows: liveRows, dataset: liveDataset } = state;
  const showLive = outcome !== null && outcome.modelId === meta?.id && outcome.evaluation.split === which;
  const live = useMemo<LiveResult | null>(() => {
    if (!showLive || !outcome || !liveDataset || !liveRows) return null;
    // The evaluated labels in the model's order (the data set may list the same classes in another).
    const toModel = labelPermutation(liveDataset.buffers.labelSet.names, outcome.labels);
    const labels = toModel && !sameLabelOrder(liveDataset.buffers.labelSet.names, outcome.labels) ? labelsInModelOrder(liveDataset.buffers.labels, toModel) : liveDataset.buffers.labels;
    return { probs: outcome.probs, ttaProbs: outcome.ttaProbs, tenCropProbs: outcome.tenCropProbs, pixels: liveDataset.buffers.pixels, labels, rows: liveRows };
  }, [showLive, outcome, liveDataset, liveRows]);
  const stored = meta?.evaluation?.[which] ?? null;

  if (saved.models !== null && models.length === 0) {
    return (
      <div className="screen">
        <section className="card empty-hint">
          <p>No saved models yet: train one on the Train screen, or import exported files on the Models screen.</p>
          <button type="button" onClick={onShowModels}>
            Go to the Models screen
          </button>
        </section>
      </div>
    );
  }

  const evaluation = showLive ? outcome!.evaluation : stored;
  const rate = state.elapsedMs > 0 ? (state.done / state.elapsedMs) * 1000 : 0;

  return (
    <div className="screen evaluation-screen">
      <section className="card">
        <h2>Evaluate a saved model</h2>
        <div className="eval-controls">
          <label className="field">
            <span>Model</span>
            <select aria-label="Model" value={meta?.id ?? ''} disabled={running} onChange={(e) => onModelId(e.target.value)}>
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                  {m.id === saved.activeId ? ' (active)' : ''}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="inline-radios" disabled={running}>
            <legend>Held-out faces</legend>
            <label>
              <input type="radio" name="eval-split" checked={which === 'test'} onChange={() => setWhich('test')} /> Test (PrivateTest)
            </label>
            <label>
              <input type="radio" name="eval-split" checked={which === 'validation'} onChange={() => setWhich('validation')} /> Validation (PublicTest)
            </label>
          </fieldset>
          <label className="checkbox">
            <input type="checkbox" checked={tta} disabled={running} onChange={(e) => setTta(e.target.checked)} /> Test-time augmentation (original + horizontal
            flip, averaged)
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={tenCrop} disabled={running} onChange={(e) => setTenCrop(e.target.checked)} /> Ten-crop (four corners and the centre
            of each face, each also mirrored, averaged: 10 more passes)
          </label>
        </div>
        {!dataset ? (
          <p className="data-line">
            Load a data set to evaluate on.{' '}
            <button type="button" className="link-button inline" onClick={onShowData}>
              Go to the Data screen
            </button>
          </p>
        ) : (
          chosen &&
          meta &&
          (agreement?.kind === 'refused' ? (
            <p className="data-line warning-text" data-testid="evaluation-data-line" role="status">
              Cannot evaluate: {agreement.message}
            </p>
          ) : (
            <p className="data-line" data-testid="evaluation-data-line">
              {formatInt(chosen.rows.length)} faces: {chosen.splitLabel} of <strong>{dataset.name}</strong> · standardised with the model’s own statistics (
              {formatInt(meta.standardization.rows)} rows)
              {!chosen.sameDataset && (
                <span className="warning-text">
                  {' '}
                  · this model was trained on {meta.dataset.name} (another data set): its training faces may be among these
                </span>
              )}
              {agreement?.kind === 'reordered' && <> · the data set lists the model’s classes in another order: they are matched by name</>}
            </p>
          ))
        )}
        <div className="button-row controls">
          {!running && (
            <button type="button" disabled={!dataset || !meta || !chosen || chosen.rows.length === 0 || agreement?.kind === 'refused'} onClick={() => meta && dataset && chosen && run.start(meta, dataset, chosen, which, { mirror: tta, tenCrop })}>
              Evaluate
            </button>
          )}
          {running && (
            <button type="button" className="danger" onClick={run.cancel}>
              Cancel
            </button>
          )}
          {chosen && chosen.rows.length === 0 && <span className="muted">This split has no faces in this data set.</span>}
        </div>
        {running && (
          <ProgressBar fraction={state.total > 0 ? state.done / state.total : null} label="Evaluation progress">
            <span data-testid="evaluation-progress-text">
              {formatInt(state.done)} of {formatInt(state.total)} faces{tta || tenCrop ? ` (each also ${[tta && 'mirrored', tenCrop && 'as ten crops'].filter(Boolean).join(' and ')})` : ''} · {formatDuration(state.elapsedMs)}
              {rate > 0 && ` · ${rate.toFixed(0)} faces/s`}
              {state.backend ? ` · ${state.backend.backend}` : ' · starting the backend…'}
            </span>
          </ProgressBar>
        )}
        {state.status === 'cancelled' && (
          <p role="status" className="muted">
            The evaluation of {state.modelName} was cancelled; nothing was stored.
          </p>
        )}
      </section>
      {state.status === 'error' && state.error && (
        <ErrorBanner title={`Could not evaluate ${state.modelName}:`} message={state.error} hint="The model and its stored results are unchanged." />
      )}
      {meta && evaluation && (
        <section className="card" data-testid="evaluation-result" data-evaluated-at={evaluation.evaluatedAt} data-live={showLive}>
          <h2>
            {meta.name} on {evaluation.splitLabel}
          </h2>
          {showLive && !outcome!.saved && <p className="warning-text">The model was deleted meanwhile, so this result is not stored.</p>}
          {!showLive && <p className="muted">Stored result of the last evaluation ({new Date(evaluation.evaluatedAt).toLocaleString()}).</p>}
          <EvaluationResults key={`${meta.id}:${which}:${evaluation.evaluatedAt}`} evaluation={evaluation} labelSet={labelSet ?? modelLabelSet(meta)} live={live} />
        </section>
      )}
    </div>
  );
}
