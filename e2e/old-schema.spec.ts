// Records saved before label sets: a version-1 IndexedDB made by hand, as the app before label sets wrote
// it (a data set record with no labelSet or schemaVersion, a format-1 model naming FER2013's seven), then
// the app opens it: the data set is back with FER2013's seven classes, and the model evaluates and
// classifies with the seven names.
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { IMAGE_SIZE } from '../src/core/dataset/face-format';
import { describeDataset } from '../src/core/dataset/loaded-dataset';
import { generateDemoBuffers } from '../src/core/demo/synthetic-faces';
import { FER2013_EMOTIONS } from '../src/core/labels/fer2013';
import { buildModel, modelCost } from '../src/core/nets/architectures';
import { MODEL_FORMAT } from '../src/core/model-format/model-metadata';
import { modelArtifacts } from '../src/core/model-format/weights-codec';
import { DatasetPanel, expect, test } from './fixtures';
import { EvaluatePanel, ModelsPanel } from './evaluation-helpers';

const DATASET_NAME = 'fer2013-before-label-sets.csv';
const MODEL_ID = 'm-20261101120000-old001';
const MODEL_NAME = 'compact · saved before label sets';

/** Typed arrays as JSON: { $type, base64 } (Playwright passes plain JSON to the page). */
type Encoded = unknown;
function encode(value: unknown): Encoded {
  if (value instanceof Uint8Array || value instanceof Float32Array) {
    return { $type: value instanceof Uint8Array ? 'u8' : 'f32', base64: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (value instanceof ArrayBuffer) return { $type: 'buffer', base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]));
  return value;
}

/**
 * What the app before label sets stored (DB version 1): the last data set under 'last' in `datasets` (the
 * fields of DatasetSummary, stats included, plus rows, pixels, labels, usage), and a format-1 model.
 */
async function oldRecords() {
  const buffers = generateDemoBuffers({ training: 140, publicTest: 35, privateTest: 35, seed: 11 });
  const { buffers: _buffers, ...summary } = describeDataset(buffers, {
    name: DATASET_NAME,
    synthetic: false,
    bytes: 1_234_567,
    hasUsage: true,
    skipped: { count: 0, first: [] },
    loadMs: 420,
    parseMs: 380,
  });
  const dataset = { ...summary, rows: buffers.rows, pixels: buffers.pixels, labels: buffers.labels, usage: buffers.usage };

  await tf.ready();
  const model = buildModel('compact', FER2013_EMOTIONS.length);
  try {
    const artifacts = await modelArtifacts(model);
    const cost = modelCost(model);
    const weightData = artifacts.weightData as ArrayBuffer;
    const stats = summary.stats.usageTrain!;
    // Format 1 as the app wrote it: labels, no labelStyle or labelMapping.
    const meta = {
      format: MODEL_FORMAT,
      formatVersion: 1,
      id: MODEL_ID,
      name: MODEL_NAME,
      createdAt: '2026-11-01T12:00:00.000Z',
      architecture: 'compact',
      params: cost.params,
      flopsPerImage: cost.flopsPerImage,
      labels: [...FER2013_EMOTIONS],
      inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1],
      standardization: { mean: Array.from(stats.mean), std: Array.from(stats.std), rows: stats.rows, scope: 'training' },
      dataset: { name: DATASET_NAME, fingerprint: summary.fingerprint, rows: buffers.rows, synthetic: false, split: { strategy: 'usage', seed: 42 } },
      training: null,
      weightBytes: weightData.byteLength,
    };
    const weights = { id: MODEL_ID, modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, weightData };
    return { dataset: encode(dataset), meta, weights: encode(weights) };
  } finally {
    model.dispose();
  }
}

/** Creates the version-1 database by hand in the page, with its six stores and the records. */
async function createVersionOneDatabase(page: Page, records: Awaited<ReturnType<typeof oldRecords>>) {
  await page.evaluate(async ({ dataset, meta, weights }) => {
    const decode = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(decode);
      if (value && typeof value === 'object') {
        const { $type, base64 } = value as { $type?: string; base64?: string };
        if ($type && base64 !== undefined) {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          return $type === 'u8' ? bytes : $type === 'f32' ? new Float32Array(bytes.buffer) : bytes.buffer;
        }
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item)]));
      }
      return value;
    };
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('fer-trainer', 1);
      request.onupgradeneeded = () => {
        const database = request.result;
        const metaStore = database.createObjectStore('model-meta', { keyPath: 'id' });
        metaStore.createIndex('createdAt', 'createdAt');
        const weightStore = database.createObjectStore('model-weights', { keyPath: 'id' });
        const runs = database.createObjectStore('runs', { keyPath: 'runId' });
        runs.createIndex('updatedAt', 'updatedAt');
        database.createObjectStore('checkpoints');
        const datasets = database.createObjectStore('datasets');
        const settings = database.createObjectStore('settings');
        // Written in the upgrade transaction, as part of creating version 1.
        metaStore.put(meta);
        weightStore.put(decode(weights));
        datasets.put(decode(dataset), 'last');
        settings.put(meta.id, 'active-model');
      };
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('blocked'));
    });
  }, records as { dataset: unknown; meta: { id: string }; weights: unknown });
}

