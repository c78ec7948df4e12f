// Runs on the page: what is loaded (name, rows, size, speed) and which rows were skipped and why.
import { useState } from 'react';
import { ferCsvChunks } from '../../core/csv/fer-csv-writer';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { errorMessage } from '../../core/errors';
import { saveChunks } from '../common/save-file';
import { formatDuration, formatInt, formatFileSize } from '../common/format';
import { megabytesPerSecond } from './dataset-load-state';

/** Items per second of `count` over `ms` (0 when no time was measured). */
const perSecond = (count: number, ms: number) => (ms > 0 ? Math.round((count * 1000) / ms) : 0);
import type { ImageFolderOrigin } from '../../core/image-folders/load-image-folders';
import { FER2013_LABELS } from '../../core/labels/fer2013';
import { sameLabelOrder } from '../../core/labels/label-set';

/** How the `kept` faces were sized: all 48×48 already, or how many were cut and resized. */
function sizingText(kept: number, resized: number): string {
  const faces = `${formatInt(kept)} face${kept === 1 ? '' : 's'} kept`;
  if (resized === 0) return `the ${faces} ${kept === 1 ? 'was' : 'were all'} 48×48 and ${kept === 1 ? 'is' : 'are'} used as ${kept === 1 ? 'it is' : 'they are'}.`;
  const one = resized === 1;
  return `${formatInt(resized)} of the ${faces} ${one ? 'was' : 'were'} not 48×48: ${one ? 'it was' : 'they were'} cut to ${one ? 'its' : 'their'} centre square and resized to 48×48 by area averaging.`;
}

/** Where image-folder faces came from: folders, resizing, how the splits were made, what was left out. */
function ImageFolderFacts({ origin, kept }: { origin: ImageFolderOrigin; kept: number }) {
  return (
    <ul className="muted" data-testid="image-folder-facts">
      <li>
        The images in {origin.folders ?? 'class folders'} are taken as already cropped (no face detection): {sizingText(kept, origin.resized)}
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

/** The CSV's file name for a data set: its own name without extensions (fer2013-images.zip -> fer2013-images.csv). */
const csvName = (name: string) => `${name.replace(/\.(csv|zip|tar|tgz|gz)$/gi, '').replace(/\.(csv|tar)$/i, '').replace(/[^\w.-]+/g, '_').slice(0, 80) || 'dataset'}.csv`;

/** "Save as CSV": the loaded faces as a FER2013-format file, written chunk by chunk. */
function ExportCsvButton({ dataset }: { dataset: LoadedDataset }) {
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const save = async () => {
    setState({ busy: true, error: null });
    try {
      await saveChunks(csvName(dataset.name), ferCsvChunks(dataset.buffers), 'text/csv', 'FER2013 CSV');
      setState({ busy: false, error: null });
    } catch (error) {
      setState({ busy: false, error: errorMessage(error) });
    }
  };
  return (
    <span>
      <button type="button" className="secondary" onClick={() => void save()} disabled={state.busy} data-testid="export-csv" title="The faces, labels and splits in Kaggle's emotion,pixels,Usage format">
        {state.busy ? 'Saving…' : 'Save as FER2013 CSV'}
      </button>
      {state.error && <span className="error-text"> Could not save: {state.error}</span>}
    </span>
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
        {/* A FER2013 CSV's labels are FER2013's seven: other classes would come back as the wrong ones. */}
        {sameLabelOrder(dataset.buffers.labelSet.names, FER2013_LABELS.names) && <ExportCsvButton dataset={dataset} />}
      </div>
      <p>
        <strong data-testid="dataset-rows">{formatInt(dataset.buffers.rows)}</strong> faces
        {dataset.restoredMs !== undefined ? (
          <> restored from this browser’s storage in {formatDuration(dataset.restoredMs)}</>
        ) : (
          <>
            {' '}
            from {dataset.images ? `${formatInt(dataset.images.files)} image file${dataset.images.files === 1 ? '' : 's'} (${formatFileSize(dataset.bytes)})` : formatFileSize(dataset.bytes)}
            {!dataset.images && /\.(gz|tgz|zip)$/i.test(dataset.name) && ' packed'} ready in {formatDuration(dataset.loadMs)}
            {!dataset.synthetic &&
              (dataset.images
                ? ` (decoded at ${formatInt(perSecond(dataset.images.files, dataset.parseMs))} images/s)`
                : ` (parsed at ${megabytesPerSecond(dataset.bytes, dataset.parseMs).toFixed(0)} MB/s of the file)`)}
          </>
        )}{' '}
        · fingerprint <code>{dataset.fingerprint}</code>
      </p>
      {dataset.images && <ImageFolderFacts origin={dataset.images} kept={dataset.buffers.rows} />}
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
