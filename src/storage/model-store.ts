// Runs on the page and in workers: saved models (metadata + tfjs weights) in IndexedDB, written atomically.
import * as tf from '@tensorflow/tfjs';
import type { ClassifierBundle } from '../core/model-format/classifier-bundle';
import type { ModelMetadata } from '../core/model-format/model-metadata';
import { db, writeAtomically } from './db';
import { notifyModelsChanged } from './model-events';

const ACTIVE_MODEL_KEY = 'active-model';

/** The URL-like name a saved model goes by in messages and logs. */
export function modelUrl(id: string): string {
  return `indexeddb://fer-trainer/models/${id}`;
}

export function newModelId(): string {
  return `m-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Saves metadata and weights in one IndexedDB transaction: both land or neither does (a full quota
 * leaves no half-written model and throws StorageFullError).
 */
export async function saveModel(meta: ModelMetadata, artifacts: tf.io.ModelArtifacts): Promise<void> {
  if (!artifacts.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) throw new Error('model artifacts are incomplete');
  const weightData = tf.io.concatenateArrayBuffers(
    Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData],
  );
  await writeAtomically(['model-meta', 'model-weights'], `model "${meta.name}"`, (tx, track) => {
    track(tx.objectStore('model-meta').put({ ...meta, weightBytes: weightData.byteLength }));
    track(tx.objectStore('model-weights').put({ id: meta.id, modelTopology: artifacts.modelTopology!, weightSpecs: artifacts.weightSpecs!, weightData }));
  });
  notifyModelsChanged();
}

/** Every saved model's metadata, newest first. */
export async function listModels(): Promise<ModelMetadata[]> {
  const all = await (await db()).getAllFromIndex('model-meta', 'createdAt');
  return all.reverse();
}

export async function getModelMeta(id: string): Promise<ModelMetadata | undefined> {
  return (await db()).get('model-meta', id);
}

/** The model's tfjs artifacts (topology, weight specs, weight bytes), or undefined if absent. */
export async function getModelArtifacts(id: string): Promise<tf.io.ModelArtifacts | undefined> {
  const record = await (await db()).get('model-weights', id);
  if (!record) return undefined;
  return { modelTopology: record.modelTopology, weightSpecs: record.weightSpecs, weightData: record.weightData, format: 'layers-model' };
}

/** Loads a saved model as a tfjs LayersModel (caller disposes). */
export async function loadSavedModel(id: string): Promise<tf.LayersModel> {
  const artifacts = await getModelArtifacts(id);
  if (!artifacts) throw new Error(`no saved model ${modelUrl(id)}`);
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

export async function renameModel(id: string, name: string): Promise<void> {
  const database = await db();
  const tx = database.transaction('model-meta', 'readwrite');
  const meta = await tx.store.get(id);
  if (!meta) throw new Error(`no saved model ${modelUrl(id)}`);
  await Promise.all([tx.store.put({ ...meta, name }), tx.done]);
  notifyModelsChanged();
}

/** Replaces a model's metadata (e.g. to record evaluation results); the weights are untouched. */
export async function updateModelMeta(id: string, update: (meta: ModelMetadata) => ModelMetadata): Promise<ModelMetadata> {
  const database = await db();
  const tx = database.transaction('model-meta', 'readwrite');
  const meta = await tx.store.get(id);
  if (!meta) throw new Error(`no saved model ${modelUrl(id)}`);
  const next = update(meta);
  await Promise.all([tx.store.put(next), tx.done]);
  notifyModelsChanged();
  return next;
}

export async function deleteModel(id: string): Promise<void> {
  const database = await db();
  const tx = database.transaction(['model-meta', 'model-weights', 'settings'], 'readwrite');
  const active = await tx.objectStore('settings').get(ACTIVE_MODEL_KEY);
  await Promise.all([
    tx.objectStore('model-meta').delete(id),
    tx.objectStore('model-weights').delete(id),
    active === id ? tx.objectStore('settings').delete(ACTIVE_MODEL_KEY) : Promise.resolve(),
    tx.done,
  ]);
  notifyModelsChanged();
}

export async function setActiveModel(id: string | null): Promise<void> {
  const database = await db();
  if (id === null) await database.delete('settings', ACTIVE_MODEL_KEY);
  else await database.put('settings', id, ACTIVE_MODEL_KEY);
  notifyModelsChanged();
}

export async function getActiveModelId(): Promise<string | null> {
  const id = await (await db()).get('settings', ACTIVE_MODEL_KEY);
  return typeof id === 'string' ? id : null;
}

/** Storage used and available to this origin, when the browser says (navigator.storage.estimate). */
export async function storageEstimate(): Promise<{ usage: number; quota: number; persisted: boolean } | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : false;
  return { usage, quota, persisted };
}

/** A saved model as a ClassifierBundle (weights + standardisation), or null when it is not saved. */
export async function loadClassifierBundle(id: string): Promise<ClassifierBundle | null> {
  const [meta, artifacts] = await Promise.all([getModelMeta(id), getModelArtifacts(id)]);
  if (!meta || !artifacts) return null;
  return {
    id,
    name: meta.name,
    artifacts,
    mean: Float32Array.from(meta.standardization.mean),
    std: Float32Array.from(meta.standardization.std),
    labels: meta.labels,
  };
}