/** The stored data set record and the database version, read in the page. */
async function storedRecord(page: Page) {
  return page.evaluate(async () => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('fer-trainer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const record = await new Promise<{ labelSet?: { names: string[] }; schemaVersion?: number; rows: number } | undefined>((resolve, reject) => {
      const get = database.transaction('datasets').objectStore('datasets').get('last');
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    const version = database.version;
    database.close();
    return { version, names: record?.labelSet?.names ?? null, schemaVersion: record?.schemaVersion ?? null, rows: record?.rows ?? null };
  });
}

/** A plain gray photo with no face in it (Try it then offers to classify its centre). */
function grayPhoto(): Buffer {
  const png = new PNG({ width: 160, height: 120 });
  png.data.fill(128);
  return PNG.sync.write(png);
}

test('a version-1 database (data set and format-1 model saved before label sets) opens as FER2013\u2019s seven classes', async ({ page }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (error) => console.error('page error:', error.stack));
  // A blank page of the app's origin, so the database exists before the app first opens it.
  await page.route('**/old-schema-setup', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>setup</title>' }));
  await page.goto('/old-schema-setup');
  await createVersionOneDatabase(page, await oldRecords());
  expect(await storedRecord(page)).toEqual({ version: 1, names: null, schemaVersion: null, rows: 210 });

  // The app opens it: the data set comes back with FER2013's seven classes.
  const datasetPanel = new DatasetPanel(page);
  await datasetPanel.open();
  await expect(datasetPanel.summary()).toContainText(DATASET_NAME, { timeout: 30_000 });
  await expect(datasetPanel.summary()).toContainText('restored from this browser’s storage');
  await expect(page.getByTestId('counts-table').locator('tbody th')).toHaveText(FER2013_EMOTIONS.map((name, k) => `${k} ${name}`));
  await expect(page.getByTestId('count-all-total')).toHaveText('210');
  await expect(page.getByTestId('count-test-total')).toHaveText('35');
  // The record was migrated in place: version 2, FER2013's label set, schema 2.
  expect(await storedRecord(page)).toEqual({ version: 2, names: [...FER2013_EMOTIONS], schemaVersion: 2, rows: 210 });

  // The format-1 model is in the library, evaluates to a 7x7 matrix named after the seven ...
  const models = new ModelsPanel(page);
  await models.open();
  await expect(models.rows()).toHaveCount(1);
  await expect(models.rows().first().getByTestId('model-name')).toHaveText(MODEL_NAME);
  const evaluate = new EvaluatePanel(page);
  await evaluate.open();
  await expect(page.getByTestId('evaluation-data-line')).toContainText(`35 faces: PrivateTest (Usage split) of ${DATASET_NAME}`);
  await evaluate.run();
  const table = page.getByTestId('confusion-matrix-table');
  await expect(table.locator('thead th[scope="col"]')).toHaveText(['true \\ predicted', ...FER2013_EMOTIONS]);
  const matrix = await evaluate.matrix();
  expect(matrix.map((row) => row.length)).toEqual([7, 7, 7, 7, 7, 7, 7]);
  expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(35);
  await expect(page.getByTestId('valence-matrix-table').locator('td[data-cell]')).toHaveCount(9);

  // ... and classifies a photo in Try it with the seven names.
  await page.getByRole('tab', { name: /Try it/ }).click();
  await expect(page.getByTestId('try-it-model')).toContainText(`Model: ${MODEL_NAME}`);
  await expect(page.getByTestId('try-it-model')).toContainText('loaded in', { timeout: 60_000 });
  await page.getByTestId('photo-input').setInputFiles([{ name: 'gray.png', mimeType: 'image/png', buffer: grayPhoto() }]);
  const card = page.locator('[data-testid="photo-card"][data-name="gray.png"]');
  await expect(card.getByRole('status')).toHaveText(/No face found in this photo/, { timeout: 90_000 });
  await card.getByRole('button', { name: 'Classify the centre' }).click();
  const bars = card.getByTestId('face-details').getByRole('listitem');
  await expect(bars).toHaveCount(7);
  for (const [k, name] of FER2013_EMOTIONS.entries()) await expect(bars.nth(k)).toContainText(name);
  expect(FER2013_EMOTIONS).toContain(await card.getByTestId('face-result').getAttribute('data-top'));
  await page.screenshot({ path: test.info().outputPath('old-schema.png'), fullPage: true });
});
