// Runs on the page: every saved model's metadata, newest first, kept in step with the model store (this tab's
// workers and other tabs announce changes through storage/model-events).
import { useEffect, useState } from 'react';
import type { ModelMetadata } from '../../core/model-format/model-metadata';
import { onModelsChanged } from '../../storage/model-events';
import { getActiveModelId, listModels } from '../../storage/model-store';

export interface SavedModels {
  /** Null until the first read finishes. */
  models: ModelMetadata[] | null;
  activeId: string | null;
  /** Set when IndexedDB could not be read. */
  error: string | null;
}

export function useSavedModels(): SavedModels {
  const [state, setState] = useState<SavedModels>({ models: null, activeId: null, error: null });
  useEffect(() => {
    let cancelled = false;
    const refresh = () =>
      Promise.all([listModels(), getActiveModelId()])
        .then(([models, activeId]) => !cancelled && setState({ models, activeId, error: null }))
        .catch((error: unknown) => {
          console.error('could not read the saved models', error);
          if (!cancelled) setState((s) => ({ ...s, models: s.models ?? [], error: String(error) }));
        });
    void refresh();
    const unsubscribe = onModelsChanged(() => void refresh());
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, []);
  return state;
}
