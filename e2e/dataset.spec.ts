import { zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { FULL_CSV_GZ, ferDataFile, fullFerCsv, SAMPLE_CSV } from '../scripts/fer-data';
import { ferCsv, testPixels, validRows } from '../src/core/testing/fer-rows';
import { expect, OFFICIAL_COUNTS, test } from './fixtures';

/** Counts per Usage and class, read from the file with a plain split (independent of the app's parser). */
function countsOf(path: string) {
  const counts = { train: Array(7).fill(0), validation: Array(7).fill(0), test: Array(7).fill(0) };
  const key = { Training: 'train', PublicTest: 'validation', PrivateTest: 'test' } as const;
  for (const line of readFileSync(path, 'utf8').trimEnd().split('\n').slice(1)) {
    const [label, , usage] = line.split(',');
    counts[key[usage.trim() as keyof typeof key]][Number(label)]++;
  }
  return counts;
}

test('demo data: generated in a worker, labelled synthetic, with counts, balance, samples and mean face', async ({ datasetPanel, page }) => {
  await datasetPanel.loadDemo();
  await expect(datasetPanel.summary()).toContainText('synthetic');
  await expect(datasetPanel.summary()).toContainText('2,100 faces');
  await expect(page.getByTestId('count-train-total')).toHaveText('1,400');
  await expect(page.getByTestId('count-validation-total')).toHaveText('350');
  await expect(page.getByTestId('count-test-total')).toHaveText('350');
  await expect(page.getByTestId('class-balance')).toBeVisible();
  await expect(page.getByTestId('sample-faces').locator('canvas')).toHaveCount(70);
  await expect(page.getByTestId('mean-face-caption')).toHaveText('Mean face (1400 training rows)');
  // The seed split and the seed-faithful switch re-derive counts and statistics.
  await page.getByLabel(/Seed split/).check();
  await expect(page.getByTestId('count-test-total')).toHaveText('210');
  await expect(page.getByTestId('split-seed')).toHaveText('seed 42');
  await page.getByLabel(/Seed-faithful standardisation/).check();
  await expect(page.getByTestId('mean-face-caption')).toHaveText('Mean face (all 2100 rows)');
  await page.screenshot({ path: test.info().outputPath('demo.png'), fullPage: true });
});

test('the real 2,000-row sample loads with the counts the file holds', async ({ datasetPanel }) => {
  const path = ferDataFile(SAMPLE_CSV);
  test.skip(path === null, 'FER2013 sample not present (CI must have it)');
  await datasetPanel.upload(path!);
  await expect(datasetPanel.summary()).toContainText('2,000 faces');
  await expect(datasetPanel.summary()).not.toContainText('synthetic');
  expect(await datasetPanel.counts()).toEqual(countsOf(path!));
});

test('the full FER2013 file loads with progress and exactly the official counts', async ({ datasetPanel, page }) => {
  const path = await fullFerCsv();
  test.skip(path === null, 'full FER2013 not present (CI must have it)');
  await datasetPanel.upload(path!);
  await expect(page.getByTestId('load-progress-text')).toContainText(/MB of 301\.1 MB · [\d,]+ rows · \d+ MB\/s/);
  await expect(datasetPanel.summary()).toContainText('35,887 faces', { timeout: 120_000 });
  expect(await datasetPanel.counts()).toEqual(OFFICIAL_COUNTS);
  await expect(page.getByTestId('count-all-total')).toHaveText('35,887');
});

test('the full file still gzipped (fer2013.csv.gz, 94 MB) loads as it is, with the official counts', async ({ datasetPanel, page }) => {
  const path = ferDataFile(FULL_CSV_GZ);
  test.skip(path === null, 'full FER2013 not present (CI must have it)');
  await datasetPanel.upload(path!);
  // Progress counts the compressed bytes of the file dropped.
  await expect(page.getByTestId('load-progress-text')).toContainText(/MB of 94\.0 MB · [\d,]+ rows/);
  await expect(datasetPanel.summary()).toContainText('35,887 faces', { timeout: 120_000 });
  await expect(datasetPanel.summary()).toContainText('from 94.0 MB packed');
  expect(await datasetPanel.counts()).toEqual(OFFICIAL_COUNTS);
});

test('cancel stops a running load at once and keeps the data set already loaded', async ({ datasetPanel, page }) => {
  const path = await fullFerCsv();
  test.skip(path === null, 'full FER2013 not present (CI must have it)');
  await datasetPanel.loadDemo();
  await datasetPanel.upload(path!);
  await expect(page.getByTestId('load-progress')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toContainText('Loading fer2013.csv was cancelled');
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  await expect(datasetPanel.summary()).toContainText('synthetic');
  await expect(page.getByTestId('count-train-total')).toHaveText('1,400');
});

test('an empty file dropped while a large one loads: refused, the large load stops, and storage keeps what the screen shows', async ({ datasetPanel, page }) => {
  const path = ferDataFile(FULL_CSV_GZ);
  test.skip(path === null, 'full FER2013 not present (CI must have it)');
  await datasetPanel.loadDemo('tiny');
  await datasetPanel.upload(path!);
  await expect(page.getByTestId('load-progress')).toBeVisible();
  await datasetPanel.upload({ name: 'empty.csv', buffer: Buffer.alloc(0) });
  await expect(datasetPanel.error()).toContainText('Could not load empty.csv: the file is empty (0 bytes). The load that was running was stopped.');
  await expect(datasetPanel.error()).toContainText('Nothing changed: Synthetic demo faces');
  await expect(page.getByTestId('load-progress')).toHaveCount(0);
  // Longer than the large file takes to load (12–16 s): had it gone on unseen, it would now be stored.
  await page.waitForTimeout(25_000);
  await expect(page.getByTestId('count-train-total')).toHaveText('280');
  await page.reload();
  await expect(datasetPanel.summary()).toContainText('restored from this browser’s storage', { timeout: 30_000 });
  await expect(page.getByTestId('count-train-total')).toHaveText('280');
});

test('a second file dropped while one is parsing replaces it', async ({ datasetPanel }) => {
  const path = await fullFerCsv();
  test.skip(path === null, 'full FER2013 not present (CI must have it)');
  await datasetPanel.upload(path!);
  await datasetPanel.drop('small.csv', ferCsv(validRows(21)));
  await expect(datasetPanel.summary()).toContainText('21 faces');
  await expect(datasetPanel.summary()).toContainText('small.csv');
  // The first load was stopped, so it never replaces the second.
  await datasetPanel.page.waitForTimeout(4000);
  await expect(datasetPanel.summary()).toContainText('small.csv');
});

test('bad rows are skipped and listed by row number; good rows load', async ({ datasetPanel, page }) => {
  const rows = [...validRows(5), { emotion: 9, usage: 'Training' }, { emotion: 2, pixels: testPixels(0, 2303), usage: 'PublicTest' }];
  await datasetPanel.drop('some-bad.csv', ferCsv(rows));
  await expect(datasetPanel.summary()).toContainText('5 faces');
  const skipped = page.getByTestId('skipped-rows');
  await expect(skipped).toContainText('2 rows skipped');
  await expect(skipped).toContainText("row 7: emotion '9' is not an integer 0–6");
  await expect(skipped).toContainText('row 8: expected 2304 pixels, found 2303');
});

const malformed: { name: string; contents: () => Buffer; message: RegExp }[] = [
  { name: 'wrong-header.csv', contents: () => Buffer.from('label,image,split\n0,1 2 3,Training\n'), message: /column emotion and pixels is missing/ },
  { name: 'photo.csv', contents: () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13]), message: /not a CSV text file: it looks like a PNG image/ },
  { name: 'fer2013.zip', contents: () => Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), message: /ZIP archive/ },
  { name: 'empty.csv', contents: () => Buffer.alloc(0), message: /empty \(0 bytes\)/ },
  { name: 'nothing.zip', contents: () => Buffer.from(zipSync({})), message: /the ZIP archive is empty: it holds no files/ },
  { name: 'header-only.csv', contents: () => Buffer.from('emotion,pixels,Usage\n'), message: /no valid rows: it has a header but no data rows/ },
  { name: 'all-bad.csv', contents: () => Buffer.from(ferCsv([{ emotion: 8, usage: 'Training' }])), message: /no valid rows: all 1 data rows are invalid \(row 2: emotion '8'/ },
  { name: 'garbage.bin', contents: () => Buffer.from([1, 2, 3, 0, 0, 7, 8]), message: /binary data/ },
];

for (const file of malformed) {
  test(`malformed file ${file.name}: one clear error, the loaded data set stays`, async ({ datasetPanel, page }) => {
    await datasetPanel.loadDemo();
    await datasetPanel.upload({ name: file.name, buffer: file.contents() });
    await expect(datasetPanel.error()).toContainText(`Could not load ${file.name}:`);
    await expect(datasetPanel.error()).toContainText(file.message);
    await expect(datasetPanel.error()).toContainText('Nothing changed: Synthetic demo faces');
    await expect(datasetPanel.summary()).toContainText('synthetic');
    await expect(page.getByTestId('count-train-total')).toHaveText('1,400');
  });
}

test('the data set comes back after a reload, from this browser’s storage', async ({ datasetPanel, page }) => {
  await datasetPanel.loadDemo('tiny');
  const fingerprint = await datasetPanel.summary().locator('code').textContent();
  await page.reload();
  await expect(datasetPanel.summary()).toContainText('restored from this browser’s storage', { timeout: 30_000 });
  await expect(datasetPanel.summary().locator('code')).toHaveText(fingerprint!);
  await expect(page.getByTestId('count-train-total')).toHaveText('280');
});
