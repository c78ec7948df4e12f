// Runs on the page: drop (or pick) an exported model's files, or its .zip, to add it to the library.
import { useRef, useState } from 'react';
import { ErrorBanner } from '../common/ErrorBanner';
import type { ImportState } from './useModelImport';

interface ImportPanelProps {
  state: ImportState;
  onFiles: (files: File[]) => void;
  onDismiss: () => void;
}

export function ImportPanel({ state, onFiles, onDismiss }: ImportPanelProps) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const running = state.status === 'running';
  return (
    <div className="import-panel">
      <div
        className={over ? 'drop-zone over' : 'drop-zone'}
        data-testid="model-drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (!running) onFiles(Array.from(e.dataTransfer.files));
        }}
      >
        <p className="drop-title">Import a model</p>
        <p className="muted">
          Drop <code>model.json</code> + <code>model.weights.bin</code> + <code>metadata.json</code> together, or the one <code>.zip</code> of them.
        </p>
        <div className="button-row">
          <button type="button" className="secondary" disabled={running} onClick={() => input.current?.click()}>
            Choose files…
          </button>
        </div>
        <input
          ref={input}
          type="file"
          multiple
          accept=".json,.bin,.zip,application/json,application/zip,application/octet-stream"
          hidden
          data-testid="model-import-input"
          onChange={(e) => {
            onFiles(Array.from(e.target.files ?? []));
            e.target.value = '';
          }}
        />
      </div>
      {running && (
        <p className="muted" role="status">
          Checking and saving {state.fileNames.join(', ')}…
        </p>
      )}
      {state.status === 'done' && state.meta && (
        <p className="import-done" role="status" data-testid="import-result">
          Imported <strong>{state.meta.name}</strong> ({state.meta.architecture}, {state.meta.labels.length} classes).
        </p>
      )}
      {state.status === 'error' && state.error && (
        <ErrorBanner title="Could not import:" message={state.error} hint="Nothing was changed: the library is as it was." onDismiss={onDismiss} />
      )}
    </div>
  );
}
