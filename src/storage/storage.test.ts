import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeDataset } from '../core/dataset/loaded-dataset';
import { generateDemoBuffers } from '../core/demo/synthetic-faces';
import { FER2013_EMOTIONS, FER2013_LABELS } from '../core/labels/fer2013';
import { modelLabelSet, type ModelMetadata } from '../core/model-format/model-metadata';
import { defaultTrainConfig } from '../core/training/train-config';
import { initialTrainingState, type Checkpoint } from '../core/training/training-loop';
import { decodeModelWeights, encodeModelWeights, encodeOptimizerState, modelArtifacts as artifactsOf } from '../core/model-format/weights-codec';
import { cachedDataset, startCachingDataset } from './dataset-cache';
import { closeDb, db, StorageFullError } from './db';
import {
  deleteModel, getActiveModelId, getModelArtifacts, listModels, loadSavedModel, renameModel, saveModel, setActiveModel, updateModelMeta,
} from './model-store';
import { deleteRun, getRun, latestUnfinishedRun, saveRun } from './run-store';
import type { RunRecord } from './run-record';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(async () => {
  await closeDb();
  globalThis.indexedDB = new IDBFactory(); // a fresh, empty database per test
});

function tinyModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [4], units: 7, activation: 'softmax' }));
  return model;
}

function meta(id: string, createdAt: string): ModelMetadata {
  return {
    format: 'fer-trainer-model', formatVersion: 1, id, name: `model ${id}`, createdAt, architecture: 'compact', params: 35, flopsPerImage: 56,
    labels: [...FER2013_EMOTIONS], inputShape: [48, 48, 1], standardization: { mean: [0], std: [1], rows: 1, scope: 'training' },
    dataset: { name: 'd', fingerprint: 'f', rows: 1, synthetic: true, split: { strategy: 'usage', seed: 42 } }, training: null, weightBytes: 0,
  };
}

describe('model store', () => {
  it('saves, lists newest first, loads identical predictions, renames, activates and deletes', async () => {
    const model = tinyModel();
    await saveModel(meta('a', '2026-01-01T00:00:00Z'), await artifactsOf(model));
    await saveModel(meta('b', '2026-02-01T00:00:00Z'), await artifactsOf(tinyModel()));
    expect((await listModels()).map((m) => m.id)).toEqual(['b', 'a']);
    expect((await listModels())[1].weightBytes).toBe((4 * 7 + 7) * 4);

    const loaded = await loadSavedModel('a');
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));

    await renameModel('a', 'renamed');
    expect((await listModels()).find((m) => m.id === 'a')!.name).toBe('renamed');
    await updateModelMeta('a', (m) => ({ ...m, params: 99 }));
    expect((await listModels()).find((m) => m.id === 'a')!.params).toBe(99);

    await setActiveModel('a');
    expect(await getActiveModelId()).toBe('a');
    await deleteModel('a');
    expect(await getActiveModelId()).toBeNull();
    expect(await getModelArtifacts('a')).toBeUndefined();
    expect((await listModels()).map((m) => m.id)).toEqual(['b']);
  });

  it('a write over quota leaves neither metadata nor weights behind and says the storage is full', async () => {
    const artifacts = await artifactsOf(tinyModel());
    // Make the weights store refuse the write the way a full quota does.
    const originalPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'model-weights') throw new DOMException('quota', 'QuotaExceededError');
      return originalPut.apply(this, args);
    };
    try {
      await expect(saveModel(meta('full', '2026-03-01T00:00:00Z'), artifacts)).rejects.toBeInstanceOf(StorageFullError);
    } finally {
      IDBObjectStore.prototype.put = originalPut;
    }
    expect(await listModels()).toEqual([]);
  });
});

