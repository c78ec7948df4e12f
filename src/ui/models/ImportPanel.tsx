// Runs on the page: drop (or pick) an exported model's files, or its .zip, to add it to the library.
import { ErrorBanner } from '../common/ErrorBanner';
import { FileDropZone } from '../common/FileDropZone';
import type { ImportState } from './useModelImport';

interface ImportPanelProps {
  state: ImportState;
  onFiles: (files: File[]) => void;
  onDismiss: () => void;
}

export function ImportPanel({ state, onFiles, onDismiss }: ImportPanelProps) {
  const running = state.status === 'running';
  return (
    <div className="import-panel">
      <FileDropZone
        onFiles={onFiles}
        accept=".json,.bin,.zip,application/json,application/zip,application/octet-stream"
        multiple
        disabled={running}
        chooseLabel="Choose files…"
        chooseSecondary
        testId="model-drop-zone"
        inputTestId="model-import-input"
      >
        <p className="drop-title">Import a model</p>
        <p className="muted">
          Drop <code>model.json</code> + <code>model.weights.bin</code> + <code>metadata.json</code> together, or the one <code>.zip</code> of them.
        </p>
      </FileDropZone>
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
