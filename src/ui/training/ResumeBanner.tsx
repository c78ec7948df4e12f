// Runs on the page: offers to continue a run that a reload or crash interrupted.
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { RunSummary } from '../../storage/run-record';
import { formatDuration } from '../common/format';

interface ResumeBannerProps {
  run: RunSummary;
  /** Another tab of the app is training this run (it holds the run's lock): nothing to offer here. */
  trainingElsewhere?: boolean;
  dataset: LoadedDataset | null;
  onResume: () => void;
  onDiscard: () => void;
}

export function ResumeBanner({ run, trainingElsewhere = false, dataset, onResume, onDiscard }: ResumeBannerProps) {
  const sameData = dataset?.fingerprint === run.dataset.fingerprint;
  if (trainingElsewhere) {
    return (
      <section className="card resume-banner" data-testid="resume-banner" data-elsewhere="true">
        <div>
          <strong>
            Run {run.config.architecture} on {run.dataset.name} is being trained in another tab of this app.
          </strong>
          <div className="muted">Follow it there. Once that tab stops or closes, its last checkpoint can be resumed here.</div>
        </div>
      </section>
    );
  }
  // A run interrupted before its first epoch ended has no checkpoint: it can only start again.
  const started = run.checkpointEpoch > 0;
  const plan = run.config.budgetMinutes ? `a ${run.config.budgetMinutes} min budget` : `${run.config.epochs} epochs`;
  return (
    <section className="card resume-banner" data-testid="resume-banner">
      <div>
        <strong>
          {started
            ? `Resume run ${run.config.architecture} on ${run.dataset.name} from epoch ${run.checkpointEpoch + 1} (of ${plan})?`
            : `Run ${run.config.architecture} on ${run.dataset.name} (${plan}) stopped before its first epoch ended. Start it again?`}
        </strong>
        <div className="muted">
          {started
            ? `Saved ${new Date(run.updatedAt).toLocaleString()} after ${formatDuration(run.elapsedMs)} of training.`
            : `Started ${new Date(run.createdAt).toLocaleString()}; no checkpoint was stored.`}
          {!sameData && ` Load ${run.dataset.name} (fingerprint ${run.dataset.fingerprint}) on the Data screen to ${started ? 'resume' : 'start'} it.`}
        </div>
      </div>
      <div className="button-row">
        <button type="button" onClick={onResume} disabled={!sameData}>
          {started ? `Resume from epoch ${run.checkpointEpoch + 1}` : 'Start again'}
        </button>
        <button type="button" className="secondary" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  );
}
