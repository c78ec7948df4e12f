// Runs on the page: what is loaded (name, rows, size, speed) and which rows were skipped and why.
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { formatDuration, formatInt, formatMegabytes } from '../common/format';
import { megabytesPerSecond } from './dataset-load-state';

export function DatasetSummaryCard({ dataset }: { dataset: LoadedDataset }) {
  const { skipped } = dataset;
  return (
    <section className="card" data-testid="dataset-summary" data-load-ms={dataset.loadMs} data-parse-ms={dataset.parseMs}>
      <div className="row-between">
        <h2>
          {dataset.name} {dataset.synthetic && <span className="badge synthetic">synthetic</span>}
        </h2>
      </div>
      <p>
        <strong data-testid="dataset-rows">{formatInt(dataset.buffers.rows)}</strong> faces
        {dataset.restoredMs !== undefined ? (
          <> restored from this browser’s storage in {formatDuration(dataset.restoredMs)}</>
        ) : (
          <>
            {' '}
            from {formatMegabytes(dataset.bytes)}
            {/\.(gz|tgz|zip)$/i.test(dataset.name) && ' packed'} ready in {formatDuration(dataset.loadMs)}
            {!dataset.synthetic && ` (parsed at ${megabytesPerSecond(dataset.bytes, dataset.parseMs).toFixed(0)} MB/s of the file)`}
          </>
        )}{' '}
        · fingerprint <code>{dataset.fingerprint}</code>
      </p>
      {dataset.synthetic && (
        <p className="muted">
          These are procedurally drawn cartoon faces in the FER2013 format, for trying the app without a download. Accuracy on
          them says nothing about real faces.
        </p>
      )}
      {skipped.count > 0 && (
        <details className="skipped" data-testid="skipped-rows" open={skipped.count <= 5}>
          <summary>
            {formatInt(skipped.count)} row{skipped.count === 1 ? '' : 's'} skipped
            {skipped.count > skipped.first.length && ` (first ${skipped.first.length} shown)`}
          </summary>
          <ul>
            {skipped.first.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
