// Runs on the page: every face found in the photos as one table (thumbnail, file, face, box, top class,
// all probabilities), sortable by file, class or confidence, and saved as CSV.
import { useMemo, useState } from 'react';
import { faceRowsCsv, faceTableRows, sortFaceRows, type FaceSort } from '../../core/inference/face-table';
import { GrayImage } from '../common/GrayImage';
import { saveDownload } from '../common/save-file';
import type { PhotoEntry } from './photo-state';

const SORTS: { id: FaceSort; title: string }[] = [
  { id: 'file', title: 'file' },
  { id: 'class', title: 'class' },
  { id: 'confidence', title: 'confidence' },
];

export function PhotoBatchTable({ photos, labels }: { photos: readonly PhotoEntry[]; labels: readonly string[] }) {
  const [sort, setSort] = useState<FaceSort>('file');
  const rows = useMemo(
    () => faceTableRows(photos.filter((entry) => entry.status === 'done' && entry.result).map((entry) => ({ id: entry.id, name: entry.name, faces: entry.result!.faces }))),
    [photos],
  );
  const sorted = useMemo(() => sortFaceRows(rows, sort), [rows, sort]);
  if (rows.length === 0) return null;
  const pending = photos.filter((entry) => entry.status === 'running').length;
  return (
    <section className="card face-table" data-testid="face-table">
      <div className="row-between">
        <h3>
          {rows.length} face{rows.length === 1 ? '' : 's'} in {new Set(rows.map((row) => row.photoId)).size} photo{new Set(rows.map((row) => row.photoId)).size === 1 ? '' : 's'}
          {pending > 0 && <span className="muted"> · {pending} still being analysed</span>}
        </h3>
        <div className="button-row">
          <span className="muted">Sort by</span>
          {SORTS.map(({ id, title }) => (
            <button key={id} type="button" className={sort === id ? undefined : 'secondary'} aria-pressed={sort === id} onClick={() => setSort(id)}>
              {title}
            </button>
          ))}
          <button type="button" className="secondary" data-testid="face-table-csv" onClick={() => saveDownload('faces.csv', [faceRowsCsv(sorted, labels)], 'text/csv')}>
            Save as CSV
          </button>
        </div>
      </div>
      <table>
        <thead>
          <tr>
            <th />
            <th>File</th>
            <th>Face</th>
            <th>Box (x, y, w × h)</th>
            <th>Class</th>
            {labels.map((label) => (
              <th key={label} className="number">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={`${row.photoId}-${row.face}`} data-testid="face-row" data-class={labels[row.top]} data-confidence={row.confidence.toFixed(4)}>
              <td>
                <GrayImage pixels={row.gray} size={36} title={`${row.file}, face ${row.face}`} />
              </td>
              <td>{row.file}</td>
              <td className="number">{row.face}</td>
              <td>
                {Math.round(row.box.x)}, {Math.round(row.box.y)}, {Math.round(row.box.width)} × {Math.round(row.box.height)}
              </td>
              <td>
                <strong>{labels[row.top]}</strong> {(row.confidence * 100).toFixed(0)} %
              </td>
              {Array.from(row.probs, (p, i) => (
                <td key={labels[i]} className={i === row.top ? 'number top' : 'number'}>
                  {(p * 100).toFixed(1)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
