// Runs on the page: the Models screen: every saved model with its figures and actions, storage use, import.
import { useMemo, useState } from 'react';
import { errorMessage } from '../../core/errors';
import { deleteModel, renameModel, setActiveModel } from '../../storage/model-store';
import { ErrorBanner } from '../common/ErrorBanner';
import { downloadModelFiles, downloadModelZip } from './model-export';
import { ImportPanel } from './ImportPanel';
import { ModelRow, type ModelActions } from './ModelRow';
import { StoragePanel } from './StoragePanel';
import { useModelImport } from './useModelImport';
import type { SavedModels } from './useSavedModels';
import { useStorageInfo } from './useStorageInfo';
import './models.css';

interface ModelsScreenProps {
  saved: SavedModels;
  onEvaluate: (id: string) => void;
}

export function ModelsScreen({ saved, onEvaluate }: ModelsScreenProps) {
  const storage = useStorageInfo();
  const importer = useModelImport();
  const [actionError, setActionError] = useState<{ title: string; message: string } | null>(null);

  const actions = useMemo<ModelActions>(() => {
    /** Runs an action, showing its failure in this panel (details to the console). */
    const guard = (title: string, action: (id: string, ...rest: string[]) => Promise<void>) => async (id: string, ...rest: string[]) => {
      setActionError(null);
      try {
        await action(id, ...rest);
      } catch (error) {
        console.error(title, error);
        setActionError({ title, message: errorMessage(error) });
      }
    };
    return {
      rename: guard('Could not rename:', (id, name) => renameModel(id, name)),
      activate: guard('Could not set the active model:', (id) => setActiveModel(id)),
      evaluate: onEvaluate,
      download: guard('Could not download:', downloadModelFiles),
      downloadZip: guard('Could not download:', downloadModelZip),
      remove: guard('Could not delete:', deleteModel),
    };
  }, [onEvaluate]);

  const models = saved.models;
  return (
    <div className="screen models-screen">
      <section className="card">
        <div className="row-between">
          <h2>Saved models</h2>
          <span className="muted" data-testid="model-count">
            {models === null ? 'reading…' : `${models.length} model${models.length === 1 ? '' : 's'} in this browser`}
          </span>
        </div>
        {saved.error && <ErrorBanner title="Could not read the saved models:" message={saved.error} />}
        {actionError && <ErrorBanner title={actionError.title} message={actionError.message} onDismiss={() => setActionError(null)} />}
        {models !== null && models.length === 0 ? (
          <p className="muted">No models yet: train one on the Train screen, or import exported files below.</p>
        ) : (
          <div className="table-scroll">
            <table className="counts-table models-table" data-testid="models-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Network</th>
                  <th scope="col">Parameters</th>
                  <th scope="col">Created</th>
                  <th scope="col">Epochs</th>
                  <th scope="col">Best val. acc.</th>
                  <th scope="col">Test acc.</th>
                  <th scope="col">Data set</th>
                  <th scope="col">Size</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(models ?? []).map((meta) => (
                  <ModelRow key={meta.id} meta={meta} active={meta.id === saved.activeId} actions={actions} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <StoragePanel info={storage.info} onPersist={() => void storage.requestPersistence()} />
      </section>
      <section className="card">
        <ImportPanel state={importer.state} onFiles={importer.importFiles} onDismiss={importer.dismiss} />
      </section>
    </div>
  );
}
