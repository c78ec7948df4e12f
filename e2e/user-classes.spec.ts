// A folder of the user's own classes (not FER2013's emotions): a zip of three made-up classes is dropped,
// confirmed as three classes of their own, trained briefly, evaluated (3x3), downloaded, imported back and
// used in Try it, every screen naming the three classes.
import { mkdirSync, readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Page } from '@playwright/test';
import { createRng } from '../src/core/random';
import { evalTest as test } from './evaluation-helpers';
import { expect } from './fixtures';

/** The classes as the folders name them in train/ (test/ names them in lower case: the same classes). */
const CLASSES = ['Cat', 'Dog', 'Owl'] as const;
const TRAIN_PER_CLASS = 24;
const TEST_PER_CLASS = 6;

/**
 * Gray level at (x, y) of class k's pattern: horizontal stripes, vertical stripes, a bright disc. Each image
 * shifts its pattern and adds noise, so no two are alike.
 */
function patternGray(k: number, x: number, y: number, shift: number, noise: number): number {
  let value: number;
  if (k === 0) value = Math.floor((y + shift) / 6) % 2 === 0 ? 60 : 190;
  else if (k === 1) value = Math.floor((x + shift) / 6) % 2 === 0 ? 60 : 190;
  else value = Math.hypot(x - 24 - (shift % 5), y - 24) < 14 ? 220 : 50;
  return Math.max(0, Math.min(255, Math.round(value + noise)));
}

/** RGBA pixels of class k's pattern, width x height (patterns measured on a 48-pixel grid). */
function patternRgba(k: number, width: number, height: number, random: () => number): Uint8Array {
  const rgba = new Uint8Array(width * height * 4);
  const shift = Math.floor(random() * 12);
  const scale = 48 / Math.min(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Measured from the centre square, so the centre of a wide photo shows the pattern as a 48x48 face does.
      const cx = (x - (width - Math.min(width, height)) / 2) * scale;
      const cy = (y - (height - Math.min(width, height)) / 2) * scale;
      const gray = patternGray(k, cx, cy, shift, (random() - 0.5) * 40);
      rgba.set([gray, gray, gray, 255], (y * width + x) * 4);
    }
  }
  return rgba;
}

function png(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const image = new PNG({ width, height });
  image.data.set(rgba);
  return PNG.sync.write(image);
}

/** pets.zip: train/ (PNGs, folders Cat Dog Owl) and test/ (JPEGs, folders cat dog owl), 90 faces in all. */
function petsZip(): Uint8Array {
  const random = createRng(23);
  const files: Record<string, Uint8Array> = {};
  CLASSES.forEach((name, k) => {
    for (let i = 0; i < TRAIN_PER_CLASS; i++) files[`pets/train/${name}/${i}.png`] = png(patternRgba(k, 48, 48, random), 48, 48);
  });
  CLASSES.forEach((name, k) => {
    for (let i = 0; i < TEST_PER_CLASS; i++) {
      files[`pets/test/${name.toLowerCase()}/${i}.jpg`] = jpeg.encode({ data: patternRgba(k, 48, 48, random), width: 48, height: 48 }, 95).data;
    }
  });
  files['pets/README.md'] = new TextEncoder().encode('Three classes of patterns.');
  return zipSync(files);
}

/** Drops in-memory bytes on the Data screen's drop zone, as a user dragging a file would. */
async function dropFile(page: Page, name: string, bytes: Uint8Array, type: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, data, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name, { type }));
      return transfer;
    },
    { name, data: Buffer.from(bytes).toString('base64'), type },
  );
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
}