describe('run store', () => {
  const base: RunRecord = {
    runId: 'r1', status: 'unfinished', createdAt: 't', updatedAt: '2026-01-01', config: defaultTrainConfig('compact'),
    dataset: { name: 'd', fingerprint: 'f', rows: 1, synthetic: false }, stats: { mean: new Float32Array(2), std: new Float32Array(2), rows: 1 },
    backend: 'cpu', checkpoint: null, batchHistory: [{ step: 1, loss: 2, accuracy: 0.1 }], elapsedMs: 5,
  };

  /** A real checkpoint after `epoch` epochs: the tiny model's weights all set to `value`, an Adam state after one step. */
  async function checkpointAt(epoch: number, value: number): Promise<Checkpoint> {
    const model = tinyModel();
    const filled = model.weights.map((weight) => tf.fill(weight.shape as number[], value));
    model.setWeights(filled);
    tf.dispose(filled);
    const optimizer = tf.train.adam(0.01);
    optimizer.minimize(() => tf.sum(model.predict(tf.ones([1, 4])) as tf.Tensor).asScalar());
    const weights = await encodeModelWeights(model);
    const checkpoint: Checkpoint = {
      state: { ...initialTrainingState(base.config), epoch, steps: epoch * 10 },
      weights,
      optimizer: await encodeOptimizerState(optimizer),
      bestWeights: weights,
    };
    optimizer.dispose();
    model.dispose();
    return checkpoint;
  }

  /** The values of the weights a checkpoint holds, read back into a fresh tiny model. */
  function weightValues(encoded: Checkpoint['weights']): number[][] {
    const model = tinyModel();
    decodeModelWeights(model, encoded);
    const values = model.weights.map((weight) => Array.from(weight.read().dataSync()));
    model.dispose();
    return values;
  }

  it('keeps the latest checkpoint per run: its weights, optimizer state and epoch come back, the older one is replaced', async () => {
    const [epoch1, epoch2, other] = [await checkpointAt(1, 0.25), await checkpointAt(2, 0.75), await checkpointAt(1, -0.5)];
    await saveRun({ ...base, checkpoint: epoch1 });
    await saveRun({ ...base, runId: 'r3', checkpoint: other });
    await saveRun({ ...base, updatedAt: '2026-01-02', checkpoint: epoch2 });

    const back = await getRun('r1');
    expect(back?.checkpoint?.state).toMatchObject({ epoch: 2, steps: 20 });
    const values = weightValues(back!.checkpoint!.weights);
    expect(values.map((weight) => weight.length)).toEqual([28, 7]); // dense 4x7 kernel and bias
    expect(values.flat().every((value) => value === 0.75)).toBe(true);
    expect(weightValues(back!.checkpoint!.bestWeights!).flat().every((value) => value === 0.75)).toBe(true);
    expect(back!.checkpoint!.optimizer.specs.map((spec) => spec.name)).toEqual(epoch2.optimizer.specs.map((spec) => spec.name));
    expect(new Uint8Array(back!.checkpoint!.optimizer.data)).toEqual(new Uint8Array(epoch2.optimizer.data));
    // One checkpoint per run: epoch 2's replaced epoch 1's, and the other run keeps its own.
    expect(await (await db()).count('checkpoints')).toBe(2);
    expect(weightValues((await getRun('r3'))!.checkpoint!.weights).flat().every((value) => value === -0.5)).toBe(true);
    await deleteRun('r3');
    expect(await getRun('r3')).toBeUndefined();
    expect(await (await db()).count('checkpoints')).toBe(1);
  });

  it('finds the latest unfinished run', async () => {
    await saveRun(base);
    await saveRun({ ...base, runId: 'r2', status: 'finished', updatedAt: '2026-01-03' });
    await saveRun({ ...base, runId: 'r3', updatedAt: '2026-01-02' });
    expect((await latestUnfinishedRun())?.runId).toBe('r3');
    expect((await getRun('r1'))?.stats.mean).toBeInstanceOf(Float32Array);
    expect((await getRun('r1'))?.checkpoint).toBeNull();
    await deleteRun('r3');
    expect((await latestUnfinishedRun())?.runId).toBe('r1');
  });
});

describe('dataset cache', () => {
  it('gives back the last data set with its arrays and statistics', async () => {
    const buffers = generateDemoBuffers({ training: 14, publicTest: 7, privateTest: 7, seed: 1 });
    const dataset = describeDataset(buffers, { name: 'demo', synthetic: true, bytes: 10, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 1, parseMs: 1 });
    const { written } = await startCachingDataset(dataset);
    await written;
    const back = await cachedDataset();
    expect(back?.name).toBe('demo');
    expect(back?.buffers.pixels).toEqual(buffers.pixels);
    expect(back?.stats.usageTrain?.mean).toEqual(dataset.stats.usageTrain?.mean);
    expect(back?.fingerprint).toBe(dataset.fingerprint);
  });
});

describe('records saved before label sets (database version 1)', () => {
  it('open as FER2013\u2019s seven: a stored data set gains its label set, a format-1 model keeps its seven names, colours and valence', async () => {
    // A version-1 database as the app before label sets wrote it, by hand (no code of today's app).
    const buffers = generateDemoBuffers({ seed: 3, training: 20, publicTest: 5, privateTest: 5 });
    const old = describeDataset(buffers, { name: 'old.csv', synthetic: false, bytes: 1, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 });
    const { buffers: b, ...summary } = old;
    const v1Record = { ...summary, rows: b.rows, pixels: b.pixels, labels: b.labels, usage: b.usage };
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('fer-trainer', 1);
      open.onupgradeneeded = () => {
        const database = open.result;
        database.createObjectStore('model-meta', { keyPath: 'id' }).createIndex('createdAt', 'createdAt');
        database.createObjectStore('model-weights', { keyPath: 'id' });
        database.createObjectStore('runs', { keyPath: 'runId' }).createIndex('updatedAt', 'updatedAt');
        for (const name of ['checkpoints', 'datasets', 'settings']) database.createObjectStore(name);
        open.transaction!.objectStore('datasets').put(v1Record, 'last');
        open.transaction!.objectStore('model-meta').put(meta('old', '2025-06-01T00:00:00Z'));
      };
      open.onsuccess = () => {
        open.result.close();
        resolve();
      };
      open.onerror = () => reject(open.error);
    });

    const restored = await cachedDataset();
    expect(restored?.buffers.labelSet.names).toEqual([...FER2013_EMOTIONS]);
    expect(restored?.buffers.labelSet.valence).toEqual(['Negative', 'Negative', 'Negative', 'Positive', 'Negative', 'Positive', 'Neutral']);
    expect(restored?.fingerprint).toBe(old.fingerprint);
    expect(Array.from(restored!.buffers.labels)).toEqual(Array.from(buffers.labels));
    // The upgrade rewrote the record itself (not only the read): it carries today's schema version.
    const raw = await (await db()).get('datasets', 'last');
    expect(raw?.labelSet?.names).toEqual([...FER2013_EMOTIONS]);
    expect(raw?.schemaVersion).toBe(2);

    const [model] = await listModels();
    expect(model.formatVersion).toBe(1);
    expect(modelLabelSet(model)).toBe(FER2013_LABELS);
  });
});
