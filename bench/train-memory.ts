// npm run bench:train-memory [-- --csv PATH] [--seconds S] [--out FILE.json]
// The memory a training run costs on the real data, in headless Chromium through the app's screens: loads the
// full FER2013 CSV, waits until the data set is kept in IndexedDB, starts training (compact, 1 epoch), and
// samples V8 heap + ArrayBuffer backing stores of the page and each worker (CDP Runtime.getHeapUsage) from
// just before the start until S seconds of training have passed.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fullFerCsv } from '../scripts/fer-data';
import { HeapSampler, launchChromium, startBenchServer } from './lib/browser';

const { values: args } = parseArgs({ options: { csv: { type: 'string' }, seconds: { type: 'string', default: '40' }, out: { type: 'string' } } });
const mb = (bytes: number) => (bytes / 1e6).toFixed(0);

const csv = args.csv ?? (await fullFerCsv());
if (!csv) throw new Error('no CSV: pass --csv PATH or provide ../shared/data/fer2013/fer2013.csv.gz');
const { server, url } = await startBenchServer({});
const browser = await launchChromium(['--enable-precise-memory-info']);
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByTestId('file-input').setInputFiles(csv);
  await page.getByTestId('dataset-summary').waitFor({ timeout: 300_000 });
  const name = csv.split('/').pop()!;
  // Kept: the record in IndexedDB is this file (the page then sends the training worker its fingerprint).
  await page.waitForFunction(
    async (wanted) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('fer-trainer');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const record = await new Promise<{ name: string } | undefined>((resolve) => {
        const get = database.transaction('datasets').objectStore('datasets').get('last');
        get.onsuccess = () => resolve(get.result);
        get.onerror = () => resolve(undefined);
      });
      database.close();
      return record?.name === wanted;
    },
    name,
    { timeout: 120_000, polling: 500 },
  );
  await page.getByRole('tab', { name: /Train/ }).click();
  await page.locator('.architecture', { hasText: 'Compact' }).locator('input').check();
  await page.getByRole('radio', { name: 'For a number of epochs' }).check();
  await page.getByLabel('Epochs', { exact: true }).fill('1');
  await page.waitForTimeout(2000); // let the page settle after the load
  const sampler = await HeapSampler.create(browser, page);
  sampler.start(50);
  await page.waitForTimeout(1000);
  const settledPage = sampler.peakPage;
  await page.getByRole('button', { name: 'Start training' }).click();
  await page.waitForTimeout(Number(args.seconds) * 1000);
  sampler.stop();
  const faces = await page.getByTestId('training-panel').textContent();
  const result = { peakPage: sampler.peakPage, settledPage, peakWorker: sampler.peakWorker, peakTotal: sampler.peakTotal, peakByWorker: Object.fromEntries(sampler.peakByWorker) };
  console.log(`\nbench:train-memory — ${name}, compact, ${args.seconds} s of training in headless Chromium (WASM)\n`);
  console.log('| page before start | page peak | largest worker peak | page + workers peak |');
  console.log('|---|---|---|---|');
  console.log(`| ${mb(settledPage)} MB | ${mb(result.peakPage)} MB | ${mb(result.peakWorker)} MB | ${mb(result.peakTotal)} MB |`);
  console.log(`\nworker peaks: ${[...sampler.peakByWorker].map(([worker, bytes]) => `${worker} ${mb(bytes)} MB`).join(', ')}`);
  console.log(`\n(training panel: ${faces?.replace(/\s+/g, ' ').slice(0, 160)})`);
  if (args.out) writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await browser.close();
  await server.close();
}
