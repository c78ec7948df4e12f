// Runs on the page: the Train screen — settings, start/pause/stop, live charts, resume offer, result.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { trainingRows, type LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { SplitOptions } from '../../core/dataset/splits';
import { findRecipe, recipeConfig, measuredLabelsOf } from '../../core/training/recipes';
import { validateTrainConfig, type TrainConfig } from '../../core/training/train-config';
import type { RunSummary } from '../../storage/run-record';
import { deleteRun, latestUnfinishedRun } from '../../storage/run-store';
import { runTrainedElsewhere } from '../../workers/run-lock';
import type { BackendPreference } from '../../workers/backend-choice';
import { ErrorBanner } from '../common/ErrorBanner';
import { formatInt, formatPercent } from '../common/format';
import { BackendPanel } from './BackendPanel';
import { effectiveSplit } from './build-train-dataset';
import { ResumeBanner } from './ResumeBanner';
import { StallNotice } from './StallNotice';
import { TrainingCharts } from './TrainingCharts';
import { TrainingProgress } from './TrainingProgress';
import { TrainSettingsForm } from './TrainSettingsForm';
import type { TrainingRun } from './useTrainingRun';
import { stalledRunMessage } from './training-run-state';

interface TrainingScreenProps {
  dataset: LoadedDataset | null;
  /** Whether `dataset` is the one kept in the browser's storage (the training worker then reads it there). */
  stored: boolean;
  split: SplitOptions;
  seedFaithful: boolean;
  run: TrainingRun;
  onShowData: () => void;
}

/** How often an idle Train screen looks again for runs to resume (another tab may own or release one). */
const UNFINISHED_POLL_MS = 3000;

const STOP_TEXT = { completed: 'finished all epochs', 'early-stopping': 'stopped early (validation loss stopped improving)', stopped: 'was stopped' } as const;

