// npm run bench:ingest — loads the full FER2013 CSV in headless Chromium through the app's real dataset
// worker, and through a plain papaparse worker in the same run, and prints speed and memory side by side;
// then Kaggle's image release (a ZIP of 35,887 JPEGs in class folders) through the same screen.
// Usage: npm run bench:ingest [-- --csv PATH] [--images ZIP] [--only csv|images] [--runs N] [--out FILE.json]
import { writeFileSync } from 'node:fs';
import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ferDataFile, fullFerCsv, IMAGES_ZIP } from '../scripts/fer-data';
import { HeapSampler, launchChromium, startBenchServer } from './lib/browser';
import { median } from '../src/core/statistics';

const { values: args } = parseArgs({
  options: { csv: { type: 'string' }, images: { type: 'string' }, only: { type: 'string' }, runs: { type: 'string', default: '5' }, out: { type: 'string' } },
});

interface RunResult {
  totalMs: number;
  parseMs: number;
  firstProgressMs: number;
  rows: number;
  peakWorkerBytes: number;
  peakTotalBytes: number;
}

const mb = (bytes: number) => bytes / 1e6;

async function main() {
  const results: Record<string, unknown> = {};
  if (args.only !== 'images') results.csv = await benchCsv();
  if (args.only !== 'csv') results.images = await benchImages();
  if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2));
}

