// End-to-end tests of the Evaluate and Models screens: evaluation in a worker, the confusion matrix, and a
// model's round trip through download, delete and import (plus the downloaded files loaded outside the app).
import { mkdirSync, readFileSync } from 'node:fs';
import { ferDataFile, fullFerCsv, SAMPLE_CSV } from '../scripts/fer-data';
import { describeDataset } from '../src/core/dataset/loaded-dataset';
import { usageSplit } from '../src/core/dataset/splits';
import { defaultDemoOptions, generateDemoBuffers } from '../src/core/demo/synthetic-faces';
import { PIXELS } from '../src/core/dataset/face-format';
import { builtModelFiles, evalTest as test, loadLayersModelOverHttp, predictRaw } from './evaluation-helpers';
import { expect } from './fixtures';

const sum = (matrix: number[][]) => matrix.flat().reduce((a, b) => a + b, 0);

function outputFolder(name: string): string {
  const folder = test.info().outputPath(name);
  mkdirSync(folder, { recursive: true });
  return folder;
}

test('train briefly on demo data, evaluate (7x7 matrix = the test split), download, delete, import: identical predictions', async ({
  datasetPanel,
  evaluatePanel,
  modelsPanel,
  page,
}) => {
  test.setTimeout(600_000);
  await datasetPanel.loadDemo();
  const testRows = Number((await page.getByTestId('count-test-total').textContent())!.replace(/,/g, ''));

  // 1 epoch of the compact network on the demo's 1,400 training faces (55–85 s here on WASM; Mini-Xception 35–47 s).
  const trainStarted = Date.now();
  await page.getByRole('tab', { name: /Train/ }).click();
  await page.locator('.architecture', { hasText: 'Compact' }).locator('input').check();
  await page.getByRole('radio', { name: 'For a number of epochs' }).check();
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Start training' }).click();
  await expect(page.getByTestId('training-result')).toContainText('is now the active model', { timeout: 480_000 });
  console.log(`training 1 epoch: ${((Date.now() - trainStarted) / 1000).toFixed(1)} s`);

  await evaluatePanel.open();
  await expect(page.getByTestId('evaluation-data-line')).toContainText(`${testRows} faces: PrivateTest (Usage split)`);
  const evalMs = await evaluatePanel.run({ tta: true, tenCrop: true });
  console.log(`evaluation of ${testRows} faces with TTA: ${(evalMs / 1000).toFixed(1)} s`);
  await expect(page.getByTestId('confusion-matrix')).toHaveAttribute('data-rendered', 'true');
  await expect(page.getByTestId('confusion-matrix').locator('canvas')).toBeVisible();
  await expect(page.getByTestId('confusion-matrix-table').locator('td[data-cell]')).toHaveCount(49);
  const matrix = await evaluatePanel.matrix();
  expect(matrix.map((row) => row.length)).toEqual([7, 7, 7, 7, 7, 7, 7]);
  expect(sum(matrix)).toBe(testRows);
  await expect(page.getByTestId('eval-rows')).toHaveText(String(testRows));
  await expect(page.getByTestId('eval-tta-accuracy')).toHaveText(/^\d+\.\d %$/);
  await expect(page.getByTestId('eval-ten-crop-accuracy')).toHaveText(/^\d+\.\d %$/);
  // The ten-crop view shows its own confusion matrix, of the same faces.
  await page.getByLabel('with ten-crop').check();
  await expect(page.locator('figure.confusion-chart figcaption').first()).toContainText('(ten-crop)');
  expect(sum(await evaluatePanel.matrix())).toBe(testRows);
  await page.getByLabel('plain predictions').check();
  // Demo faces are not FER2013's PrivateTest: no published figures beside them.
  await expect(page.getByTestId('accuracy-references')).toHaveCount(0);
  await expect(page.getByTestId('valence-matrix-table').locator('td[data-cell]')).toHaveCount(9);
  expect(sum(await evaluatePanel.matrix('valence-matrix'))).toBe(testRows);
  await expect(page.getByTestId('class-metrics').locator('tbody tr')).toHaveCount(7);
  const before = await evaluatePanel.samplePredictions();
  expect(before).toHaveLength(20);
  await page.screenshot({ path: test.info().outputPath('evaluate.png'), fullPage: true });

  // The library shows the model with its test accuracy (stored in its metadata by the worker).
  await modelsPanel.open();
  await expect(modelsPanel.rows()).toHaveCount(1);
  await expect(modelsPanel.rows().first().getByTestId('model-test-accuracy')).toContainText(await page.getByTestId('eval-accuracy').textContent() ?? '');
  await page.screenshot({ path: test.info().outputPath('models.png'), fullPage: true });

  const folder = outputFolder('download');
  const files = await modelsPanel.download('Download', 3, folder);
  expect(files.map((f) => f.slice(folder.length + 1)).sort()).toEqual(['metadata.json', 'model.json', 'model.weights.bin']);
  const [zip] = await modelsPanel.download('.zip', 1, outputFolder('zip'));
  expect(zip).toMatch(/\.zip$/);

  // Outside the app: plain tf.loadLayersModel reads the downloaded model.json; with metadata.json's
  // standardisation it predicts what the app predicted for the first 20 test faces.
  const meta = JSON.parse(readFileSync(`${folder}/metadata.json`, 'utf8'));
  expect(meta.labels).toEqual(['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral']);
  expect(meta.evaluation.test.rows).toBe(testRows);
  const demo = generateDemoBuffers(defaultDemoOptions);
  expect(describeDataset(demo, { name: '', synthetic: true, bytes: 0, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 }).fingerprint).toBe(
    meta.dataset.fingerprint,
  );
  const first20 = usageSplit(demo.usage).test.subarray(0, 20);
  const pixels = new Uint8Array(20 * PIXELS);
  first20.forEach((row, i) => pixels.set(demo.pixels.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS));
  const plain = await loadLayersModelOverHttp(files);
  const outside = predictRaw(plain, pixels, meta);
  plain.dispose();
  outside.forEach((probs, i) => probs.forEach((p, k) => expect(Math.abs(p - before[i][k])).toBeLessThan(1e-4)));

  await modelsPanel.remove();
  await expect(modelsPanel.rows()).toHaveCount(0);
  await modelsPanel.importFiles(files);
  await expect(page.getByTestId('import-result')).toContainText(`Imported ${meta.name}`);
  await expect(modelsPanel.rows()).toHaveCount(1);
  await expect(modelsPanel.rows().first()).toHaveAttribute('data-model-id', meta.id);

  await evaluatePanel.open();
  await evaluatePanel.run({ tta: true });
  expect(await evaluatePanel.samplePredictions()).toEqual(before);
  expect(await evaluatePanel.matrix()).toEqual(matrix);

  // The .zip restores it the same way.
  await modelsPanel.open();
  await modelsPanel.remove();
  await expect(modelsPanel.rows()).toHaveCount(0);
  await modelsPanel.importFiles([zip]);
  await expect(page.getByTestId('import-result')).toContainText(`Imported ${meta.name}`);
  await expect(modelsPanel.rows()).toHaveCount(1);
});

