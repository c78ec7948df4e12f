// FER+ in the app: fer2013.csv + Microsoft's fer2013new.csv picked together (votes joined by row order,
// FER+'s eight classes, majority counts as the data README states them), a file in another order refused
// naming its first disagreeing row while the data set loaded stays (on screen and stored), fer2013new.csv
// dropped onto a loaded CSV, and FER+'s own folder layout (the 2,000-face sample zip).
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { unzipSync } from 'fflate';
import { ferPlusDataFile, FERPLUS_CSV, FERPLUS_SAMPLE_ZIP, ferDataFile, fullFerCsv, SAMPLE_CSV } from '../scripts/fer-data';
import { parseFerPlusCsv, parseFerPlusFolderLabels } from '../src/core/ferplus/label-file';
import { FERPLUS_EMOTIONS, processVotes, VOTES_PER_FACE } from '../src/core/ferplus/votes';
import { ferCsv } from '../src/core/testing/fer-rows';
import { expect, test } from './fixtures';

const USAGE_NAMES = ['Training', 'PublicTest', 'PrivateTest'] as const;
const SPLIT_KEYS = ['train', 'validation', 'test'] as const;

/** Name, rows and a few bytes of the data set the worker stored for the next visit, once it is `name`. */
async function storedDataset(page: Page, name: string) {
  const stored = await page.waitForFunction(
    async (wanted) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('fer-trainer');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const record = await new Promise<{ name: string; rows: number; fingerprint: string; votes?: Uint8Array; labelSet: { names: string[] } } | undefined>((resolve, reject) => {
        const get = database.transaction('datasets').objectStore('datasets').get('last');
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => reject(get.error);
      });
      database.close();
      if (record?.name !== wanted) return null;
      return { name: record.name, rows: record.rows, fingerprint: record.fingerprint, votes: record.votes?.length ?? 0, classes: record.labelSet.names };
    },
    name,
    { timeout: 60_000 },
  );
  return (await stored.jsonValue())!;
}

/** Per split, the counts per class that majority voting keeps (LABEL_NONE left out). */
function majorityCounts(votes: Uint8Array, usage: ArrayLike<number>) {
  const { majority } = processVotes(votes, usage.length, 'majority');
  const counts = SPLIT_KEYS.map(() => new Array<number>(8).fill(0));
  for (let row = 0; row < usage.length; row++) if (majority[row] < 8) counts[usage[row]][majority[row]]++;
  return counts;
}

/** Picks several files at once through the Data screen's file input (as a person selecting both). */
const pickFiles = (page: Page, paths: string[]) => page.getByTestId('file-input').setInputFiles(paths);

const fmt = (n: number) => n.toLocaleString('en-US');

async function expectCounts(page: Page, counts: number[][]) {
  for (const [s, key] of SPLIT_KEYS.entries()) {
    await expect(page.getByTestId(`count-${key}-total`)).toHaveText(fmt(counts[s].reduce((a, b) => a + b, 0)));
    for (const [k, name] of FERPLUS_EMOTIONS.entries()) await expect(page.getByTestId(`count-${key}-${name}`)).toHaveText(fmt(counts[s][k]));
  }
}

