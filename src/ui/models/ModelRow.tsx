// Runs on the page: one saved model in the library table, with rename, activate, evaluate, download and delete.
import { useState } from 'react';
import { ARCHITECTURE_REGISTRY } from '../../core/nets/architectures';
import { classColor } from '../../core/labels/label-set';
import { modelLabelSet, type ModelMetadata } from '../../core/model-format/model-metadata';
import { formatInt, formatFileSize, formatPercent } from '../common/format';

export interface ModelActions {
  rename: (id: string, name: string) => Promise<void>;
  activate: (id: string) => Promise<void>;
  evaluate: (id: string) => void;
  download: (id: string) => Promise<void>;
  downloadZip: (id: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

interface ModelRowProps {
  meta: ModelMetadata;
  active: boolean;
  actions: ModelActions;
}

/** The model's classes in their colours, and the merge that made them when there was one. */
function ModelClasses({ meta }: { meta: ModelMetadata }) {
  const set = modelLabelSet(meta);
  const mapping = meta.labelMapping;
  return (
    <ul className="class-swatches model-classes" data-testid="model-classes" title={mapping ? `${mapping.title}, from ${mapping.from.join(', ')}` : undefined}>
      {set.names.map((name, k) => (
        <li key={name}>
          <span className="swatch" style={{ background: classColor(set, k) }} /> {name}
        </li>
      ))}
      {mapping && <li className="muted">(from {mapping.from.length} classes: {mapping.title})</li>}
    </ul>
  );
}

export function ModelRow({ meta, active, actions }: ModelRowProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const test = meta.evaluation?.test;
  const title = ARCHITECTURE_REGISTRY[meta.architecture]?.title ?? meta.architecture;
  const saveName = () => {
    const name = editing?.trim();
    if (!name) return;
    void actions.rename(meta.id, name).then(() => setEditing(null));
  };
  return (
    <tr data-testid="model-row" data-model-id={meta.id} className={active ? 'active-model' : undefined}>
      <th scope="row" className="model-name">
        {editing === null ? (
          <>
            <span data-testid="model-name">{meta.name}</span> {active && <span className="badge active">active</span>}
            {meta.imported && <span className="badge imported">imported</span>}
          </>
        ) : (
          <span className="rename">
            <input
              aria-label="New name"
              value={editing}
              autoFocus
              onChange={(e) => setEditing(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') saveName();
                if (e.key === 'Escape') setEditing(null);
              }}
            />
            <button type="button" onClick={saveName} disabled={!editing.trim()}>
              Save
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </span>
        )}
      </th>
      <td title={title}>{meta.architecture}</td>
      <td>{formatInt(meta.params)}</td>
      <td title={meta.createdAt}>{new Date(meta.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</td>
      <td>{meta.training ? meta.training.epochsRun : '—'}</td>
      <td>{meta.training ? formatPercent(meta.training.bestValAccuracy) : '—'}</td>
      <td data-testid="model-test-accuracy" title={test ? `${test.rows} faces of ${test.splitLabel}, ${test.dataset.name}` : 'not evaluated yet'}>
        {test ? (
          <>
            {formatPercent(test.accuracy)}
            {test.tta && (
              <>
                <br />
                <span className="muted">TTA {formatPercent(test.tta.accuracy)}</span>
              </>
            )}
          </>
        ) : (
          '—'
        )}
      </td>
      <td className="dataset-cell" title={`fingerprint ${meta.dataset.fingerprint}`}>
        {meta.dataset.name}
        <br />
        <code className="fingerprint">{meta.dataset.fingerprint}</code>
        <ModelClasses meta={meta} />
      </td>
      <td>{formatFileSize(meta.weightBytes)}</td>
      <td className="model-actions">
        {confirmDelete ? (
          <span className="confirm" role="group" aria-label="Confirm delete">
            Delete for good?{' '}
            <button type="button" className="danger" onClick={() => void actions.remove(meta.id)}>
              Yes, delete
            </button>
            <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </span>
        ) : (
          <>
            <button type="button" className="secondary" disabled={active} onClick={() => void actions.activate(meta.id)}>
              Set active
            </button>
            <button type="button" className="secondary" onClick={() => actions.evaluate(meta.id)}>
              Evaluate
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(meta.name)} disabled={editing !== null}>
              Rename
            </button>
            <button type="button" className="secondary" onClick={() => void actions.download(meta.id)} title="model.json + model.weights.bin + metadata.json">
              Download
            </button>
            <button type="button" className="secondary" onClick={() => void actions.downloadZip(meta.id)} title="one .zip with the three files">
              .zip
            </button>
            <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