test('a zip of three classes of the user\u2019s own: confirmed, trained, evaluated 3x3, exported, imported and used in Try it', async ({
  datasetPanel,
  trainingPanel,
  evaluatePanel,
  modelsPanel,
  page,
}) => {
  test.setTimeout(420_000);
  await dropFile(page, 'pets.zip', petsZip(), 'application/zip');

  // Nothing loads until the user agrees to train on the folders as classes of their own.
  const question = page.getByTestId('folder-classes-question');
  await expect(question).toHaveText('pets.zip: These folders are not FER2013\u2019s emotions: Cat, Dog, Owl. Train on them as 3 classes of your own?');
  await expect(page.getByTestId('folder-classes-order')).toContainText('Classes in alphabetical order of folder name: Cat, Dog, Owl (30 / 30 / 30 files)');
  await expect(page.getByTestId('skip-unknown-folders')).toHaveCount(0);
  await expect(datasetPanel.summary()).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('confirm.png'), fullPage: true });
  await page.getByRole('button', { name: 'Train on 3 classes of my own' }).click();

  // The Data screen speaks the three classes: train/ less 10 % for validation, test/ for test.
  await expect(datasetPanel.summary()).toContainText('90 faces');
  await expect(page.getByTestId('folder-classes')).toHaveCount(0);
  await expect(page.getByTestId('counts-table').locator('tbody th')).toHaveText(['0 Cat', '1 Dog', '2 Owl']);
  for (const name of CLASSES) {
    await expect(page.getByTestId(`count-train-${name}`)).toHaveText('22');
    await expect(page.getByTestId(`count-validation-${name}`)).toHaveText('2');
    await expect(page.getByTestId(`count-test-${name}`)).toHaveText('6');
  }
  await expect(page.getByTestId('count-all-total')).toHaveText('90');
  // A FER2013 CSV would read these labels back as Angry, Disgust, Fear: not offered.
  await expect(page.getByTestId('export-csv')).toHaveCount(0);
  // Kept with its classes: a reload brings it back as it was.
  await page.reload();
  await expect(datasetPanel.summary()).toContainText('restored from this browser\u2019s storage', { timeout: 30_000 });
  await expect(page.getByTestId('counts-table').locator('tbody th')).toHaveText(['0 Cat', '1 Dog', '2 Owl']);
  await page.screenshot({ path: test.info().outputPath('data.png'), fullPage: true });

  await trainingPanel.trainBriefly();

  // Evaluate: a 3x3 confusion matrix of the 18 test faces, rows and columns named after the classes.
  await evaluatePanel.open();
  await expect(page.getByTestId('evaluation-data-line')).toContainText('18 faces');
  await evaluatePanel.run();
  const matrixTable = page.getByTestId('confusion-matrix-table');
  await expect(matrixTable.locator('thead th[scope="col"]')).toHaveText(['true \\ predicted', ...CLASSES]);
  await expect(matrixTable.locator('tbody th')).toHaveText([...CLASSES]);
  const matrix = await evaluatePanel.matrix();
  expect(matrix.map((row) => row.length)).toEqual([3, 3, 3]);
  expect(matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([6, 6, 6]);
  await expect(page.getByTestId('class-metrics').locator('tbody tr')).toHaveCount(3);
  await page.screenshot({ path: test.info().outputPath('evaluate.png'), fullPage: true });

  // Download, delete, import back: the metadata names the classes, and the import says 3 classes.
  await modelsPanel.open();
  await expect(modelsPanel.rows()).toHaveCount(1);
  const folder = test.info().outputPath('download');
  mkdirSync(folder, { recursive: true });
  const files = await modelsPanel.download('Download', 3, folder);
  const meta = JSON.parse(readFileSync(`${folder}/metadata.json`, 'utf8'));
  expect(meta.labels).toEqual([...CLASSES]);
  await modelsPanel.remove();
  await expect(modelsPanel.rows()).toHaveCount(0);
  await modelsPanel.importFiles(files);
  await expect(page.getByTestId('import-result')).toContainText(`Imported ${meta.name} (compact, 3 classes)`);
  await expect(modelsPanel.rows()).toHaveCount(1);
  const setActive = modelsPanel.rows().first().getByRole('button', { name: 'Set active' });
  if (await setActive.isEnabled()) await setActive.click();
  await expect(modelsPanel.rows().first().locator('.badge.active')).toBeVisible();

  // The imported model evaluates the same faces to the same matrix.
  await evaluatePanel.open();
  await evaluatePanel.run();
  expect(await evaluatePanel.matrix()).toEqual(matrix);

  // Try it: a photo of an owl pattern with no face in it; its centre is classified as one of the three.
  await page.getByRole('tab', { name: /Try it/ }).click();
  await expect(page.getByTestId('try-it-model')).toContainText(`Model: ${meta.name}`);
  await expect(page.getByTestId('try-it-model')).toContainText('loaded in', { timeout: 60_000 });
  const photo = png(patternRgba(2, 160, 120, createRng(7)), 160, 120);
  await page.getByTestId('photo-input').setInputFiles([{ name: 'owl.png', mimeType: 'image/png', buffer: Buffer.from(photo) }]);
  const card = page.locator('[data-testid="photo-card"][data-name="owl.png"]');
  await expect(card.getByRole('status')).toHaveText(/No face found in this photo/, { timeout: 90_000 });
  await card.getByRole('button', { name: 'Classify the centre' }).click();
  const bars = card.getByTestId('face-details').getByRole('listitem');
  await expect(bars).toHaveCount(3);
  for (const [k, name] of CLASSES.entries()) await expect(bars.nth(k)).toContainText(name);
  const result = card.getByTestId('face-result');
  await expect(result).toHaveCount(1);
  expect(CLASSES).toContain(await result.getAttribute('data-top'));
  expect((await result.getAttribute('data-probs'))!.split(',')).toHaveLength(3);
  await page.screenshot({ path: test.info().outputPath('try-it.png'), fullPage: true });
});
