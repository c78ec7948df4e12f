// Runs on the page and in workers: the app's one IndexedDB database and its object stores.
import type * as tf from '@tensorflow/tfjs';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { DatasetBuffers, PixelStats } from '../core/dataset/types';
import { FER2013_LABELS } from '../core/labels/fer2013';
import type { DatasetSummary, DatasetStatsSet } from '../core/dataset/loaded-dataset';
import type { ModelMetadata } from '../core/model-format/model-metadata';
import type { Checkpoint } from '../core/training/training-loop';
import type { RunSummary } from './run-record';

export const DB_NAME = 'fer-trainer';
/**
 * 2: data sets carry their label set (and crowd votes, class mapping); 1: every record was FER2013's seven.
 * Each version's upgrade step migrates the records before it (see upgradeRecords).
 */
const DB_VERSION = 2;
export const DATASET_SCHEMA_VERSION = 2;

/** Weights of a saved model, in tfjs layers format; kept apart from the metadata so listing stays cheap. */
export interface ModelWeightsRecord {
  id: string;
  modelTopology: object;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

/** The last data set loaded, so a reload (or a resumed run) finds it again. */
export interface CachedDataset extends DatasetSummary, DatasetBuffers {
  stats: DatasetStatsSet;
  /** DATASET_SCHEMA_VERSION when written; absent in records written before label sets (version 1). */
  schemaVersion?: number;
}

/**
 * A stored data set as this version reads it: records from before label sets (schema 1) held FER2013's seven
 * classes, and get its label set. Pure: the upgrade step and every read use it.
 */
export function restoreCachedDataset(record: CachedDataset | Omit<CachedDataset, 'labelSet'>): CachedDataset {
  if ('labelSet' in record && record.labelSet) return record;
  return { ...record, labelSet: FER2013_LABELS, schemaVersion: DATASET_SCHEMA_VERSION };
}

export interface FerDb extends DBSchema {
  'model-meta': { key: string; value: ModelMetadata; indexes: { createdAt: string } };
  'model-weights': { key: string; value: ModelWeightsRecord };
  /** Light run records (listed on start-up); the heavy checkpoint of each lives in `checkpoints`. */
  runs: { key: string; value: RunSummary; indexes: { updatedAt: string } };
  checkpoints: { key: string; value: Checkpoint };
  datasets: { key: string; value: CachedDataset };
  settings: { key: string; value: unknown };
}

export type { PixelStats };

let opening: Promise<IDBPDatabase<FerDb>> | null = null;

/** Opens (once per thread) and upgrades the database. */
export function db(): Promise<IDBPDatabase<FerDb>> {
  opening ??= openDB<FerDb>(DB_NAME, DB_VERSION, {
    async upgrade(database, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        const meta = database.createObjectStore('model-meta', { keyPath: 'id' });
        meta.createIndex('createdAt', 'createdAt');
        database.createObjectStore('model-weights', { keyPath: 'id' });
        const runs = database.createObjectStore('runs', { keyPath: 'runId' });
        runs.createIndex('updatedAt', 'updatedAt');
        database.createObjectStore('checkpoints');
        database.createObjectStore('datasets');
        database.createObjectStore('settings');
        return;
      }
      if (oldVersion < 2) {
        // Label sets: stored data sets were FER2013's seven. (Models already name their labels.)
        let cursor = await tx.objectStore('datasets').openCursor();
        while (cursor) {
          await cursor.update(restoreCachedDataset(cursor.value));
          cursor = await cursor.continue();
        }
      }
    },
    blocking() {
      // Another tab wants a newer version: let it proceed.
      void opening?.then((database) => database.close());
      opening = null;
    },
  });
  return opening;
}

/** Closes this thread's connection (tests reset the database between cases). */
export async function closeDb(): Promise<void> {
  if (opening) (await opening).close();
  opening = null;
}

/** A write that did not fit: the browser's storage quota is full. Nothing was written. */
export class StorageFullError extends Error {
  constructor(what: string) {
    super(`the browser's storage is full, so ${what} was not saved. Delete some saved models (Models screen) or free disk space, then try again.`);
    this.name = 'StorageFullError';
  }
}

/** Maps IndexedDB's quota failure to StorageFullError; other errors pass through. */
export function asStorageError(error: unknown, what: string): unknown {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' ? new StorageFullError(what) : error;
}

/**
 * Runs `write`'s requests in one readwrite transaction over `stores`: all land or none does. `write`
 * passes each request to `track`. A request that throws (rather than fails) would not abort the
 * transaction by itself, so this aborts it; a full quota becomes StorageFullError naming `what`.
 */
export async function writeAtomically<Names extends StoreNames<FerDb>[]>(
  stores: Names,
  what: string,
  write: (tx: IDBPTransaction<FerDb, Names, 'readwrite'>, track: (request: Promise<unknown>) => void) => void,
): Promise<void> {
  const tx = (await db()).transaction(stores, 'readwrite');
  const pending: Promise<unknown>[] = [tx.done];
  try {
    write(tx, (request) => pending.push(request));
    await Promise.all(pending);
  } catch (error) {
    // The first failure is reported below; the other requests then fail with AbortError.
    for (const request of pending) request.catch(() => {});
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    throw asStorageError(error, what);
  }
}
