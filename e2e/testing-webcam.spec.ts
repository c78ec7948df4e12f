// End-to-end tests of the "Try it" screen's webcam mode, with Chromium's fake camera playing a video made here.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumPath, CHROMIUM_ARGS } from '../scripts/chromium';
import { rowPixels, writeFaceVideo } from './try-it';
import { data, expect, expectOnlySameOrigin, test, testRows } from './try-it-fixtures';

const videoDir = mkdtempSync(join(tmpdir(), 'fer-webcam-'));
const videoPath = join(videoDir, 'faces.y4m');
const videoFaces = [testRows[50], testRows[51]];
writeFaceVideo(videoPath, {
  width: 640,
  height: 480,
  frames: 6,
  faces: [
    { pixels: rowPixels(data.pixels, videoFaces[0]), x: 70, y: 120, width: 220, height: 220 },
    { pixels: rowPixels(data.pixels, videoFaces[1]), x: 360, y: 130, width: 210, height: 210 },
  ],
});

test.use({
  launchOptions: {
    executablePath: chromiumPath(),
    args: [
      ...CHROMIUM_ARGS,
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${videoPath}`,
    ],
  },
});

test('live boxes, labels and bars over the video with the frame rate; nothing leaves the page', async ({
  tryIt,
  page,
  context,
  requests,
}) => {
  await context.grantPermissions(['camera']);
  await page.getByRole('tab', { name: 'Webcam' }).click();
  await page.getByRole('button', { name: 'Start camera' }).click();
  // Two FER faces are in the video; the detector finds one or both (it finds ~85 % of FER faces, see README).
  await expect
    .poll(() => page.getByTestId('webcam-face').count(), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(1);
  // Let the rate settle (the window is 2 s), then read it.
  await page.waitForTimeout(6000);
  const fps = Number(await page.getByTestId('webcam-fps').getAttribute('data-fps'));
  const timing = await page.getByTestId('webcam-timing').textContent();
  console.log(`webcam: ${fps.toFixed(1)} fps analysed; ${timing}`);
  expect(fps).toBeGreaterThan(3); // a floor for a busy 2-core CI machine; see README for the measured rate
  await expect(page.getByTestId('webcam-overlay').locator('text').first()).toHaveText(
    /^\d+ · (Angry|Disgust|Fear|Happy|Sad|Surprise|Neutral) \d+ %$/,
  );
  // The faces keep their numbers from frame to frame (they do not move): sampled over a second.
  const ids = new Set<string>();
  for (let i = 0; i < 5; i++) {
    for (const id of await page.getByTestId('webcam-face').evaluateAll((faces) => faces.map((face) => face.getAttribute('data-face')!))) ids.add(id);
    await page.waitForTimeout(200);
  }
  expect(ids.size).toBeLessThanOrEqual(2);
  await page.getByLabel('Frames to smooth over').fill('10');
  await page.screenshot({ path: test.info().outputPath('webcam.png') });
  await page.getByRole('button', { name: 'Stop camera' }).click();
  await expect(page.getByRole('button', { name: 'Start camera' })).toBeVisible();
  // After the session: a timeline per face followed, and the session as CSV (a line per face per frame).
  const timelines = page.getByTestId('face-timeline');
  await expect(timelines.first()).toBeVisible();
  expect(await timelines.count()).toBe(ids.size);
  expect(Number(await timelines.first().getAttribute('data-points'))).toBeGreaterThan(10);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('webcam-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
  expect(csv[0]).toMatch(/^time_s,face,x,y,width,height,emotion,angry,.*,neutral_smoothed$/);
  expect(new Set(csv.slice(1).map((line) => line.split(',')[1]))).toEqual(ids);
  const points = await timelines.evaluateAll((charts) => charts.reduce((sum, chart) => sum + Number(chart.getAttribute('data-points')), 0));
  expect(csv.length - 1).toBe(points);
  expectOnlySameOrigin(requests, page);
  void tryIt;
});

test('camera permission denied: a clear message', async ({ tryIt, page, context }) => {
  await context.clearPermissions();
  await page.getByRole('tab', { name: 'Webcam' }).click();
  await page.getByRole('button', { name: 'Start camera' }).click();
  await expect(page.getByTestId('webcam-panel').getByRole('alert')).toContainText(
    'Camera permission was denied',
  );
  void tryIt;
});