/** Kaggle's image zip through the app's Data screen: end to end, images/s and peak memory. */
async function benchImages() {
  const zip = args.images ?? ferDataFile(IMAGES_ZIP);
  if (!zip) throw new Error(`no image zip: pass --images PATH or provide ../shared/data/fer2013/${IMAGES_ZIP}`);
  const bytes = statSync(zip).size;
  const runs = Number(args.runs);
  const { server, url } = await startBenchServer({});
  const browser = await launchChromium(['--enable-precise-memory-info']);
  try {
    const memory = await runApp(url, zip, browser, true);
    const timed: RunResult[] = [];
    for (let i = 0; i < runs; i++) {
      timed.push(await runApp(url, zip, browser));
      process.stderr.write(`image run ${i + 1}/${runs} done\n`);
    }
    const totalMs = median(timed.map((r) => r.totalMs));
    const rows = timed[0].rows;
    const finalArrays = rows * 2306;
    console.log(`\nbench:ingest — image folders: ${mb(bytes).toFixed(1)} MB ZIP, median of ${runs} runs, headless Chromium\n`);
    console.log('| loader | images | end to end (runs) | images/s | first progress | peak heap, worker | peak heap, page + workers (× final arrays) |');
    console.log('|---|---|---|---|---|---|---|');
    console.log(
      `| app, image zip (ImageDecoder in the dataset worker) | ${rows} | ${(totalMs / 1000).toFixed(2)} s (${timed.map((r) => (r.totalMs / 1000).toFixed(1)).join(', ')}) | ` +
        `${((rows / totalMs) * 1000).toFixed(0)} | ${median(timed.map((r) => r.firstProgressMs)).toFixed(0)} ms | ${mb(memory.peakWorkerBytes).toFixed(0)} MB | ` +
        `${mb(memory.peakTotalBytes).toFixed(0)} MB (${(memory.peakTotalBytes / finalArrays).toFixed(2)}×) |`,
    );
    return { bytes, finalArrayBytes: finalArrays, totalMs, rows, peakWorkerBytes: memory.peakWorkerBytes, peakTotalBytes: memory.peakTotalBytes, runs: timed };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function benchCsv() {
  const csv = args.csv ?? (await fullFerCsv());
  if (!csv) throw new Error('no CSV: pass --csv PATH or provide ../shared/data/fer2013/fer2013.csv.gz');
  const bytes = statSync(csv).size;
  const runs = Number(args.runs);
  const { server, url } = await startBenchServer({ baseline: 'bench/browser/ingest-baseline.html' });
  const browser = await launchChromium(['--enable-precise-memory-info']);
  try {
    const app: RunResult[] = [];
    const baseline: RunResult[] = [];
    // The memory runs come first and also warm the OS page cache, so every timed run reads the file alike.
    const appMemory = await runApp(url, csv, browser, true);
    const baselineMemory = await runBaseline(url, csv, browser, true);
    for (let i = 0; i < runs; i++) {
      app.push(await runApp(url, csv, browser));
      baseline.push(await runBaseline(url, csv, browser));
      process.stderr.write(`run ${i + 1}/${runs} done\n`);
    }
    return report(bytes, app, baseline, appMemory, baselineMemory);
  } finally {
    await browser.close();
    await server.close();
  }
}

type BrowserHandle = Awaited<ReturnType<typeof launchChromium>>;

/**
 * One load through the app's UI. With sampleHeap, heap usage is polled over CDP; that attaches a debugger
 * session to the worker and slows it, so timed runs leave it off and one extra run measures memory.
 */
async function runApp(url: string, csv: string, browser: BrowserHandle, sampleHeap = false): Promise<RunResult> {
  const page = await browser.newPage();
  await page.goto(url);
  // Record when the file input fires and when the first progress line appears.
  await page.evaluate(() => {
    const marks: Record<string, number> = {};
    (window as unknown as { __bench: Record<string, number> }).__bench = marks;
    document.addEventListener('change', () => (marks.change = performance.now()), { capture: true });
    new MutationObserver(() => {
      if (!marks.progress && document.querySelector('[data-testid=load-progress-text]')) marks.progress = performance.now();
    }).observe(document.body, { childList: true, subtree: true });
  });
  const sampler = sampleHeap ? await HeapSampler.create(browser, page) : null;
  sampler?.start();
  const started = Date.now();
  await page.getByTestId('file-input').setInputFiles(csv);
  const summary = page.getByTestId('dataset-summary');
  await summary.waitFor({ timeout: 300_000 });
  const wallMs = Date.now() - started;
  sampler?.stop();
  const loadMs = Number(await summary.getAttribute('data-load-ms'));
  const parseMs = Number(await summary.getAttribute('data-parse-ms'));
  const rows = Number((await page.getByTestId('dataset-rows').textContent())!.replace(/,/g, ''));
  const marks = await page.evaluate(() => (window as unknown as { __bench: Record<string, number> }).__bench);
  await page.close();
  return {
    totalMs: Math.min(loadMs, wallMs),
    parseMs,
    firstProgressMs: marks.progress - marks.change,
    rows,
    peakWorkerBytes: sampler?.peakWorker ?? 0,
    peakTotalBytes: sampler?.peakTotal ?? 0,
  };
}

async function runBaseline(url: string, csv: string, browser: BrowserHandle, sampleHeap = false): Promise<RunResult> {
  const page = await browser.newPage();
  await page.goto(`${url}/bench/browser/ingest-baseline.html`);
  const sampler = sampleHeap ? await HeapSampler.create(browser, page) : null;
  sampler?.start();
  await page.locator('#file').setInputFiles(csv);
  await page.locator('#out').filter({ hasText: /rows|error/ }).waitFor({ timeout: 600_000 });
  sampler?.stop();
  const result = JSON.parse((await page.locator('#out').textContent())!) as { rows: number; ms: number; firstChunkMs: number; error?: string };
  await page.close();
  if (result.error) throw new Error(`baseline failed: ${result.error}`);
  return {
    totalMs: result.ms,
    parseMs: result.ms,
    firstProgressMs: result.firstChunkMs,
    rows: result.rows,
    peakWorkerBytes: sampler?.peakWorker ?? 0,
    peakTotalBytes: sampler?.peakTotal ?? 0,
  };
}

function report(bytes: number, app: RunResult[], baseline: RunResult[], appMemory: RunResult, baselineMemory: RunResult) {
  const summarize = (runs: RunResult[], memory: RunResult) => ({
    totalMs: median(runs.map((r) => r.totalMs)),
    parseMs: median(runs.map((r) => r.parseMs)),
    firstProgressMs: median(runs.map((r) => r.firstProgressMs)),
    rows: runs[0].rows,
    peakWorkerBytes: memory.peakWorkerBytes,
    peakTotalBytes: memory.peakTotalBytes,
  });
  const a = summarize(app, appMemory);
  const b = summarize(baseline, baselineMemory);
  const finalArrays = a.rows * 2306; // pixels + label + usage bytes
  const line = (name: string, r: ReturnType<typeof summarize>, parseLabel: string) =>
    `| ${name} | ${r.rows} | ${(r.totalMs / 1000).toFixed(2)} s | ${(mb(bytes) / (r.totalMs / 1000)).toFixed(0)} MB/s | ` +
    `${parseLabel} | ${((r.rows / r.totalMs) * 1000).toFixed(0)} | ${r.firstProgressMs.toFixed(0)} ms | ` +
    `${mb(r.peakWorkerBytes).toFixed(0)} MB | ${mb(r.peakTotalBytes).toFixed(0)} MB (${(r.peakTotalBytes / finalArrays).toFixed(2)}×) |`;
  console.log(`\nbench:ingest — ${mb(bytes).toFixed(1)} MB CSV, median of ${app.length} runs, headless Chromium\n`);
  console.log('| loader | rows | end to end | MB/s | parse only | rows/s | first progress | peak heap, worker | peak heap, page + workers (× final arrays) |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(line('app (real dataset worker: parse + stats + transfer)', a, `${(mb(bytes) / (a.parseMs / 1000)).toFixed(0)} MB/s`));
  console.log(line('plain papaparse + split(" ").map(Number)', b, '(same)'));
  console.log(`\nspeed-up vs baseline: ${(b.totalMs / a.totalMs).toFixed(2)}× end to end; final arrays ${mb(finalArrays).toFixed(1)} MB`);
  console.log('heap = V8 used heap + ArrayBuffer backing stores (CDP Runtime.getHeapUsage), sampled every 25 ms in one extra');
  console.log('run per loader (sampling attaches a debugger to the worker and slows it, so timed runs do not sample)');
  return { bytes, finalArrayBytes: finalArrays, app: a, baseline: b, runs: { app, baseline } };
}

await main();
