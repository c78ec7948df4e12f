// Runs on the page: the active model (its metadata, and the reference the Try it screen hands the inference
// worker, which reads the weights itself), kept in step with the model store (training, the library, other tabs).
import { useEffect, useState } from 'react';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { classColors } from '../../core/labels/label-set';
import { modelLabelSet, type ModelMetadata } from '../../core/model-format/model-metadata';
import { onModelsChanged } from '../../storage/model-events';
import { getActiveModelId, getModelMeta } from '../../storage/model-store';

export interface ActiveModel {
  meta: ModelMetadata;
  classifier: ClassifierRef;
}

/** Reads the active model's metadata from IndexedDB (not its weights). */
export async function loadActiveModel(): Promise<ActiveModel | null> {
  const id = await getActiveModelId();
  if (!id) return null;
  const meta = await getModelMeta(id);
  if (!meta) return null;
  return { meta, classifier: { id, name: meta.name, labels: meta.labels, colors: classColors(modelLabelSet(meta)) } };
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
