// Runs on the page: storage used and available to this origin, and a request for persistent storage.
import { formatPercent } from '../common/format';

/** Bytes as MB below 1 GB, else GB: "5.6 MB", "10.7 GB". */
function formatSize(bytes: number): string {
  return bytes < 1e9 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e9).toFixed(1)} GB`;
}
import type { StorageInfo } from './useStorageInfo';

export function StoragePanel({ info, onPersist }: { info: StorageInfo; onPersist: () => void }) {
  const { estimate, persistAnswer } = info;
  if (!estimate) return <p className="muted">This browser does not report its storage use.</p>;
  const fraction = estimate.quota > 0 ? estimate.usage / estimate.quota : 0;
  return (
    <div className="storage-panel" data-testid="storage-panel">
      <p>
        Storage: <strong data-testid="storage-used">{formatSize(estimate.usage)}</strong> used of{' '}
        <strong>{formatSize(estimate.quota)}</strong> available to this site ({formatPercent(fraction)}).{' '}
        {estimate.persisted ? (
          <span data-testid="storage-persisted">Persistent: the browser will not evict these models to free space.</span>
        ) : (
          <span>Not persistent: under disk pressure the browser may clear it.</span>
        )}
      </p>
      <div className="storage-track" aria-hidden="true">
        <div style={{ width: `${Math.max(0.5, Math.min(100, fraction * 100))}%` }} />
      </div>
      {!estimate.persisted && (
        <div className="button-row">
          <button type="button" className="secondary" onClick={onPersist}>
            Keep models persistent
          </button>
          {persistAnswer === false && (
            <span className="muted" role="status">
              The browser declined (browsers grant it to installed, bookmarked or often-used sites); export models you want to keep.
            </span>
          )}
        </div>
      )}
    </div>
  );
}
