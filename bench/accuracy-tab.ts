// npm run bench:accuracy:tab -- [--recipe quick] [--budget-min M] [--csv PATH] [--out FILE.json] [--shots DIR]
//   [--labels ferplus:MODE [--ferplus PATH]] [--erase P] [--average D] [--estimate-again-s S]
// The time-budget recipe as a person runs it: in headless Chromium, through the app's own screens (drop the
// file, pick the preset, train in the tab's worker, evaluate PrivateTest with plain / mirror / ten-crop), so
// the tab's curve can be set beside `npm run bench:accuracy` (the same recipe in Node) from one JSON each.
// --labels ferplus:MODE picks fer2013new.csv (--ferplus PATH) together with the CSV, as a person drops both,
// runs a FER+ recipe (default ferplus-quick up to 30 min, ferplus-standard above) with MODE's targets, and
// evaluates on FER+'s majority-filtered test set (3,153 faces); the JSON adds labels, mode and testAcc.
// Ablations change one setting on the Train screen after the preset is picked: --erase P (random erasing,
// the share of faces), --average D (weight averaging, its decay per step). The JSON keeps the run's whole config.
// --estimate-again-s S: after the first on-device estimate (taken right after the load, as a person would),
// waits S seconds and estimates again, so both can be set beside the speed the epochs really ran at.
import { cpus, loadavg } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { findRecipe } from '../src/core/training/recipes';
import type { ModelMetadata } from '../src/core/model-format/model-metadata';
import { FERPLUS_CSV, FULL_CSV_GZ, ferDataDir, ferPlusDataDir } from '../scripts/fer-data';
import { parseLabelsOption } from '../scripts/node-training';
import type { Locator } from '@playwright/test';
import { launchChromium, startBenchServer } from './lib/browser';

