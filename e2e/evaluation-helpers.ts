// Node-side (Playwright process): page objects for the Evaluate and Models screens, models built here with
// tfjs (random weights, nothing derived from any data set), and plain tf.loadLayersModel over local HTTP.
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Download, Page } from '@playwright/test';
import { IMAGE_SIZE, PIXELS } from '../src/core/dataset/face-format';
import { buildModel, modelCost, type ArchitectureName } from '../src/core/nets/architectures';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMetadata } from '../src/core/model-format/model-metadata';
import { modelPackageFiles, type PackageFile } from '../src/core/model-format/model-package';
import { modelArtifacts } from '../src/core/model-format/weights-codec';
import { FER2013_EMOTIONS } from '../src/core/labels/fer2013';
import { expect, test } from './fixtures';

export class EvaluatePanel {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open() {
    await this.page.getByRole('tab', { name: /Evaluate/ }).click();
  }

  /** Runs an evaluation of the selected model and waits for its result; returns the wall time in ms. */
  async run({ tta = false, tenCrop = false, split = 'test', timeout = 300_000 }: { tta?: boolean; tenCrop?: boolean; split?: 'test' | 'validation'; timeout?: number } = {}) {
    await this.page.getByLabel(split === 'test' ? 'Test (PrivateTest)' : 'Validation (PublicTest)').check();
    await this.page.getByLabel(/Test-time augmentation/).setChecked(tta);
    await this.page.getByLabel(/Ten-crop \(four corners/).setChecked(tenCrop);
    const result = this.page.getByTestId('evaluation-result');
    const previous = (await result.count()) > 0 ? await result.getAttribute('data-evaluated-at') : null;
    const started = Date.now();
    await this.page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    // A new result shown from this session's run (not the stored copy, which the worker may update first).
    await expect
      .poll(async () => (await result.count()) > 0 && (await result.getAttribute('data-live')) === 'true' && (await result.getAttribute('data-evaluated-at')) !== previous, {
        timeout,
        intervals: [100],
      })
      .toBe(true);
    return Date.now() - started;
  }

  /** The counts matrix as shown in its table: rows = true class, columns = predicted. */
  async matrix(testId = 'confusion-matrix'): Promise<number[][]> {
    const table = this.page.getByTestId(`${testId}-table`);
    return table.locator('tbody tr').evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => Number(cell.textContent))),
    );
  }

  /** Probabilities of the first faces of the split, as the page got them (full float precision). */
  async samplePredictions(): Promise<number[][]> {
    return this.page
      .getByTestId('sample-prediction')
      .locator('.class-bars')
      .evaluateAll((bars) => bars.map((bar) => (bar.getAttribute('data-probs') ?? '').split(' ').map(Number)));
  }
}

export class ModelsPanel {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open() {
    await this.page.getByRole('tab', { name: /Models/ }).click();
  }

  rows() {
    return this.page.getByTestId('model-row');
  }

  /** Clicks a button that starts `count` downloads and saves them (by their suggested names) in `folder`. */
  async download(button: string, count: number, folder: string, row = 0): Promise<string[]> {
    const downloads: Download[] = [];
    const all = new Promise<void>((resolve) => {
      const onDownload = (download: Download) => {
        downloads.push(download);
        if (downloads.length === count) {
          this.page.off('download', onDownload);
          resolve();
        }
      };
      this.page.on('download', onDownload);
    });
    await this.rows().nth(row).getByRole('button', { name: button, exact: true }).click();
    await all;
    const paths: string[] = [];
    for (const download of downloads) {
      const path = join(folder, download.suggestedFilename());
      await download.saveAs(path);
      paths.push(path);
    }
    return paths;
  }

  async remove(row = 0) {
    await this.rows().nth(row).getByRole('button', { name: 'Delete', exact: true }).click();
    await this.rows().nth(row).getByRole('button', { name: 'Yes, delete' }).click();
  }

  async importFiles(files: string[] | { name: string; buffer: Buffer }[]) {
    const input = this.page.getByTestId('model-import-input');
    if (typeof files[0] === 'string') await input.setInputFiles(files as string[]);
    else await input.setInputFiles((files as { name: string; buffer: Buffer }[]).map((f) => ({ ...f, mimeType: 'application/octet-stream' })));
  }
}

export const evalTest = test.extend<{ evaluatePanel: EvaluatePanel; modelsPanel: ModelsPanel }>({
  evaluatePanel: async ({ page }, use) => use(new EvaluatePanel(page)),
  modelsPanel: async ({ page }, use) => use(new ModelsPanel(page)),
});

/**
 * Export files of a freshly initialised network, built here with tfjs (random weights, standardisation mean
 * 128 / std 64 everywhere), written into `folder`. Goes through the app's real import path.
 */
export async function builtModelFiles(folder: string, architecture: ArchitectureName, name: string): Promise<string[]> {
  await tf.ready();
  const model = buildModel(architecture, FER2013_EMOTIONS.length);
  try {
    const artifacts = await modelArtifacts(model);
    const cost = modelCost(model);
    const meta: ModelMetadata = {
      format: MODEL_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      id: `m-e2e-${architecture}-${Date.now()}`,
      name,
      createdAt: new Date().toISOString(),
      architecture,
      params: cost.params,
      flopsPerImage: cost.flopsPerImage,
      labels: [...FER2013_EMOTIONS],
      inputShape: [IMAGE_SIZE, IMAGE_SIZE, 1],
      standardization: { mean: new Array(PIXELS).fill(128), std: new Array(PIXELS).fill(64), rows: 0, scope: 'training' },
      dataset: { name: 'none (built by the e2e test)', fingerprint: '0000000000000000', rows: 0, synthetic: true, split: { strategy: 'usage', seed: 42 } },
      training: null,
      weightBytes: 0,
    };
    return modelPackageFiles(meta, artifacts).map((file) => {
      const path = join(folder, file.name);
      writeFileSync(path, file.bytes);
      return path;
    });
  } finally {
    model.dispose();
  }
}

/** Loads model.json with plain tf.loadLayersModel from a throwaway local HTTP server serving `files`. */
export async function loadLayersModelOverHttp(files: string[]): Promise<tf.LayersModel> {
  const byName = new Map(files.map((path) => [`/${basename(path)}`, readFileSync(path)]));
  const server = createServer((request, response) => {
    const body = byName.get(request.url ?? '');
    if (!body) return void response.writeHead(404).end();
    response.writeHead(200).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await tf.loadLayersModel(`http://127.0.0.1:${(server.address() as AddressInfo).port}/model.json`);
  } finally {
    server.close();
  }
}

/** Probabilities for raw faces standardised with metadata.json's mean/std, as rows of 7 (Node tfjs). */
export function predictRaw(model: tf.LayersModel, pixels: Uint8Array, meta: Pick<ModelMetadata, 'standardization'>): number[][] {
  const { mean, std } = meta.standardization;
  const count = pixels.length / PIXELS;
  const input = Float32Array.from(pixels, (value, i) => (value - mean[i % PIXELS]) / std[i % PIXELS]);
  return tf.tidy(() => (model.predict(tf.tensor4d(input, [count, IMAGE_SIZE, IMAGE_SIZE, 1])) as tf.Tensor2D).arraySync());
}

export type { PackageFile };
