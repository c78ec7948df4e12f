// Runs on the page: offers to continue a run that a reload or crash interrupted.
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import type { RunSummary } from '../../storage/run-record';
import { formatDuration } from '../common/format';

interface ResumeBannerProps {
  run: RunSummary;
  dataset: LoadedDataset | null;
  onResume: () => void;
  onDiscard: () => void;
}

export function ResumeBanner({ run, dataset, onResume, onDiscard }: ResumeBannerProps) {
  const sameData = dataset?.fingerprint === run.dataset.fingerprint;
  return (
    <section className="card resume-banner" data-testid="resume-banner">
      <div>
        <strong>
          Resume run {run.config.architecture} on {run.dataset.name} from epoch {run.checkpointEpoch + 1} of {run.config.epochs}?
        </strong>
        <div className="muted">
          Saved {new Date(run.updatedAt).toLocaleString()} after {formatDuration(run.elapsedMs)} of training.
          {!sameData && ` Load ${run.dataset.name} (fingerprint ${run.dataset.fingerprint}) on the Data screen to resume it.`}
        </div>
      </div>
      <div className="button-row">
        <button type="button" onClick={onResume} disabled={!sameData}>
          Resume from epoch {run.checkpointEpoch + 1}
        </button>
        <button type="button" className="secondary" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  );
}