test('fer2013.csv + fer2013new.csv picked together: FER+\u2019s 8 classes and majority counts, the votes panel; a shuffled CSV is refused by row and the pair stays', async ({ datasetPanel, page }) => {
  const votesPath = ferPlusDataFile(FERPLUS_CSV);
  const samplePath = ferDataFile(SAMPLE_CSV);
  const facesPath = await fullFerCsv();
  test.skip(votesPath === null || samplePath === null || facesPath === null, 'FER2013 / FER+ data not present (CI must have them)');
  const labelFile = parseFerPlusCsv(readFileSync(votesPath!, 'utf8'));

  await pickFiles(page, [facesPath!, votesPath!]);
  const name = 'fer2013.csv + fer2013new.csv (FER+ votes)';
  await expect(datasetPanel.summary()).toContainText(name, { timeout: 120_000 });
  await expect(datasetPanel.summary()).toContainText('35,887 faces');
  // The data README's majority counts (fer2013new.csv): 25,060 / 3,199 / 3,153 kept, the test set per class.
  await expect(page.getByTestId('count-train-total')).toHaveText('25,060');
  await expect(page.getByTestId('count-validation-total')).toHaveText('3,199');
  await expect(page.getByTestId('count-test-total')).toHaveText('3,153');
  const test8 = { Neutral: 1090, Happiness: 893, Surprise: 396, Sadness: 384, Anger: 273, Fear: 83, Disgust: 18, Contempt: 16 };
  for (const [emotion, count] of Object.entries(test8)) await expect(page.getByTestId(`count-test-${emotion}`)).toHaveText(fmt(count));
  await expect(page.getByTestId('counts-table').locator('tbody tr')).toHaveCount(8);
  await expectCounts(page, majorityCounts(labelFile.votes, labelFile.usage));

  // The votes panel: kept per split and mode (README: cross-entropy keeps 27,956 / 3,505 / 3,505), shares, faces.
  const panel = page.getByTestId('ferplus-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('ferplus-faces-Training')).toHaveText('28,709');
  await expect(page.getByTestId('ferplus-kept-Training-majority')).toContainText('25,060');
  await expect(page.getByTestId('ferplus-kept-PrivateTest-majority')).toContainText('3,153');
  for (const [usage, count] of [['Training', '27,956'], ['PublicTest', '3,505'], ['PrivateTest', '3,505']]) {
    await expect(page.getByTestId(`ferplus-kept-${usage}-crossentropy`)).toContainText(count);
    await expect(page.getByTestId(`ferplus-kept-${usage}-probability`)).toContainText(count);
  }
  await expect(page.getByTestId('ferplus-kept-all-majority')).toContainText(`${fmt(25_060 + 3_199 + 3_153)} −${fmt(35_887 - 25_060 - 3_199 - 3_153)}`);
  await expect(page.getByTestId('ferplus-vote-shares').locator('.vote-share')).toHaveCount(10);
  await expect(page.getByTestId('ferplus-share-Happiness')).toHaveText(/\d+\.\d %/);
  await expect(page.getByTestId('ferplus-vote-faces').locator('figure')).toHaveCount(10);
  await expect(page.getByTestId('ferplus-vote-faces').locator('figcaption').first()).toContainText(/Neutral \d+/);
  const stored = await storedDataset(page, name);
  expect(stored).toMatchObject({ rows: 35_887, votes: 35_887 * VOTES_PER_FACE, classes: [...FERPLUS_EMOTIONS] });
  await page.screenshot({ path: test.info().outputPath('ferplus-pair.png'), fullPage: true });

  // The 2,000-row sample is shuffled: refused, naming the first row whose Usage disagrees; the pair stays.
  const sampleUsage = readFileSync(samplePath!, 'utf8').trimEnd().split('\n').slice(1).map((line) => USAGE_NAMES.indexOf(line.slice(line.lastIndexOf(',') + 1).trim() as (typeof USAGE_NAMES)[number]));
  const first = sampleUsage.findIndex((usage, row) => usage !== labelFile.usage[row]);
  expect(first).toBeGreaterThanOrEqual(0);
  await pickFiles(page, [votesPath!, samplePath!]);
  const refusal = `fer2013new.csv row ${first + 2}: Usage is ${USAGE_NAMES[labelFile.usage[first]]}, but row ${first + 2} of ${SAMPLE_CSV} is ${USAGE_NAMES[sampleUsage[first]]}`;
  // The join is refused once the 2,000 faces are parsed: seconds, more on a busy machine.
  await expect(datasetPanel.error()).toContainText(refusal, { timeout: 60_000 });
  await expect(datasetPanel.error()).toContainText(`Nothing changed: ${name} is still loaded.`);
  await expect(datasetPanel.summary()).toContainText(name);
  await expect(page.getByTestId('count-test-total')).toHaveText('3,153');
  expect(await storedDataset(page, name)).toEqual(stored);
});

test('fer2013new.csv dropped onto a loaded CSV joins it by row; dropped alone with nothing loaded, it asks for fer2013.csv', async ({ datasetPanel, page }) => {
  const votesPath = ferPlusDataFile(FERPLUS_CSV);
  test.skip(votesPath === null, 'FER+ data not present (CI must have it)');
  // The first 300 rows of fer2013new.csv, with made-up faces of the same Usage (fast: no 300 MB parse).
  const lines = readFileSync(votesPath!, 'utf8').split(/\r?\n/).slice(0, 301);
  const votesText = lines.join('\r\n') + '\r\n';
  const labelFile = parseFerPlusCsv(votesText);
  await datasetPanel.drop('fer2013new.csv', votesText);
  await expect(datasetPanel.error()).toContainText('fer2013new.csv holds FER+\u2019s crowd votes for the faces of fer2013.csv, not faces: drop it together with fer2013.csv');

  const faces = ferCsv(Array.from(labelFile.usage, (usage, i) => ({ emotion: i % 7, usage: USAGE_NAMES[usage] })));
  await datasetPanel.upload({ name: 'first-300.csv', buffer: Buffer.from(faces) });
  await expect(datasetPanel.summary()).toContainText('300 faces');
  await storedDataset(page, 'first-300.csv');
  await datasetPanel.drop('fer2013new.csv', votesText);
  const name = 'first-300.csv + fer2013new.csv (FER+ votes)';
  await expect(datasetPanel.summary()).toContainText(name);
  await expectCounts(page, majorityCounts(labelFile.votes, labelFile.usage));
  await expect(page.getByTestId('ferplus-faces-all')).toHaveText('300');
  expect(await storedDataset(page, name)).toMatchObject({ rows: 300, votes: 300 * VOTES_PER_FACE });
});

test('FER+\u2019s folder layout (the 2,000-face sample zip): splits from FER2013Train/Valid/Test, votes from label.csv, majority counts', async ({ datasetPanel, page }) => {
  const zipPath = ferPlusDataFile(FERPLUS_SAMPLE_ZIP);
  test.skip(zipPath === null, 'FER+ sample zip not present (CI must have it)');
  const entries = unzipSync(readFileSync(zipPath!), { filter: (file) => file.name.endsWith('label.csv') });
  const folders = ['FER2013Train', 'FER2013Valid', 'FER2013Test'];
  const parts = folders.map((folder) => parseFerPlusFolderLabels(new TextDecoder().decode(entries[`${folder}/label.csv`]), folder));
  const votes = new Uint8Array(parts.reduce((n, part) => n + part.votes.length, 0));
  const usage: number[] = [];
  parts.forEach((part, split) => {
    votes.set(part.votes, usage.length * VOTES_PER_FACE);
    usage.push(...new Array<number>(part.rows).fill(split));
  });
  expect(parts.map((part) => part.rows)).toEqual([1600, 200, 200]);

  await datasetPanel.upload(zipPath!);
  await expect(datasetPanel.summary()).toContainText('2,000 faces', { timeout: 60_000 });
  await expect(page.getByTestId('image-folder-facts')).toContainText('FER+\u2019s folders (FER2013Train/, FER2013Valid/, FER2013Test/)');
  await expect(page.getByTestId('image-folder-facts')).toContainText('the 2,000 faces kept were all 48×48');
  await expect(page.getByTestId('image-folder-splits')).toContainText('FER2013Train/ is for training (Training), FER2013Valid/ for validation (PublicTest) and FER2013Test/ for testing (PrivateTest)');
  await expect(page.getByTestId('skipped-rows')).toHaveCount(0);
  for (const [s, usageName] of USAGE_NAMES.entries()) await expect(page.getByTestId(`ferplus-faces-${usageName}`)).toHaveText(fmt(parts[s].rows));
  await expectCounts(page, majorityCounts(votes, usage));
  await expect(page.getByTestId('ferplus-kept-Training-majority')).toContainText(fmt(majorityCounts(votes, usage)[0].reduce((a, b) => a + b, 0)));
});
