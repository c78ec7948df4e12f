// Runs on the page: what is loaded (name, rows, size, speed) and which rows were skipped and why.
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { formatDuration, formatInt, formatMegabytes } from '../common/format';
import { megabytesPerSecond } from './dataset-load-state';
import type { ImageFolderOrigin } from '../../core/images/load-image-folders';

/** Where image-folder faces came from: files, resizing, how the splits were made, what was left out. */
function ImageFolderFacts({ origin }: { origin: ImageFolderOrigin }) {
  return (
    <ul className="muted" data-testid="image-folder-facts">
      <li>
        Faces from {formatInt(origin.files)} image files in class folders, taken as already cropped (no face detection):{' '}
        {origin.resized === 0 ? 'all were 48×48 and are used as they are.' : `${formatInt(origin.resized)} not 48×48 were cut to their centre square and resized to 48×48 by area averaging.`}
      </li>
      <li data-testid="image-folder-splits">Splits: {origin.splitDescription}.</li>
      {origin.skippedFolders.length > 0 && (
        <li data-testid="image-folder-skipped-folders">
          Left out, as you chose: {origin.skippedFolders.map(({ folder, files }) => `${folder}/ (${formatInt(files)} file${files === 1 ? '' : 's'})`).join(', ')}.
        </li>
      )}
      {origin.outside.count > 0 && (
        <li>
          {formatInt(origin.outside.count)} file{origin.outside.count === 1 ? ' is' : 's are'} not in a class folder and {origin.outside.count === 1 ? 'was' : 'were'} ignored
          ({origin.outside.first.join(', ')}{origin.outside.count > origin.outside.first.length ? ', …' : ''}).
        </li>
      )}
    </ul>
  );
}

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
      {dataset.images && <ImageFolderFacts origin={dataset.images} />}
      {dataset.synthetic && (
        <p className="muted">
          These are procedurally drawn cartoon faces in the FER2013 format, for trying the app without a download. Accuracy on
          them says nothing about real faces.
        </p>
      )}
      {skipped.count > 0 && (
        <details className="skipped" data-testid="skipped-rows" open={skipped.count <= 5}>
          <summary>
            {formatInt(skipped.count)} {dataset.images ? 'file' : 'row'}
            {skipped.count === 1 ? '' : 's'} skipped
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
