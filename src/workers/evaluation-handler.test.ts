import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PIXELS } from '../core/dataset/face-format';
import { FER2013_EMOTIONS } from '../core/labels/fer2013';
import { argMaxRows, confusionMatrix } from '../core/evaluation/metrics';
import { modelPackageFiles, zipPackage, type PackageFile } from '../core/model-format/model-package';
import { createRng } from '../core/random';
import { artifactsOf, testMetadata, tinyClassifier } from '../core/testing/tiny-model';
import { closeDb } from '../storage/db';
import { deleteModel, getModelArtifacts, getModelMeta, listModels, loadSavedModel, saveModel } from '../storage/model-store';
import type { BackendInfo } from './backend-choice';
import { createEvaluationHandler } from './evaluation-handler';
import type { EvaluationData, EvaluationEvent, ImportFile } from './evaluation-protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(async () => {
  await closeDb();
  globalThis.indexedDB = new IDBFactory(); // a fresh, empty database per test
});

/** Backend selection stand-in: the CPU backend, after running the smoke test like the real one. */
const cpuOnly = async (_preference: unknown, smokeTest: () => Promise<void>): Promise<BackendInfo> => {
  await smokeTest();
  return { backend: 'cpu', reason: 'test', attempts: [], device: 'test' };
};

function harness(onEvent: (event: EvaluationEvent) => void = () => {}) {
  const events: EvaluationEvent[] = [];
  const handle = createEvaluationHandler(
    (event) => {
      events.push(event);
      onEvent(event);
    },
    { selectBackend: cpuOnly },
  );
  return { events, handle };
}

const random = createRng(9);
function faces(rows: number): EvaluationData {
  return {
    split: 'test',
    splitLabel: 'PrivateTest (Usage split)',
    dataset: { name: 'generated', fingerprint: 'fp' },
    pixels: Uint8Array.from({ length: rows * PIXELS }, () => Math.floor(random() * 256)),
    labels: Uint8Array.from({ length: rows }, (_, i) => (i * 3) % 7),
    labelNames: [...FER2013_EMOTIONS],
  };
}

/** Mean 120 / std 60 everywhere: a model standardised so, unlike the data set's statistics. */
const MODEL_MEAN = 120;
const MODEL_STD = 60;

async function savedModel(id: string, seed = 2) {
  const model = tinyClassifier(seed);
  const meta = testMetadata(id, model.countParams(), {
    standardization: { mean: new Array(PIXELS).fill(MODEL_MEAN), std: new Array(PIXELS).fill(MODEL_STD), rows: 5, scope: 'training' },
  });
  await saveModel(meta, await artifactsOf(model));
  return { model, meta };
}

/** The model's probabilities for faces standardised by hand with its own statistics. */
function expectedProbs(model: tf.LayersModel, data: EvaluationData): Float32Array {
  const input = Float32Array.from(data.pixels, (v) => (v - MODEL_MEAN) / MODEL_STD);
  return tf.tidy(() => (model.predict(tf.tensor4d(input, [data.labels.length, 48, 48, 1])) as tf.Tensor).dataSync() as Float32Array);
}

const asImport = (files: PackageFile[]): ImportFile[] => files.map((f) => ({ name: f.name, data: new Blob([f.bytes as Uint8Array<ArrayBuffer>]) }));

