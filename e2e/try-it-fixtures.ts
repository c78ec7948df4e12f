// Playwright fixtures for the "Try it" specs: FER2013 faces (or synthetic ones), the test-time model, request recording.
import type { Page } from '@playwright/test';
import { ferDataFile, SAMPLE_CSV } from '../scripts/fer-data';
import { generateDemoBuffers } from '../src/core/demo/synthetic-faces';
import { PIXELS, USAGES } from '../src/core/dataset/face-format';
import { iou } from '../src/core/face-crop/boxes';
import type { Box } from '../src/core/face-crop/types';
import {
  fixtureClassifier,
  readFerCsv,
  serializeBundle,
  type FerRows,
  type FixtureClassifier,
  type SerializedBundle,
} from './fixture-model';
import { expect, test as base } from './fixtures';
import { rowPixels, TryItScreen, type FaceRow, type PlacedFace } from './try-it';

// ---- data: the real 2,000-row sample when present (required on CI), else synthetic faces ----

export const samplePath = ferDataFile(SAMPLE_CSV);
export const data: FerRows = samplePath
  ? readFerCsv(samplePath)
  : (() => {
      const demo = generateDemoBuffers({ training: 400, publicTest: 100, privateTest: 100, seed: 5 });
      return {
        pixels: demo.pixels,
        labels: demo.labels,
        usages: Array.from(demo.usage, (u) => USAGES[u]),
        count: demo.rows,
      };
    })();
const trainRows = [...Array(data.count).keys()]
  .filter((row) => data.usages[row] === 'Training')
  .slice(0, 400);
/** Faces for the photos: test rows only (never seen by the fixture's fitted head). */
export const testRows = [...Array(data.count).keys()].filter((row) => data.usages[row] !== 'Training');

let classifier: Promise<FixtureClassifier> | null = null;
let serialized: SerializedBundle | null = null;
export async function fixture(): Promise<{ model: FixtureClassifier; bundle: SerializedBundle }> {
  const model = await (classifier ??= fixtureClassifier(data, trainRows));
  serialized ??= serializeBundle(model.bundle);
  return { model, bundle: serialized };
}

// ---- fixtures: the screen with the model loaded, and every request the page makes ----

export const test = base.extend<{ tryIt: TryItScreen; requests: string[] }>({
  requests: async ({ context }, use) => {
    const urls: string[] = [];
    const record = (url: string) => urls.push(url);
    context.on('request', (request) => record(request.url()));
    await use(urls);
  },
  tryIt: async ({ page, requests }, use) => {
    void requests; // start recording before the page opens
    page.on('pageerror', (error) => console.error('page error:', error.message));
    const screen = new TryItScreen(page);
    await screen.open();
    await screen.useBundle((await fixture()).bundle);
    await use(screen);
  },
});

/** Every request stayed on the app's origin (blob: and data: URLs never leave the page). */
export function expectOnlySameOrigin(requests: string[], page: Page) {
  const origin = new URL(page.url()).origin;
  const outside = requests.filter(
    (url) => !url.startsWith('blob:') && !url.startsWith('data:') && new URL(url).origin !== origin,
  );
  expect(outside, `requests that left ${origin}`).toEqual([]);
  expect(requests.length).toBeGreaterThan(0);
}

export function argMax(values: ArrayLike<number>, from = 0, count = values.length): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[from + i] > values[from + best]) best = i;
  return best;
}

/** Faces laid out on a grid with seeded jitter in place and size (~200 px). */
export function layout(
  rows: number[],
  columns: number,
  cell: number,
  jitter: number,
  seed: number,
): PlacedFace[] {
  let state = seed;
  const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return rows.map((row, i) => {
    const size = Math.round(185 + random() * 30);
    return {
      pixels: rowPixels(data.pixels, row),
      x: Math.round((i % columns) * cell + 40 + random() * jitter),
      y: Math.round(Math.floor(i / columns) * cell + 40 + random() * jitter),
      width: size,
      height: size,
    };
  });
}

export function rowsPixels(rows: number[]): Uint8Array {
  const out = new Uint8Array(rows.length * PIXELS);
  rows.forEach((row, i) => out.set(data.pixels.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS));
  return out;
}

/** Matches each placed face to the detected face overlapping it most (IoU > 0.3), or null. */
export function match(placed: Box[], found: FaceRow[]): (FaceRow | null)[] {
  return placed.map((box) => {
    let best: FaceRow | null = null;
    for (const face of found)
      if (iou(box, face.box) > 0.3 && (!best || iou(box, face.box) > iou(box, best.box))) best = face;
    return best;
  });
}

export { expect };
