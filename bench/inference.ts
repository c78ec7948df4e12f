// npm run bench:inference — webcam inference (Tiny Face Detector + compact classifier) in headless Chromium with a
// fake camera, run in the app's inference worker and, for comparison, on the page's main thread.
// Usage: npm run bench:inference [-- --seconds N] [--backend wasm|webgl|cpu] [--out FILE.json]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ferDataFile, SAMPLE_CSV } from '../scripts/fer-data';
import { generateDemoBuffers } from '../src/core/demo/synthetic-faces';
import { readFerCsv } from '../e2e/fixture-model';
import { launchChromium, startBenchServer } from './lib/browser';
import { rowPixels, writeFaceVideo } from '../e2e/try-it';
import type { BenchResult } from './browser/inference-bench-result';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    backend: { type: 'string' },
    out: { type: 'string' },
  },
});

async function main() {
  // A 640x480 fake camera with two faces: the FER2013 test faces the webcam e2e uses when the sample is there (the detector finds
  // them), else synthetic ones (the detector finds none, so only detection is measured).
  const sample = ferDataFile(SAMPLE_CSV);
  const demo = sample
    ? readFerCsv(sample)
    : generateDemoBuffers({ training: 7, publicTest: 0, privateTest: 0, seed: 1 });
  if (!sample) console.warn('FER2013 sample not found: synthetic faces, which the detector does not find');
  const video = join(mkdtempSync(join(tmpdir(), 'fer-bench-')), 'faces.y4m');
  writeFaceVideo(video, {
    width: 640,
    height: 480,
    frames: 6,
    faces: [
      { pixels: rowPixels(demo.pixels, sample ? 217 : 3), x: 70, y: 120, width: 220, height: 220 },
      { pixels: rowPixels(demo.pixels, sample ? 219 : 5), x: 360, y: 130, width: 210, height: 210 },
    ],
  });
  const { server, url } = await startBenchServer({ inference: 'bench/browser/inference-bench.html' });
  const browser = await launchChromium([
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
  ]);
  const results: BenchResult[] = [];
  try {
    // The app's webcam detects on every 3rd frame (WEBCAM_DETECT_EVERY); every frame is the old way, for comparison.
    for (const [where, detectEvery] of [['worker', 3], ['worker', 1], ['page', 1]] as const) {
      const context = await browser.newContext();
      await context.grantPermissions(['camera']);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('page error:', error.message));
      await page.goto(
        `${url}/bench/browser/inference-bench.html${args.backend ? `?backend=${args.backend}` : ''}`,
      );
      await page.waitForFunction(() => 'runInferenceBench' in window);
      results.push(
        await page.evaluate(
          ([w, seconds, backend, every]) =>
            (
              window as unknown as {
                runInferenceBench: (w: string, s: number, b: string | undefined, every: number) => Promise<BenchResult>;
              }
            ).runInferenceBench(w, seconds, backend, every),
          [where, Number(args.seconds), args.backend, detectEvery] as const,
        ),
      );
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  console.table(
    results.map((r) => ({
      where: r.where,
      'detect every': r.detectEvery,
      backend: r.backend,
      fps: r.fps.toFixed(1),
      'worker ms/frame': r.medianWorkerMs.toFixed(1),
      'read ms': r.medianReadMs.toFixed(1),
      'detect ms': r.medianDetectMs.toFixed(1),
      'classify ms': r.medianClassifyMs.toFixed(1),
      faces: r.faces,
      'page frames > 50 ms': r.longFrames,
      'longest page frame ms': r.maxFrameGapMs.toFixed(0),
    })),
  );
  if (args.out) writeFileSync(args.out, JSON.stringify(results, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
