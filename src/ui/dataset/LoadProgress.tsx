// Runs on the page: progress of a running load (bytes, rows, MB/s) with a Cancel button.
import { formatInt, formatFileSize } from '../common/format';
import { ProgressBar } from '../common/ProgressBar';
import { megabytesPerSecond, type DatasetLoadState } from './dataset-load-state';
import { RESTORE_SOURCE } from './useDatasetLoader';

const STAGE_TEXT = { reading: 'Reading', decoding: 'Decoding the images of', generating: 'Generating demo faces', standardising: 'Standardising' } as const;

export function LoadProgress({ state, onCancel }: { state: DatasetLoadState; onCancel: () => void }) {
  const { progress, stage, elapsedMs } = state;
  const fraction = progress && progress.bytesTotal > 0 ? progress.bytesRead / progress.bytesTotal : null;
  return (
    <section className="card load-progress" aria-live="polite" data-testid="load-progress">
      <div className="row-between">
        <strong>
          {state.source === RESTORE_SOURCE ? 'Restoring' : stage ? STAGE_TEXT[stage] : 'Starting'} {state.source}
        </strong>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ProgressBar fraction={stage === 'reading' || stage === 'decoding' ? fraction : null} label={`Loading ${state.source}`}>
        {progress && (stage === 'reading' || stage === 'decoding') ? (
          <span data-testid="load-progress-text">
            {formatFileSize(progress.bytesRead)} of {formatFileSize(progress.bytesTotal)} · {formatInt(progress.rows)} {stage === 'decoding' ? 'faces' : 'rows'}
            {progress.skipped > 0 && ` · ${formatInt(progress.skipped)} skipped`} ·{' '}
            {megabytesPerSecond(progress.bytesRead, elapsedMs).toFixed(0)} MB/s
          </span>
        ) : (
          <span>{stage === 'standardising' ? 'Computing per-pixel mean and standard deviation…' : state.source === RESTORE_SOURCE ? 'Reading it from this browser’s storage…' : 'Working…'}</span>
        )}
      </ProgressBar>
    </section>
  );
}
