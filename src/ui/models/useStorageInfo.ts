// Runs on the page: how much storage this origin uses and may use, and whether it is persistent.
import { useCallback, useEffect, useState } from 'react';
import { onModelsChanged } from '../../storage/model-events';
import { storageEstimate } from '../../storage/model-store';

export interface StorageInfo {
  /** Null when the browser does not say (no navigator.storage.estimate). */
  estimate: { usage: number; quota: number; persisted: boolean } | null;
  /** The answer to the last persist() request: null before asking. */
  persistAnswer: boolean | null;
}

export function useStorageInfo() {
  const [info, setInfo] = useState<StorageInfo>({ estimate: null, persistAnswer: null });

  const refresh = useCallback(() => {
    storageEstimate()
      .then((estimate) => setInfo((s) => ({ ...s, estimate })))
      .catch((error: unknown) => console.error('storage estimate failed', error));
  }, []);

  useEffect(() => {
    refresh();
    return onModelsChanged(refresh);
  }, [refresh]);

  /** Asks the browser not to evict this origin's data under storage pressure (it may say no). */
  const requestPersistence = useCallback(async () => {
    const granted = typeof navigator !== 'undefined' && navigator.storage?.persist ? await navigator.storage.persist() : false;
    setInfo((s) => ({ ...s, persistAnswer: granted }));
    refresh();
  }, [refresh]);

  return { info, refresh, requestPersistence };
}