export function TrainingScreen({ dataset, stored, split, seedFaithful, run, onShowData }: TrainingScreenProps) {
  const { state } = run;
  const [config, setConfig] = useState<TrainConfig>(() => recipeConfig(findRecipe('quick')!));
  const [backend, setBackend] = useState<BackendPreference>('auto');
  const [unfinished, setUnfinished] = useState<(RunSummary & { elsewhere: boolean }) | null>(null);
  const running = state.status === 'running';

  // One look at a time: a held lock is waited for a few seconds (runTrainedElsewhere), longer than the poll.
  const looking = useRef(false);
  const refreshUnfinished = useCallback(() => {
    if (looking.current) return;
    looking.current = true;
    latestUnfinishedRun()
      .then(async (found) => setUnfinished(found ? { ...found, elsewhere: await runTrainedElsewhere(found.runId) } : null))
      .catch((error: unknown) => console.error('could not read unfinished runs', error))
      .finally(() => (looking.current = false));
  }, []);
  useEffect(() => {
    if (running) return;
    refreshUnfinished();
    // Another tab may start, finish or close a run meanwhile.
    const timer = window.setInterval(refreshUnfinished, UNFINISHED_POLL_MS);
    return () => clearInterval(timer);
  }, [running, refreshUnfinished]);

  const rows = useMemo(() => {
    if (!dataset) return null;
    const indices = trainingRows(dataset, split, seedFaithful, config.voteMode);
    return { train: indices.train.length, validation: indices.validation.length };
  }, [dataset, split, seedFaithful, config.voteMode]);
  const problems = validateTrainConfig(config);

  if (!dataset || !rows) {
    return (
      <div className="screen">
        <section className="card empty-hint">
          <p>Load a data set first: the real FER2013 file or the demo data.</p>
          <button type="button" onClick={onShowData}>
            Go to the Data screen
          </button>
        </section>
      </div>
    );
  }

  const used = effectiveSplit(dataset, split);
  return (
    <div className="screen training-screen">
      {unfinished && !running && (
        <ResumeBanner
          run={unfinished}
          trainingElsewhere={unfinished.elsewhere}
          dataset={dataset}
          onResume={() => {
            setUnfinished(null);
            run.resume(unfinished, dataset, stored, backend);
          }}
          onDiscard={() => {
            void deleteRun(unfinished.runId).then(refreshUnfinished);
          }}
        />
      )}
      <section className="card">
        <p className="data-line" data-testid="training-data-line">
          Training on <strong>{dataset.name}</strong>: {formatInt(rows.train)} training and {formatInt(rows.validation)} validation faces ·{' '}
          {used.strategy === 'usage' ? 'Usage split' : `seed split (seed ${used.seed})`} · standardised over{' '}
          {seedFaithful ? 'all rows (seed-faithful)' : 'the training rows'} ·{' '}
          <span data-testid="training-classes">
            {dataset.buffers.labelSet.names.length} classes ({dataset.buffers.labelSet.names.join(', ')})
            {dataset.buffers.votes ? ` from crowd votes, trained by ${config.voteMode}` : ''}
          </span>{' '}
          <button type="button" className="link-button inline" onClick={onShowData}>
            change
          </button>
        </p>
        <TrainSettingsForm
          config={config}
          backend={backend}
          trainRows={rows.train}
          classes={dataset.buffers.labelSet.names.length}
          hasVotes={dataset.buffers.votes !== undefined}
          synthetic={dataset.synthetic}
          measuredLabels={measuredLabelsOf(dataset.buffers.labelSet.names, dataset.buffers.votes !== undefined, dataset.synthetic)}
          disabled={running}
          onChange={setConfig}
          onBackend={setBackend}
        />
        {problems.length > 0 && <p className="error-text">{problems.join('; ')}</p>}
        <div className="button-row controls">
          {!running && (
            <button type="button" disabled={problems.length > 0 || rows.train === 0} onClick={() => run.start(config, dataset, stored, split, seedFaithful, backend)}>
              Start training
            </button>
          )}
          {running && !state.paused && (
            <button type="button" className="secondary" onClick={run.pause} disabled={state.stopRequested}>
              Pause
            </button>
          )}
          {running && state.paused && (
            <button type="button" onClick={run.play} disabled={state.stopRequested}>
              Continue
            </button>
          )}
          {running && (
            <button type="button" className="danger" onClick={run.stop} disabled={state.stopRequested}>
              {state.stopRequested ? 'Stopping…' : 'Stop (keep best epoch)'}
            </button>
          )}
          {running && state.paused && <span className="muted">Paused: the current batch finished and the next waits.</span>}
          {running && !state.backend && <span className="muted">Choosing a backend and compiling the network…</span>}
        </div>
      </section>
      {running && <StallNotice state={state} onEndWorker={(silent) => run.endWorker(stalledRunMessage(silent))} />}
      {state.status === 'error' && state.error && (
        <ErrorBanner
          title="Training stopped:"
          message={state.error}
          hint={state.lastCheckpointEpoch > 0 ? `The checkpoint of epoch ${state.lastCheckpointEpoch} is kept; you can resume it.` : undefined}
        />
      )}
      {state.status === 'done' && (
        <section className="card result" data-testid="training-result" role="status">
          {state.model ? (
            <>
              <strong>
                Training{' '}
                {state.stopReason === 'completed' && state.config?.budgetMinutes ? 'used its whole time budget' : STOP_TEXT[state.stopReason ?? 'completed']}.
              </strong> The best epoch ({state.model.training?.bestEpoch}, validation
              accuracy {formatPercent(state.model.training?.bestValAccuracy ?? 0)}) is saved in this browser as{' '}
              <strong data-testid="saved-model-name">{state.model.name}</strong> and is now the active model.
            </>
          ) : (
            <>Training was stopped before the first epoch finished, so there is no model to keep.</>
          )}
        </section>
      )}
      {state.config && (
        <section className="card" data-testid="training-panel" data-epochs={state.epochs.length} data-status={state.status}>
          {state.backend && <BackendPanel info={state.backend} />}
          <TrainingProgress state={state} />
          <TrainingCharts batches={state.batches} epochs={state.epochs} plannedEpochs={state.config.budgetMinutes ? undefined : state.config.epochs} plannedMinutes={state.config.budgetMinutes ?? null} />
          <details className="debug-panel">
            <summary>Debug</summary>
            <p data-testid="tensor-counts">
              tfjs tensors alive in the worker after each epoch: {state.tensors.length > 0 ? state.tensors.join(', ') : 'none yet'} (a
              number that grows means a leak)
            </p>
            {state.cost && (
              <p>
                Network: {formatInt(state.cost.params)} parameters, {(state.cost.flopsPerImage / 1e9).toFixed(3)} GFLOP per face forward ·{' '}
                {state.batchesPerEpoch} batches per epoch · last checkpoint: epoch {state.lastCheckpointEpoch}
              </p>
            )}
          </details>
        </section>
      )}
    </div>
  );
}
