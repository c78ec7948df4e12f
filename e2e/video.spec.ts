// Try it on a video file: a WebM made here (FER2013 faces drawn on a canvas, encoded in the page with WebCodecs at
// explicit timestamps, and muxed as a browser's streamed MediaRecorder recording is: no length in its header), so
// the video is the same whatever the machine's load; analysed at a chosen rate with progress and cancel, faces
// numbered and followed, timelines, scrubbing with boxes, CSV; and files that are not videos.
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { rowPixels } from './try-it';
import { data, expect, expectOnlySameOrigin, test, testRows } from './try-it-fixtures';
import { muxWebm, type EncodedFrame } from './webm';

const WIDTH = 640;
const HEIGHT = 480;

/**
 * VP8 frames of `seconds` at `fps` (a key frame each second) with two FER faces drifting slowly across a plain
 * background: frame i is drawn for time i / fps and stamped with it, so no frame depends on the wall clock.
 */
async function encodeFaceFrames(page: Page, seconds: number, fps: number): Promise<EncodedFrame[]> {
  const faces = [rowPixels(data.pixels, testRows[60]), rowPixels(data.pixels, testRows[61])].map((pixels) => Array.from(pixels));
  const chunks = await page.evaluate(
    async ({ faces, seconds, fps, width, height }) => {
      const canvas = new OffscreenCanvas(width, height);
      const g = canvas.getContext('2d')!;
      const tiles = faces.map((pixels) => {
        const tile = new OffscreenCanvas(48, 48);
        const image = new ImageData(48, 48);
        pixels.forEach((v, i) => image.data.set([v, v, v, 255], i * 4));
        tile.getContext('2d')!.putImageData(image, 0, 0);
        return tile;
      });
      const encoded: { timestampUs: number; key: boolean; data: string }[] = [];
      let failure: unknown = null;
      const encoder = new VideoEncoder({
        output: (chunk) => {
          const bytes = new Uint8Array(chunk.byteLength);
          chunk.copyTo(bytes);
          let text = '';
          for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          encoded.push({ timestampUs: chunk.timestamp, key: chunk.type === 'key', data: btoa(text) });
        },
        error: (error) => (failure = error),
      });
      encoder.configure({ codec: 'vp8', width, height, bitrate: 1_000_000, framerate: fps });
      const frameUs = 1e6 / fps;
      for (let i = 0; i < Math.round(seconds * fps); i++) {
        const t = i / fps;
        g.fillStyle = '#8a9a7a';
        g.fillRect(0, 0, width, height);
        g.drawImage(tiles[0], 60 + t * 10, 120, 220, 220);
        g.drawImage(tiles[1], 360 - t * 10, 130, 210, 210);
        const frame = new VideoFrame(canvas, { timestamp: Math.round(i * frameUs), duration: Math.round(frameUs) });
        encoder.encode(frame, { keyFrame: i % fps === 0 });
        frame.close();
      }
      await encoder.flush();
      encoder.close();
      if (failure) throw failure;
      return encoded;
    },
    { faces, seconds, fps, width: WIDTH, height: HEIGHT },
  );
  return chunks.map((chunk) => ({ timestampUs: chunk.timestampUs, key: chunk.key, data: new Uint8Array(Buffer.from(chunk.data, 'base64')) }));
}

test('a video file: analysed at 5 frames a second, faces followed with timelines, scrubbable, saved as CSV', async ({ tryIt, page, requests }) => {
  // 3 s at 25 frames a second: frames at 0, 0.04, …, 2.96 s.
  const video = muxWebm(await encodeFaceFrames(page, 3, 25), { width: WIDTH, height: HEIGHT });
  await page.getByRole('tab', { name: 'Video' }).click();
  await page.getByTestId('video-input').setInputFiles({ name: 'faces.webm', mimeType: 'video/webm', buffer: video });
  // The file states no length (as a streamed MediaRecorder recording): the app finds it.
  await expect(page.getByTestId('video-info')).toHaveText('faces.webm · 3.0 s', { timeout: 30_000 });
  await page.getByLabel('Frames per second to analyse').selectOption('5');
  await page.getByRole('button', { name: 'Analyse the video' }).click();
  await expect(page.getByTestId('video-progress')).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  const analysed = Number((await page.getByTestId('video-progress').textContent())!.match(/(\d+) frames analysed/)![1]);
  expect(analysed).toBe(15); // one every 0.2 s of video: 0, 0.2, …, 2.8 s

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

test('a video whose header states its length (a finalised recording) is measured from it', async ({ tryIt, page }) => {
  const video = muxWebm(await encodeFaceFrames(page, 2, 25), { width: WIDTH, height: HEIGHT, durationMs: 2000 });
  await page.getByRole('tab', { name: 'Video' }).click();
  await page.getByTestId('video-input').setInputFiles({ name: 'stated.webm', mimeType: 'video/webm', buffer: video });
  await expect(page.getByTestId('video-info')).toHaveText('stated.webm · 2.0 s', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Analyse the video' })).toBeEnabled();
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