describe('evaluation handler: evaluate', () => {
  it('backend, progress, done: probabilities with the model’s own standardisation, a matrix summing to the rows, stored in the metadata, tensors flat', async () => {
    const { model } = await savedModel('m1');
    const data = faces(300);
    const expected = expectedProbs(model, data);
    const { events, handle } = harness();
    const before = tf.memory().numTensors;
    await handle({ type: 'evaluate', runId: 'r', modelId: 'm1', data: { ...data, pixels: data.pixels.slice() }, tta: false, backend: 'auto' });
    expect(tf.memory().numTensors).toBe(before);

    expect(events.map((e) => e.type)).toEqual(['backend', 'progress', ...events.slice(2, -1).map(() => 'progress'), 'done']);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ done: 300, total: 300 });
    const done = events.at(-1)!;
    if (done.type !== 'done') throw new Error('no result');
    const { outcome } = done;
    outcome.probs.forEach((p, i) => expect(p).toBeCloseTo(expected[i], 5));
    expect(outcome.ttaProbs).toBeNull();
    expect(outcome.evaluation.confusion).toEqual(confusionMatrix(data.labels, argMaxRows(expected, 7), 7));
    expect(outcome.evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(300);
    expect(outcome.evaluation).toMatchObject({ split: 'test', rows: 300, backend: 'cpu', tta: null, dataset: { fingerprint: 'fp' } });
    expect(outcome.saved).toBe(true);
    const stored = await getModelMeta('m1');
    expect(stored?.evaluation?.test).toEqual(outcome.evaluation);
    model.dispose();
  });

  it('TTA averages the original and mirrored probabilities, and keeps the other split’s result', async () => {
    const { model } = await savedModel('m1');
    const { events, handle } = harness();
    const data = faces(20);
    await handle({ type: 'evaluate', runId: 'a', modelId: 'm1', data: { ...data, split: 'validation', splitLabel: 'PublicTest' }, tta: false, backend: 'auto' });
    await handle({ type: 'evaluate', runId: 'b', modelId: 'm1', data, tta: true, backend: 'auto' });
    const done = events.filter((e) => e.type === 'done');
    const outcome = done[1].type === 'done' ? done[1].outcome : null;
    expect(outcome?.ttaProbs).not.toBeNull();
    const mirrored = new Uint8Array(data.pixels.length);
    for (let r = 0; r < 20; r++) for (let y = 0; y < 48; y++) for (let x = 0; x < 48; x++) mirrored[r * PIXELS + y * 48 + x] = data.pixels[r * PIXELS + y * 48 + 47 - x];
    const plain = expectedProbs(model, data);
    const flipped = expectedProbs(model, { ...data, pixels: mirrored });
    outcome!.ttaProbs!.forEach((p, i) => expect(p).toBeCloseTo((plain[i] + flipped[i]) / 2, 5));
    expect(outcome!.evaluation.tta?.confusion).toEqual(confusionMatrix(data.labels, argMaxRows(outcome!.ttaProbs!, 7), 7));
    const stored = await getModelMeta('m1');
    expect(stored?.evaluation?.validation?.splitLabel).toBe('PublicTest');
    expect(stored?.evaluation?.test?.tta?.accuracy).toBe(outcome!.evaluation.tta!.accuracy);
    model.dispose();
  });

  it('ten-crop: stores its accuracy and confusion beside the plain ones, and passes the averaged probabilities on', async () => {
    const { model } = await savedModel('m1');
    const { events, handle } = harness();
    const data = faces(12);
    await handle({ type: 'evaluate', runId: 't', modelId: 'm1', data, tta: false, tenCrop: true, backend: 'auto' });
    const done = events.find((e) => e.type === 'done');
    const outcome = done?.type === 'done' ? done.outcome : null;
    expect(outcome?.ttaProbs).toBeNull();
    expect(outcome?.tenCropProbs).toHaveLength(12 * 7);
    expect(Array.from(outcome!.tenCropProbs!)).not.toEqual(Array.from(outcome!.probs));
    expect(outcome!.evaluation.tenCrop?.confusion).toEqual(confusionMatrix(data.labels, argMaxRows(outcome!.tenCropProbs!, 7), 7));
    expect((await getModelMeta('m1'))?.evaluation?.test?.tenCrop?.accuracy).toBe(outcome!.evaluation.tenCrop!.accuracy);
    model.dispose();
  });

  it('cancel stops after the current batch: cancelled, nothing stored, no tensors left', async () => {
    const { model } = await savedModel('m1');
    const before = tf.memory().numTensors;
    const box: { handle?: ReturnType<typeof harness>['handle'] } = {};
    const { events, handle } = harness((event) => {
      if (event.type === 'progress' && event.done > 0) void box.handle!({ type: 'cancel', runId: 'r' });
    });
    box.handle = handle;
    await handle({ type: 'evaluate', runId: 'r', modelId: 'm1', data: faces(600), tta: true, backend: 'auto' });
    expect(events.at(-1)).toEqual({ type: 'cancelled', runId: 'r' });
    expect((await getModelMeta('m1'))?.evaluation).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('a model that is gone gives a clear error', async () => {
    const { events, handle } = harness();
    await handle({ type: 'evaluate', runId: 'r', modelId: 'nope', data: faces(2), tta: false, backend: 'auto' });
    expect(events.at(-1)).toEqual({ type: 'error', runId: 'r', message: 'the model indexeddb://fer-trainer/models/nope is no longer saved (deleted in another tab?)' });
  });
});

describe('evaluation handler: import', () => {
  async function exported(id = 'm-exp', overrides = {}) {
    const model = tinyClassifier(5);
    const files = modelPackageFiles(testMetadata(id, model.countParams(), overrides), await artifactsOf(model));
    return { model, files };
  }

  it('imports the three files: the saved model predicts exactly as the exported one', async () => {
    const { model, files } = await exported();
    const { events, handle } = harness();
    await handle({ type: 'import', runId: 'i', files: asImport(files) });
    expect(events.map((e) => e.type)).toEqual(['imported']);
    const meta = events[0].type === 'imported' ? events[0].meta : null;
    expect(meta).toMatchObject({ id: 'm-exp', name: 'model m-exp', imported: { files: ['model.json', 'model.weights.bin', 'metadata.json'] } });
    expect(meta?.weightBytes).toBe(model.countParams() * 4);
    const loaded = await loadSavedModel('m-exp');
    const x = tf.randomNormal([4, 48, 48, 1], 0, 1, 'float32', 3);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    tf.dispose(x);
    loaded.dispose();
    model.dispose();
  });

  it('imports a zip; importing it again while the model is saved makes a copy with a new id', async () => {
    const { model, files } = await exported();
    const { events, handle } = harness();
    const zip = [{ name: 'm.zip', data: new Blob([zipPackage(files) as Uint8Array<ArrayBuffer>]) }];
    await handle({ type: 'import', runId: 'a', files: zip });
    await handle({ type: 'import', runId: 'b', files: zip });
    const metas = events.map((e) => (e.type === 'imported' ? e.meta : null));
    expect(metas[0]?.id).toBe('m-exp');
    expect(metas[1]?.id).not.toBe('m-exp');
    expect(metas[1]?.name).toBe('model m-exp (imported)');
    expect((await listModels()).length).toBe(2);
    model.dispose();
  });

  it('broken or mismatched files: an error naming the file, and the store is unchanged', async () => {
    const { model, files } = await exported();
    const { model: kept } = await savedModel('kept');
    const { files: fiveLabels } = await exported('m5', { labels: ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad'] });
    const { events, handle } = harness();
    const bad: [PackageFile[], string][] = [
      [[{ name: 'model.json', bytes: new TextEncoder().encode('<html>') }, files[1], files[2]], 'model.json: not valid JSON'],
      [[files[0], { ...files[1], bytes: files[1].bytes.slice(0, 10) }, files[2]], 'model.weights.bin: 10 bytes, but model.json needs'],
      [[files[0], files[1]], 'missing metadata.json'],
      [fiveLabels, 'metadata.json names 5 classes (Angry, Disgust, Fear, Happy, Sad), but the model in model.json outputs 7'],
    ];
    for (const [input] of bad) await handle({ type: 'import', runId: 'x', files: asImport(input) });
    expect(events.map((e) => e.type)).toEqual(['error', 'error', 'error', 'error']);
    events.forEach((event, i) => expect(event.type === 'error' && event.message).toContain(bad[i][1]));
    expect((await listModels()).map((m) => m.id)).toEqual(['kept']);
    expect(await getModelArtifacts('m5')).toBeUndefined();
    model.dispose();
    kept.dispose();
  });

  it('a full quota: the storage-full message, no half-written model', async () => {
    const { model, files } = await exported();
    const originalPut = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'model-weights') throw new DOMException('quota', 'QuotaExceededError');
      return originalPut.apply(this, args);
    };
    const { events, handle } = harness();
    try {
      await handle({ type: 'import', runId: 'q', files: asImport(files) });
    } finally {
      IDBObjectStore.prototype.put = originalPut;
    }
    expect(events).toEqual([{ type: 'error', runId: 'q', message: expect.stringContaining("the browser's storage is full, so model \"model m-exp\" was not saved") }]);
    expect(await listModels()).toEqual([]);
    expect(await getModelArtifacts('m-exp')).toBeUndefined();
    model.dispose();
  });

  it('after a delete, the import restores the model under its id', async () => {
    const { model, files } = await exported();
    const { handle } = harness();
    await handle({ type: 'import', runId: 'a', files: asImport(files) });
    await deleteModel('m-exp');
    await handle({ type: 'import', runId: 'b', files: asImport(files) });
    expect((await listModels()).map((m) => m.id)).toEqual(['m-exp']);
    model.dispose();
  });
});

describe('evaluation handler: import of a model.json whose weights paths point elsewhere', () => {
  it('imports the dropped weights and never follows a URL or "../" path: nothing is fetched, and no path is saved', async () => {
    const model = tinyClassifier(5);
    const files = modelPackageFiles(testMetadata('m-paths', model.countParams()), await artifactsOf(model));
    const json = JSON.parse(new TextDecoder().decode(files[0].bytes));
    json.weightsManifest[0].paths = ['https://evil.example/../steal.bin'];
    const fetched: unknown[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = async (url: unknown) => {
      fetched.push(url);
      throw new Error('no network in this test');
    };
    const { events, handle } = harness();
    try {
      await handle({ type: 'import', runId: 'p', files: asImport([{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(json)) }, files[1], files[2]]) });
    } finally {
      globalThis.fetch = original;
    }
    expect(fetched).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['imported']);
    const saved = await getModelArtifacts('m-paths');
    expect(JSON.stringify({ ...saved, weightData: null })).not.toMatch(/evil|steal|\.\.\//);
    expect(new Uint8Array(saved!.weightData as ArrayBuffer)).toEqual(files[1].bytes);
    const loaded = await loadSavedModel('m-paths');
    const x = tf.randomNormal([2, 48, 48, 1], 0, 1, 'float32', 4);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    tf.dispose(x);
    loaded.dispose();
    model.dispose();
  });
});
