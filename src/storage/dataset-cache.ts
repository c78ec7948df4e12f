// Runs in the dataset worker: keeps the last loaded data set in IndexedDB so a reload finds it again.
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import { db, DATASET_SCHEMA_VERSION, restoreCachedDataset, type CachedDataset } from './db';

const LAST_KEY = 'last';

/**
 * Starts storing a data set. IndexedDB clones the arrays when the write is issued, so once this resolves
 * the caller may transfer them; `written` settles when the write commits (a full quota rejects it, and
 * the loaded data is unaffected either way).
 */
export async function startCachingDataset(dataset: LoadedDataset): Promise<{ written: Promise<void> }> {
  const { buffers, ...summary } = dataset;
  const record: CachedDataset = { ...summary, ...buffers, schemaVersion: DATASET_SCHEMA_VERSION };
  const database = await db();
  const tx = database.transaction('datasets', 'readwrite');
  const put = tx.store.put(record, LAST_KEY); // the structured clone happens here, synchronously
  return { written: Promise.all([put, tx.done]).then(() => undefined) };
}

export async function cachedDataset(): Promise<LoadedDataset | null> {
  const record = await (await db()).get('datasets', LAST_KEY);
  if (!record) return null;
  const { rows, pixels, labels, usage, labelSet, votes, mapping, schemaVersion: _version, ...summary } = restoreCachedDataset(record);
  return { ...summary, buffers: { rows, pixels, labels, usage, labelSet, ...(votes ? { votes } : {}), ...(mapping ? { mapping } : {}) } };
}

export async function clearCachedDataset(): Promise<void> {
  await (await db()).delete('datasets', LAST_KEY);
}