test('malformed imports are refused with a message naming the file, and the library stays as it was', async ({ datasetPanel, modelsPanel, page }) => {
  await datasetPanel.open();
  const folder = outputFolder('built');
  const [modelJson, weights, metadata] = await builtModelFiles(folder, 'mini-xception', 'built mini-xception');
  const other = await builtModelFiles(outputFolder('other'), 'compact', 'built compact');
  await modelsPanel.open();
  await modelsPanel.importFiles([modelJson, weights, metadata]);
  await expect(page.getByTestId('import-result')).toContainText('Imported built mini-xception');
  await expect(modelsPanel.rows()).toHaveCount(1);

  const bytes = (path: string) => readFileSync(path);
  const cases: { files: { name: string; buffer: Buffer }[]; message: RegExp }[] = [
    { files: [{ name: 'model.json', buffer: Buffer.from('<!doctype html>') }, { name: 'model.weights.bin', buffer: bytes(weights) }, { name: 'metadata.json', buffer: bytes(metadata) }], message: /model\.json: not valid JSON/ },
    { files: [{ name: 'model.json', buffer: bytes(modelJson) }, { name: 'model.weights.bin', buffer: bytes(weights).subarray(0, 1000) }, { name: 'metadata.json', buffer: bytes(metadata) }], message: /model\.weights\.bin: 1,000 bytes, but model\.json needs [\d,]+ \(it is truncated/ },
    { files: [{ name: 'model.json', buffer: bytes(modelJson) }, { name: 'model.weights.bin', buffer: bytes(other[1]) }, { name: 'metadata.json', buffer: bytes(metadata) }], message: /model\.weights\.bin: [\d,]+ bytes, but model\.json needs [\d,]+ \(it belongs to another, larger model\)/ },
    { files: [{ name: 'model.json', buffer: bytes(modelJson) }, { name: 'model.weights.bin', buffer: bytes(weights) }, { name: 'metadata.json', buffer: bytes(other[2]) }], message: /metadata\.json describes a compact network with 288,679 parameters, but model\.json holds 58,423/ },
    { files: [{ name: 'model.json', buffer: bytes(modelJson) }, { name: 'model.weights.bin', buffer: bytes(weights) }], message: /missing metadata\.json/ },
    { files: [{ name: 'metadata.json', buffer: Buffer.from('{"format":"fer-trainer-model","formatVersion":1,"labels":"x"}') }, { name: 'model.json', buffer: bytes(modelJson) }, { name: 'model.weights.bin', buffer: bytes(weights) }], message: /metadata\.json: "id" must be a non-empty string/ },
    { files: [{ name: 'export.zip', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]) }], message: /export\.zip: not a readable ZIP archive/ },
  ];
  for (const { files, message } of cases) {
    await modelsPanel.importFiles(files);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Could not import:');
    await expect(alert).toContainText(message);
    await expect(alert).toContainText('Nothing was changed');
    await expect(modelsPanel.rows()).toHaveCount(1);
    await page.getByRole('button', { name: 'Dismiss error' }).click();
  }
  await expect(modelsPanel.rows().first().getByTestId('model-name')).toHaveText('built mini-xception');
});

