// Runs on the page: says so when a running training run has not been heard from for minutes, and offers to end
// its worker at once, so that the run's last checkpoint can be resumed.
import { formatDuration } from '../common/format';
import { useClock } from '../common/use-clock';
import { stallNoticeMs } from '../../workers/train-test-seam';
import { silentMs, STALL_NOTICE_MS, type TrainingRunState } from './training-run-state';

interface StallNoticeProps {
  state: TrainingRunState;
  /** Ends the worker at once; `silent` is how long it had been quiet (ms). */
  onEndWorker: (silent: number) => void;
  /** For tests: the page clock, instead of one that ticks every second. */
  now?: number;
}

export function StallNotice({ state, onEndWorker, now }: StallNoticeProps) {
  const clock = useClock(now === undefined && state.status === 'running' && !state.paused);
  const silent = silentMs(state, now ?? clock);
  if (silent < stallNoticeMs(STALL_NOTICE_MS)) return null;
  const checkpoint = state.lastCheckpointEpoch;
  return (
    <section className="card stall-notice" role="alert" data-testid="stall-notice">
      <strong>No training batch has finished for {formatDuration(silent)}.</strong>{' '}
      The training worker reports every few seconds, so it has most likely stopped responding; Stop waits for a batch
      that may never finish.{' '}
      {checkpoint > 0
        ? `Ending the worker keeps the run's checkpoint of epoch ${checkpoint}: resume it from there once it has ended.`
        : 'No epoch has finished yet, so ending the worker leaves nothing to resume: the run can only start again.'}
      <div className="button-row">
        <button type="button" className="danger" onClick={() => onEndWorker(silent)}>
          End the worker now
        </button>
      </div>
    </section>
  );
}
