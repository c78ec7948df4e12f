// Runs on the page: where a run is — epoch k of n, batch, images/s, elapsed, ETA, learning rate, best so far.
import { formatDuration, formatPercent } from '../common/format';
import { ProgressBar } from '../common/ProgressBar';
import { useClock } from '../common/use-clock';
import { estimateRemainingMs, type TrainingRunState } from './training-run-state';

export function TrainingProgress({ state }: { state: TrainingRunState }) {
  const running = state.status === 'running' && !state.paused;
  const now = useClock(running);
  const config = state.config;
  if (!config) return null;
  const epochsDone = state.epochs.length;
  const last = state.lastBatch;
  const batchesDone = epochsDone * state.batchesPerEpoch + (last && last.epoch === epochsDone + 1 ? last.batch : 0);
  const totalBatches = config.epochs * state.batchesPerEpoch;
  const budgetMs = config.budgetMinutes ? config.budgetMinutes * 60_000 : null;
  const trainedMs = last?.trainingMs ?? state.epochs.at(-1)?.trainingMs ?? 0;
  const fraction = budgetMs !== null ? Math.min(1, trainedMs / budgetMs) : totalBatches > 0 ? batchesDone / totalBatches : null;
  const epochNow = epochsDone + (state.status === 'running' ? 1 : 0);
  const elapsed = state.elapsedMs + (running ? Math.max(0, now - state.elapsedAt) : 0);
  const remaining = estimateRemainingMs(state);
  const lastEpoch = state.epochs[state.epochs.length - 1];
  const learningRate = lastEpoch ? lastEpoch.learningRate : config.learningRate;
  return (
    <div className="training-progress" data-testid="training-progress">
      <ProgressBar fraction={fraction} label="Training progress">
        <span data-testid="training-epoch">
          {budgetMs !== null ? (
            <>
              Epoch {epochNow} · {formatDuration(trainedMs)} of a {formatDuration(budgetMs)} budget
            </>
          ) : (
            <>
              Epoch {Math.min(config.epochs, epochNow)} of {config.epochs}
            </>
          )}
        </span>
        {last && state.status === 'running' && (
          <>
            {' '}· batch {last.batch} of {last.batchesPerEpoch}
          </>
        )}
      </ProgressBar>
      <dl className="stats">
        <div>
          <dt>Speed</dt>
          <dd data-testid="training-speed">{last ? `${last.imagesPerSecond.toFixed(1)} faces/s` : '—'}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{formatDuration(elapsed)}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="training-eta">{remaining === null ? '—' : `~${formatDuration(remaining)}`}</dd>
        </div>
        <div>
          <dt>Learning rate</dt>
          <dd>{learningRate.toExponential(1)}</dd>
        </div>
        <div>
          <dt>Last batch</dt>
          <dd>{last ? `loss ${last.loss.toFixed(3)} · acc ${formatPercent(last.accuracy, 0)}` : '—'}</dd>
        </div>
        <div>
          <dt>Best validation</dt>
          <dd data-testid="training-best">{state.bestEpoch > 0 ? `${formatPercent(state.bestValAccuracy)} (epoch ${state.bestEpoch})` : '—'}</dd>
        </div>
      </dl>
    </div>
  );
}
