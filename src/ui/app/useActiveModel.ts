// Runs on the page: the active model as a ClassifierBundle (weights + standardisation), kept in step with
// the model store (training in the worker, the library, other tabs).
import { useEffect, useState } from 'react';
import type { ClassifierBundle } from '../../core/model/classifier-bundle';
import type { ModelMetadata } from '../../core/model/model-metadata';
import { onModelsChanged } from '../../storage/model-events';
import { getActiveModelId, getModelArtifacts, getModelMeta } from '../../storage/model-store';

export interface ActiveModel {
  meta: ModelMetadata;
  bundle: ClassifierBundle;
}

/** Reads the active model's metadata and artifacts from IndexedDB. */
export async function loadActiveModel(): Promise<ActiveModel | null> {
  const id = await getActiveModelId();
  if (!id) return null;
  const [meta, artifacts] = await Promise.all([getModelMeta(id), getModelArtifacts(id)]);
  if (!meta || !artifacts) return null;
  return {
    meta,
    bundle: {
      id,
      name: meta.name,
      artifacts,
      mean: Float32Array.from(meta.standardization.mean),
      std: Float32Array.from(meta.standardization.std),
      labels: meta.labels,
    },
  };
}

export function useActiveModel(): ActiveModel | null {
  const [active, setActive] = useState<ActiveModel | null>(null);
  useEffect(() => {
    let cancelled = false;
    const refresh = () =>
      loadActiveModel()
        .then((model) => !cancelled && setActive(model))
        .catch((error: unknown) => console.error('could not read the active model', error));
    refresh();
    const unsubscribe = onModelsChanged(refresh);
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, []);
  return active;
}