const { values: args } = parseArgs({
  options: {
    recipe: { type: 'string' },
    'budget-min': { type: 'string' },
    labels: { type: 'string' },
    ferplus: { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
    shots: { type: 'string' },
    erase: { type: 'string' },
    average: { type: 'string' },
    'estimate-again-s': { type: 'string' },
  },
});
const mode = parseLabelsOption(args.labels);
const defaultRecipe = mode ? (args['budget-min'] && Number(args['budget-min']) > 30 ? 'ferplus-standard' : 'ferplus-quick') : 'quick';
const recipe = findRecipe(args.recipe ?? defaultRecipe);
if (!recipe) throw new Error(`unknown recipe ${args.recipe}`);
if ((recipe.labels === 'ferplus') !== (mode !== null)) throw new Error(`recipe ${recipe.name} ${mode ? 'is not a FER+ recipe' : 'needs --labels ferplus:MODE'}`);
const budgetMin = args['budget-min'] ? Number(args['budget-min']) : recipe.budgetMinutes;
const csv = args.csv ?? join(ferDataDir(), FULL_CSV_GZ);
const votes = mode ? (args.ferplus ?? join(ferPlusDataDir(), FERPLUS_CSV)) : null;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const log = (text: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);

/**
 * Waits for `target`, logging once a minute what `status` says (by default the end of the open screen), so that
 * a run that stalls can be read from its log; after `minutes`, saves a screenshot (with --shots) and fails.
 */
async function waitLogging(target: Locator, what: string, minutes: number, status?: Locator, failure?: Locator): Promise<void> {
  const page = target.page();
  for (let minute = 1; minute <= minutes; minute++) {
    try {
      await target.waitFor({ timeout: 60_000 });
      return;
    } catch {
      const text = await (status ?? page.locator('main')).innerText({ timeout: 5_000 }).catch(() => '');
      const shown = text.replace(/\s+/g, ' ').slice(status ? 0 : -300);
      log(`waiting for ${what}, minute ${minute}: ${shown}`);
      const failed = failure && (await failure.count()) > 0 ? await failure.first().innerText() : null;
      if (failed) {
        if (args.shots) await page.screenshot({ path: join(args.shots, `failed-${Date.now()}.png`), fullPage: true });
        throw new Error(`${what} failed: ${failed.replace(/\s+/g, ' ')}`);
      }
    }
  }
  if (args.shots) await page.screenshot({ path: join(args.shots, `stalled-${Date.now()}.png`), fullPage: true });
  throw new Error(`${what} did not finish in ${minutes} minutes`);
}

const { server, url } = await startBenchServer();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') log(`console ${message.type()}: ${message.text().slice(0, 500)}`);
  });
  page.on('crash', () => log('the page crashed'));
  await page.goto(url);
  log(`loading ${csv}${votes ? ` with ${votes}` : ''}`);
  await page.getByTestId('file-input').setInputFiles(votes ? [csv, votes] : csv);
  await page.getByTestId('dataset-summary').waitFor({ timeout: 300_000 });
  if (votes) await page.getByTestId('ferplus-panel').waitFor({ timeout: 60_000 });
  await page.getByRole('tab', { name: /Train/ }).click();
  await page.getByRole('radio', { name: new RegExp(escapeRegExp(recipe.title.split(' ·')[0])) }).check();
  if (mode) await page.getByLabel('Vote mode').selectOption(mode);
  await page.getByLabel('Budget (minutes)').fill(String(budgetMin));
  if (args.erase !== undefined) await page.getByLabel('Random erasing').fill(args.erase);
  if (args.average !== undefined) await page.getByLabel('Weight averaging').fill(args.average);
  await page.getByRole('button', { name: 'Estimate on this device' }).click();
  const estimate = await page.getByTestId('plan-estimate').filter({ hasText: /faces\/s|could not/ }).textContent({ timeout: 180_000 });
  log(`estimate: ${estimate}`);
  let estimateAgain: string | null = null;
  if (args['estimate-again-s'] !== undefined) {
    await page.waitForTimeout(Number(args['estimate-again-s']) * 1000);
    await page.getByRole('button', { name: 'Estimate on this device' }).click();
    await page.getByTestId('plan-estimate').filter({ hasText: 'Timing a few training batches' }).waitFor({ timeout: 60_000 });
    estimateAgain = await page.getByTestId('plan-estimate').filter({ hasText: /faces\/s|could not/ }).textContent({ timeout: 180_000 });
    log(`estimate again, ${args['estimate-again-s']} s later: ${estimateAgain}`);
  }
  await page.getByRole('button', { name: 'Start training' }).click();
  log(`training ${recipe.name} for ${budgetMin} min in the tab`);
  // A run that stops with an error, or that the screen calls stuck (StallNotice), ends the benchmark with its message.
  const failure = page.getByTestId('stall-notice').or(page.getByRole('alert').filter({ hasText: 'Training stopped' }));
  await waitLogging(page.getByTestId('training-result'), 'the training', budgetMin + 15, page.getByTestId('training-epoch'), failure);
  const speed = await page.getByTestId('training-speed').textContent();
  if (args.shots) {
    mkdirSync(args.shots, { recursive: true });
    await page.screenshot({ path: join(args.shots, `tab-${recipe.name}-train.png`), fullPage: true });
  }
  const meta = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('fer-trainer');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return new Promise<unknown[]>((resolve) => {
      const request = db.transaction('model-meta').objectStore('model-meta').getAll();
      request.onsuccess = () => resolve(request.result);
    });
  });
  const model = (meta as ModelMetadata[])[0];
  const history = model.training!.history;
  log(`trained: ${history.length} epochs, best PublicTest ${(model.training!.bestValAccuracy * 100).toFixed(2)} % (epoch ${model.training!.bestEpoch})`);

  await page.getByRole('tab', { name: /Evaluate/ }).click();
  await page.getByLabel('Test (PrivateTest)').check();
  await page.getByLabel(/Test-time augmentation/).check();
  await page.getByLabel(/Ten-crop \(four corners/).check();
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await waitLogging(page.getByTestId('eval-ten-crop-accuracy'), 'the evaluation', 10);
  const figure = async (id: string) => Number((await page.getByTestId(id).textContent())!.replace(/[^\d.]/g, '')) / 100;
  const result = {
    where: 'tab (headless Chromium, the app\u2019s screens and workers)',
    recipe: recipe.name,
    ...(mode ? { labels: 'ferplus', mode } : {}),
    classes: model.labels ?? null,
    budgetMin,
    architecture: model.architecture,
    epochs: history.length,
    bestEpoch: model.training!.bestEpoch,
    publicTestAcc: model.training!.bestValAccuracy,
    privateTestAcc: await figure('eval-accuracy'),
    privateTestAccTta2: await figure('eval-tta-accuracy'),
    privateTestAccTta10: await figure('eval-ten-crop-accuracy'),
    evaluatedFaces: await page.getByTestId('eval-rows').textContent(),
    lastShownSpeed: speed,
    estimate,
    ...(estimateAgain !== null ? { estimateAgain: { afterS: Number(args['estimate-again-s']), text: estimateAgain } } : {}),
    config: model.training!.config,
    curve: history.map((m) => ({ minutes: (m.trainingMs ?? 0) / 60_000, epoch: m.epoch, publicTestAcc: m.valAccuracy, trainLoss: m.loss, imgPerSec: m.imagesPerSecond, partial: m.partial ?? false })),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, loadAtEnd: loadavg()[0] },
    date: new Date().toISOString(),
  };
  if (args.shots) await page.screenshot({ path: join(args.shots, `tab-${recipe.name}-evaluate.png`), fullPage: true });
  log(`PrivateTest ${(result.privateTestAcc * 100).toFixed(2)} % plain, ${(result.privateTestAccTta2 * 100).toFixed(2)} % mirror, ${(result.privateTestAccTta10 * 100).toFixed(2)} % ten-crop`);
  const output = mode ? { ...result, testAcc: result.privateTestAcc, testAccTta2: result.privateTestAccTta2, testAccTta10: result.privateTestAccTta10 } : result;
  if (args.out) writeFileSync(args.out, `${JSON.stringify(output, null, 2)}\n`);
  console.log(JSON.stringify(output, null, 2));
} finally {
  await browser.close();
  await server.close();
}
