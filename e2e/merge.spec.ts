// Merged classes through the screens: the demo data merged into 3 valence classes on the Data screen (kept over a
// reload), a brief training run, a 3x3 evaluation, the model's classes in the library, and Try it naming one of
// the 3. Demo data only: nothing to fetch, so it runs (never skips) on CI.
import type { Page } from '@playwright/test';
import { EvaluatePanel } from './evaluation-helpers';
import { expect, test } from './fixtures';
import { flatPng } from './try-it';

const VALENCE = ['Negative', 'Neutral', 'Positive'];

/** The fingerprint of the data set on screen. */
const shownFingerprint = async (page: Page) => (await page.getByTestId('dataset-summary').locator('code').first().textContent())!;

/** Waits until the data set kept in IndexedDB for the next visit has `fingerprint`. */
async function waitUntilStored(page: Page, fingerprint: string) {
  await page.waitForFunction(async (wanted) => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('fer-trainer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const record = await new Promise<{ fingerprint?: string } | undefined>((resolve, reject) => {
      const get = database.transaction('datasets').objectStore('datasets').get('last');
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    database.close();
    return record?.fingerprint === wanted;
  }, fingerprint);
}

test('demo data merged into negative / neutral / positive: trained, evaluated 3x3, and Try it speaks the 3 classes', async ({ datasetPanel, trainingPanel, page }) => {
  test.setTimeout(420_000);
  await datasetPanel.loadDemo('tiny');
  const original = await shownFingerprint(page);
  const total = (split: string) => page.getByTestId(`count-${split}-total`).textContent();
  const totals = [await total('train'), await total('validation'), await total('test')];

  const classes = page.getByLabel('Classes', { exact: true });
  await classes.selectOption({ label: 'Merge into negative, neutral, positive (3 classes)' });
  const statement = page.getByTestId('class-mapping-statement');
  await expect(statement).toHaveText(
    'Classes merged (valence: negative, neutral, positive): 3 classes (Negative, Neutral, Positive) from the file’s 7 (Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral).',
  );
  await expect(page.getByTestId('counts-table').locator('tbody th')).toHaveText(VALENCE.map((name, k) => `${k} ${name}`));
  // Every face is in one of the 3 classes: the split totals are unchanged; the fingerprint is not.
  expect([await total('train'), await total('validation'), await total('test')]).toEqual(totals);
  const merged = await shownFingerprint(page);
  expect(merged).not.toBe(original);

  // The file's classes come back without a reload, with the file's fingerprint; then merged again.
  await classes.selectOption({ label: 'As in the file (7 classes)' });
  await expect(page.getByTestId('class-mapping-statement')).toContainText('The file’s 7 classes, as they are');
  expect(await shownFingerprint(page)).toBe(original);
  await classes.selectOption({ label: 'Merge into negative, neutral, positive (3 classes)' });
  await expect(statement).toContainText('Classes merged');
  expect(await shownFingerprint(page)).toBe(merged);

  // Stored like any data set: a reload brings the merged one back, said so.
  await waitUntilStored(page, merged);
  await page.reload();
  await expect(statement).toContainText('Classes merged (valence', { timeout: 60_000 });
  expect(await shownFingerprint(page)).toBe(merged);
  await expect(classes).toHaveValue('valence');
  await page.screenshot({ path: test.info().outputPath('data-merged.png'), fullPage: true });

  await trainingPanel.trainBriefly();

  const evaluatePanel = new EvaluatePanel(page);
  await evaluatePanel.open();
  await evaluatePanel.run();
  const table = page.getByTestId('confusion-matrix-table');
  await expect(table.locator('thead th')).toHaveText(['true \\ predicted', ...VALENCE]);
  await expect(table.locator('tbody th')).toHaveText(VALENCE);
  const matrix = await evaluatePanel.matrix();
  expect(matrix.map((row) => row.length)).toEqual([3, 3, 3]);
  expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(Number(totals[2]!.replace(/,/g, '')));
  await expect(page.getByTestId('confusion-matrix')).toHaveAttribute('data-rendered', 'true');
  await expect(page.getByTestId('class-metrics').locator('tbody tr')).toHaveCount(3);
  // The classes are the valence groups: no second valence view, and no FER2013 figures beside them.
  await expect(page.getByTestId('valence-matrix')).toHaveCount(0);
  await expect(page.getByTestId('accuracy-references')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('evaluate-merged.png'), fullPage: true });

  await page.getByRole('tab', { name: /Models/ }).click();
  const modelClasses = page.getByTestId('model-row').first().getByTestId('model-classes');
  await expect(modelClasses).toContainText('Negative');
  await expect(modelClasses).toContainText('from 7 classes: valence: negative, neutral, positive');

  // Try it: a photo with no face; its centre, classified, is named as one of the 3 classes.
  await page.getByRole('tab', { name: /Try it/ }).click();
  await page.getByTestId('photo-input').setInputFiles([{ name: 'plain.png', mimeType: 'image/png', buffer: flatPng(300, 300, 120) }]);
  const card = page.locator('[data-testid="photo-card"][data-name="plain.png"]');
  await expect(card.getByRole('status')).toHaveText(/No face found in this photo/, { timeout: 90_000 });
  await card.getByRole('button', { name: 'Classify the centre' }).click();
  const face = card.getByTestId('face-result').first();
  await expect(face).toHaveAttribute('data-top', new RegExp(`^(${VALENCE.join('|')})$`), { timeout: 60_000 });
  await expect(card.getByTestId('face-details').getByRole('listitem')).toHaveCount(3);
  await expect(card.getByTestId('face-details')).toContainText('Positive');

  // Back to the file's 7 classes: the 3-class model is not evaluated on them, and the screen says why.
  await page.getByRole('tab', { name: /Data/ }).click();
  await classes.selectOption({ label: 'As in the file (7 classes)' });
  await expect(statement).toContainText('The file’s 7 classes');
  await evaluatePanel.open();
  await expect(page.getByTestId('evaluation-data-line')).toContainText(
    'knows Negative, Neutral, Positive (3 classes) but the data set Synthetic demo faces (280 Training / 70 PublicTest / 70 PrivateTest) has Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral (7 classes)',
  );
  await expect(page.getByRole('button', { name: 'Evaluate', exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('evaluate-refused.png'), fullPage: true });
});