test('offline: the first import says the app could not load its own code, not that the worker crashed', async ({ datasetPanel, modelsPanel, page, context }) => {
  await datasetPanel.open();
  const [modelJson, weights, metadata] = await builtModelFiles(outputFolder('offline'), 'mini-xception', 'offline mini-xception');
  await modelsPanel.open();
  await context.setOffline(true);
  await modelsPanel.importFiles([modelJson, weights, metadata]);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText("the evaluation and import worker's code could not be loaded (the network seems to be off");
  await expect(alert).not.toContainText('unknown error');
  await expect(modelsPanel.rows()).toHaveCount(0);
  // Back online, the same files import.
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Dismiss error' }).click();
  await modelsPanel.importFiles([modelJson, weights, metadata]);
  await expect(page.getByTestId('import-result')).toContainText('Imported offline mini-xception', { timeout: 60_000 });
});

test('the real 2,000-row sample under the Usage split: PrivateTest evaluation covers exactly 200 faces', async ({ datasetPanel, evaluatePanel, modelsPanel, page }) => {
  const path = ferDataFile(SAMPLE_CSV);
  test.skip(path === null, 'FER2013 sample not present (CI must have it)');
  await datasetPanel.upload(path!);
  await expect(datasetPanel.summary()).toContainText('2,000 faces');
  await modelsPanel.open();
  await modelsPanel.importFiles(await builtModelFiles(outputFolder('built'), 'mini-xception', 'built mini-xception'));
  await expect(modelsPanel.rows()).toHaveCount(1);

  await evaluatePanel.open();
  await expect(page.getByTestId('evaluation-data-line')).toContainText('200 faces: PrivateTest (Usage split)');
  await evaluatePanel.run();
  await expect(page.getByTestId('eval-rows')).toHaveText('200');
  expect(sum(await evaluatePanel.matrix())).toBe(200);
  // PublicTest on demand: the other 200 held-out faces.
  await evaluatePanel.run({ split: 'validation' });
  await expect(page.getByTestId('evaluation-context')).toContainText('PublicTest (Usage split)');
  expect(sum(await evaluatePanel.matrix())).toBe(200);
});

test('the full FER2013 file: PrivateTest evaluation of all 3,589 faces, with TTA', async ({ datasetPanel, evaluatePanel, modelsPanel }) => {
  const path = await fullFerCsv();
  test.skip(path === null, 'full FER2013 not present (CI must have it)');
  test.setTimeout(600_000);
  await datasetPanel.upload(path!);
  await expect(datasetPanel.summary()).toContainText('35,887 faces', { timeout: 120_000 });
  await modelsPanel.open();
  await modelsPanel.importFiles(await builtModelFiles(outputFolder('built'), 'compact', 'built compact'));
  await expect(modelsPanel.rows()).toHaveCount(1);
  await evaluatePanel.open();
  const plainMs = await evaluatePanel.run({ timeout: 480_000 });
  expect(sum(await evaluatePanel.matrix())).toBe(3589);
  const ttaMs = await evaluatePanel.run({ tta: true, timeout: 480_000 });
  expect(sum(await evaluatePanel.matrix())).toBe(3589);
  console.log(`compact on 3,589 PrivateTest faces: ${(plainMs / 1000).toFixed(1)} s plain, ${(ttaMs / 1000).toFixed(1)} s with TTA`);
});
