// Try it on a video file: a WebM made here (MediaRecorder over a canvas of real FER2013 faces, as a browser's
// own recording would be), analysed at a chosen rate with progress and cancel, faces numbered and followed,
// timelines, scrubbing with boxes, CSV; and files that are not videos.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { rowPixels } from './try-it';
import { data, expect, expectOnlySameOrigin, test, testRows } from './try-it-fixtures';

/** A WebM of `seconds` with two FER faces drifting slowly across a plain background, recorded in the page. */
async function recordFaceVideo(page: Page, seconds: number): Promise<Buffer> {
  const faces = [rowPixels(data.pixels, testRows[60]), rowPixels(data.pixels, testRows[61])].map((pixels) => Array.from(pixels));
  const base64 = await page.evaluate(
    async ({ faces, seconds }) => {
      const canvas = document.createElement('canvas');
      canvas.width = 640;
      canvas.height = 480;
      const g = canvas.getContext('2d')!;
      const tiles = faces.map((pixels) => {
        const tile = document.createElement('canvas');
        tile.width = tile.height = 48;
        const image = new ImageData(48, 48);
        pixels.forEach((v, i) => image.data.set([v, v, v, 255], i * 4));
        tile.getContext('2d')!.putImageData(image, 0, 0);
        return tile;
      });
      const stream = canvas.captureStream(25);
      const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8' });
      const chunks: Blob[] = [];
      recorder.ondataavailable = (e) => chunks.push(e.data);
      const stopped = new Promise((resolve) => (recorder.onstop = resolve));
      recorder.start();
      const started = performance.now();
      await new Promise<void>((resolve) => {
        const draw = () => {
          const t = (performance.now() - started) / 1000;
          g.fillStyle = '#8a9a7a';
          g.fillRect(0, 0, 640, 480);
          g.drawImage(tiles[0], 60 + t * 10, 120, 220, 220);
          g.drawImage(tiles[1], 360 - t * 10, 130, 210, 210);
          if (t < seconds) requestAnimationFrame(draw);
          else resolve();
        };
        draw();
      });
      recorder.stop();
      await stopped;
      const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    },
    { faces, seconds },
  );
  return Buffer.from(base64, 'base64');
}

test('a video file: analysed at 5 frames a second, faces followed with timelines, scrubbable, saved as CSV', async ({ tryIt, page, requests }) => {
  const video = await recordFaceVideo(page, 3);
  await page.getByRole('tab', { name: 'Video' }).click();
  await page.getByTestId('video-input').setInputFiles({ name: 'faces.webm', mimeType: 'video/webm', buffer: video });
  // A MediaRecorder WebM states no length: the app finds it.
  // (How long the recording came out depends on the machine's load: read it.)
  await expect(page.getByTestId('video-info')).toContainText(/faces\.webm · ([1-9]|\d\d)\.\d s/, { timeout: 30_000 });
  const seconds = Number((await page.getByTestId('video-info').textContent())!.match(/([\d.]+) s/)![1]);
  await page.getByLabel('Frames per second to analyse').selectOption('5');
  await page.getByRole('button', { name: 'Analyse the video' }).click();
  await expect(page.getByTestId('video-progress')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const analysed = Number((await page.getByTestId('video-progress').textContent())!.match(/(\d+) frames analysed/)![1]);
  expect(Math.abs(analysed - seconds * 5)).toBeLessThanOrEqual(1.5); // one every 0.2 s of video

  // Two drifting faces, each keeping its number: one timeline each (a missed detection may add a third).
  const timelines = page.getByTestId('face-timeline');
  await expect(timelines.first()).toBeVisible();
  const faces = await timelines.count();
  expect(faces).toBeGreaterThanOrEqual(1);
  expect(faces).toBeLessThanOrEqual(3);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('video-csv').click()]);
  expect(download.suggestedFilename()).toBe('faces-faces.csv');
  const csv = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
  const points = await timelines.evaluateAll((charts) => charts.reduce((sum, chart) => sum + Number(chart.getAttribute('data-points')), 0));
  expect(csv.length - 1).toBe(points);
  expect(points).toBeGreaterThanOrEqual(analysed); // about two faces per frame

  // Scrubbing to 0.9 s shows the boxes of the frame analysed there (at 0.8 s).
  await page.getByTestId('video').evaluate((element: HTMLVideoElement) => (element.currentTime = 0.9));
  await expect(page.getByTestId('video-overlay')).toHaveAttribute('data-time', '800');
  await expect(page.getByTestId('video-face').first()).toHaveAttribute('data-top', /^(Angry|Disgust|Fear|Happy|Sad|Surprise|Neutral)$/);
  await page.screenshot({ path: test.info().outputPath('video.png'), fullPage: true });

  // Cancel stops a run part-way.
  await page.getByLabel('Frames per second to analyse').selectOption('10');
  await page.getByRole('button', { name: 'Analyse the video' }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('video-progress')).toHaveAttribute('data-status', 'cancelled');
  expect(Number((await page.getByTestId('video-progress').textContent())!.match(/(\d+) frames/)![1])).toBeLessThan(30);
  expectOnlySameOrigin(requests, page);
  void tryIt;
});

test('files that are not playable videos get one message naming them', async ({ tryIt, page }) => {
  await page.getByRole('tab', { name: 'Video' }).click();
  await page.getByTestId('video-input').setInputFiles({ name: 'empty.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(0) });
  await expect(page.getByTestId('video-error')).toContainText('empty.mp4 is empty (0 bytes)');
  await page.getByTestId('video-input').setInputFiles({ name: 'notes.webm', mimeType: 'video/webm', buffer: Buffer.from('this is not a video at all') });
  await expect(page.getByTestId('video-error')).toContainText(/notes\.webm (cannot be played by this browser|is damaged or cut short|could not be opened as a video)/);
  void tryIt;
});
