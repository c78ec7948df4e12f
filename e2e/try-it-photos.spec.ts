// End-to-end tests of the "Try it" screen with photos: real FER2013 faces, fallbacks, EXIF, bad input, no network.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FER2013_EMOTIONS } from '../src/core/labels/fer2013';
import { iou } from '../src/core/face-crop/boxes';
import { DETECTOR_ASSET_DIR, DETECTOR_FILES, FACE_API_MODEL_DIR } from '../src/detect/detector-assets';
import { flatPng, rowPixels, withExifOrientation } from './try-it';
import {
  argMax,
  data,
  expect,
  expectOnlySameOrigin,
  fixture,
  layout,
  match,
  rowsPixels,
  samplePath,
  test,
  testRows,
} from './try-it-fixtures';

test('the detector weights are served by the app itself', async ({ request }) => {
  for (const name of DETECTOR_FILES) {
    const response = await request.get(`/${DETECTOR_ASSET_DIR}/${name}`);
    expect(response.status(), name).toBe(200);
    expect(Buffer.compare(await response.body(), readFileSync(join(FACE_API_MODEL_DIR, name)))).toBe(0);
  }
});

test('composed photos of real faces: faces found, predictions agree with the 48x48 rows fed directly, no request leaves the page', async ({
  tryIt,
  page,
  requests,
}) => {
  test.skip(samplePath === null, 'FER2013 sample not present (CI must have it)');
  const { model } = await fixture();
  // Two photos of 12 faces each: a JPEG and a PNG, dropped together.
  const photoCount = Number(process.env.TRY_IT_PHOTOS ?? 2); // more for measurements
  const photoRows = Array.from({ length: photoCount }, (_, i) => testRows.slice(i * 12, i * 12 + 12));
  const photos = photoRows.map((rows, i) => ({
    rows,
    faces: layout(rows, 4, 330, 60, 11 + i),
    name: `group-${i + 1}.${i % 2 === 0 ? 'jpg' : 'png'}`,
    mimeType: i % 2 === 0 ? 'image/jpeg' : 'image/png',
  }));
  const files = [];
  for (const photo of photos)
    files.push({
      name: photo.name,
      mimeType: photo.mimeType,
      buffer: await tryIt.composePhoto({
        width: 1400,
        height: 1080,
        faces: photo.faces,
        mimeType: photo.mimeType,
        quality: 0.92,
      }),
    });
  await tryIt.drop(files);

  let placedCount = 0;
  let falsePositives = 0;
  let regionIou = 0;
  let foundCount = 0;
  let agreed = 0;
  const foundDirectTops: number[] = []; // the class of each face found, fed directly as its 48x48 row
  let crossAgreed = 0;
  let crossPairs = 0;
  let totalAbsDiff = 0;
  const detectMs: number[] = [];
  for (const photo of photos) {
    const found = await tryIt.faces(photo.name);
    const direct = await model.predictRows(rowsPixels(photo.rows));
    const matched = match(photo.faces, found);
    const stats = await tryIt.card(photo.name).getByTestId('photo-stats').textContent();
    detectMs.push(
      Number(/detection ([\d.]+) (ms|s)/.exec(stats ?? '')?.[1] ?? NaN) *
        (/detection [\d.]+ s/.test(stats ?? '') ? 1000 : 1),
    );
    placedCount += photo.faces.length;
    // Detections that are none of the placed faces (on the background, or a box spanning two faces).
    falsePositives += found.filter((face) => !photo.faces.some((box) => iou(box, face.box) > 0.3)).length;
    matched.forEach((face, i) => {
      if (!face) return;
      foundCount++;
      regionIou += iou(face.region, photo.faces[i]);
      const placed = photo.faces[i];
      if (process.env.DEBUG_FRAMING) {
        // Box offsets relative to FER's framing, to calibrate TINY_FACE_DETECTOR_FRAMING.
        const relative = [
          (face.box.x - placed.x) / placed.width,
          (face.box.y - placed.y) / placed.height,
          face.box.width / placed.width,
          face.box.height / placed.height,
        ];
        console.log('framing', relative.map((v) => v.toFixed(3)).join(' '));
      }
      const directTop = argMax(direct, i * 7, 7);
      foundDirectTops.push(directTop);
      if (FER2013_EMOTIONS[directTop] === face.top) agreed++;
      for (let c = 0; c < 7; c++) totalAbsDiff += Math.abs(face.probs[c] - direct[i * 7 + c]) / 2;
    });
    // Null baseline: how often a crop's top class matches the direct prediction of another face of the photo.
    matched.forEach((face, i) => {
      if (!face) return;
      photo.rows.forEach((_, j) => {
        if (j === i) return;
        crossPairs++;
        if (FER2013_EMOTIONS[argMax(direct, j * 7, 7)] === face.top) crossAgreed++;
      });
    });
  }
  const recall = foundCount / placedCount;
  // The trivial baseline: a constant answer (one class for every face) agrees on as many of the faces found as
  // the most common class among their direct predictions.
  const constantAgreed = Math.max(...[...Array(7).keys()].map((c) => foundDirectTops.filter((top) => top === c).length));
  const agreement = agreed / foundCount;
  console.log(
    `faces found ${foundCount}/${placedCount} (${(recall * 100).toFixed(0)} %), ${falsePositives} false; top class agrees with the rows fed directly on ${agreed}/${foundCount} ` +
      `(${(agreement * 100).toFixed(0)} %; with another face's row ${((crossAgreed / crossPairs) * 100).toFixed(0)} %; a constant answer on ${constantAgreed}/${foundCount}); ` +
      `mean total-variation distance ${(totalAbsDiff / foundCount).toFixed(3)}; crop vs FER framing: mean IoU ${(regionIou / foundCount).toFixed(3)}; detection ${detectMs.map((ms) => ms.toFixed(0)).join(' / ')} ms per photo`,
  );
  // Floors: 20 of 24 faces found, 10 of 20 agreeing here with the fixture model, whose own ceiling is ~80 % even
  // with FER's exact framing (the 200 px round trip blurs). Agreement must clearly beat the trivial answers: the
  // same class for every face (6 of these 20 faces), and each crop answered with another face's row.
  expect(recall).toBeGreaterThanOrEqual(0.75);
  expect(falsePositives).toBeLessThanOrEqual(photoCount);
  expect(agreement).toBeGreaterThan(constantAgreed / foundCount + 0.1);
  expect(agreement).toBeGreaterThan(crossAgreed / crossPairs + 0.1);

  // The selected face shows its crop, bars and a Grad-CAM map; picking another face updates them.
  const card = tryIt.card('group-1.jpg');
  await expect(card.getByTestId('saliency-caption')).toHaveText(/Grad-CAM for \w+ \(12×12 maps\)/, {
    timeout: 30_000,
  });
  await expect(card.getByTestId('face-details').getByRole('listitem')).toHaveCount(7);
  await card.getByRole('button', { name: /^Select face 3 / }).click();
  await expect(card.getByRole('button', { name: /^Select face 3 / })).toHaveAttribute('aria-pressed', 'true');
  await expect(card.getByTestId('saliency-caption')).toHaveText(/Grad-CAM for/, { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('composed-photos.png'), fullPage: true });

  // The batch table: one row per face found in both photos, sortable, and saved as CSV.
  const foundTotal = (await tryIt.faces('group-1.jpg')).length + (await tryIt.faces('group-2.png')).length;
  const table = page.getByTestId('face-table');
  await expect(table.getByTestId('face-row')).toHaveCount(foundTotal);
  await table.getByRole('button', { name: 'confidence' }).click();
  const confidences = (await table.getByTestId('face-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-confidence')))));
  expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  await table.getByRole('button', { name: 'class' }).click();
  const emotions = await table.getByTestId('face-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-class')!));
  expect(emotions).toEqual([...emotions].sort((a, b) => FER2013_EMOTIONS.indexOf(a as never) - FER2013_EMOTIONS.indexOf(b as never)));
  const [download] = await Promise.all([page.waitForEvent('download'), table.getByTestId('face-table-csv').click()]);
  expect(download.suggestedFilename()).toBe('faces.csv');
  const csv = readFileSync(await download.path(), 'utf8').trimEnd().split('\n');
  expect(csv[0]).toBe('file,face,x,y,width,height,class,confidence,angry,disgust,fear,happy,sad,surprise,neutral');
  expect(csv).toHaveLength(foundTotal + 1);
  expect(csv.slice(1).map((line) => line.split(',')[6])).toEqual(emotions); // in the order shown
  expectOnlySameOrigin(requests, page);
  expect(requests.some((url) => url.includes(`${DETECTOR_ASSET_DIR}/`))).toBe(true); // worker requests are seen too
});

test('no face found: the centre crop and a box drawn by hand are classified', async ({ tryIt, page }) => {
  const { model } = await fixture();
  const row = testRows[30];
  // A face too small for the detector (36 px on 900 px) and nothing else: the fallback is needed.
  const small = { pixels: rowPixels(data.pixels, row), x: 600, y: 300, width: 36, height: 36 };
  await tryIt.pick([
    {
      name: 'landscape.png',
      mimeType: 'image/png',
      buffer: await tryIt.composePhoto({ width: 900, height: 600, faces: [small], mimeType: 'image/png' }),
    },
  ]);
  const card = tryIt.card('landscape.png');
  await expect(card.getByRole('status')).toHaveText(/No face found in this photo/, { timeout: 90_000 });
  await card.getByRole('button', { name: 'Classify the centre' }).click();
  const centre = await tryIt.faces('landscape.png');
  expect(centre).toHaveLength(1);
  expect(centre[0].score).toBeNull();
  expect(centre[0].region).toEqual({ x: 150, y: 0, width: 600, height: 600 });
  await expect(card.getByTestId('face-details').getByRole('listitem')).toHaveCount(7);

  // Draw a box around the small face: its prediction matches the row fed directly.
  await card.getByRole('button', { name: 'Draw a box' }).click();
  const overlay = card.locator('svg.photo-overlay');
  const frame = (await overlay.boundingBox())!;
  const toScreen = (x: number, y: number) =>
    [frame.x + (x / 900) * frame.width, frame.y + (y / 600) * frame.height] as const;
  await page.mouse.move(...toScreen(small.x, small.y));
  await page.mouse.down();
  await page.mouse.move(...toScreen(small.x + 18, small.y + 18), { steps: 3 });
  await page.mouse.move(...toScreen(small.x + small.width, small.y + small.height), { steps: 3 });
  await page.mouse.up();
  await expect(card.getByRole('button', { name: 'Detect faces again' })).toBeVisible();
  const drawn = await tryIt.faces('landscape.png');
  expect(drawn).toHaveLength(1);
  expect(iou(drawn[0].region, small)).toBeGreaterThan(0.8);
  const direct = await model.predictRows(rowsPixels([row]));
  expect(drawn[0].top).toBe(FER2013_EMOTIONS[argMax(direct)]);
  await page.screenshot({ path: test.info().outputPath('fallback.png'), fullPage: true });
});

test('a face enlarged 4x exactly in the centre: the centre crop reproduces the direct prediction', async ({
  tryIt,
}) => {
  const { model } = await fixture();
  const row = testRows[35];
  // 4x nearest-neighbour enlargement, placed on the centre square of a 320x192 PNG: area averaging over 4x4
  // blocks gives back the row exactly, so any difference would come from the pipeline or the backend.
  const { width, height } = { width: 320, height: 192 };
  const photo = await tryIt.composePhoto({
    width,
    height,
    faces: [{ pixels: rowPixels(data.pixels, row), x: 64, y: 0, width: 192, height: 192 }],
    mimeType: 'image/png',
    smoothing: false,
  });
  await tryIt.pick([{ name: 'exact.png', mimeType: 'image/png', buffer: photo }]);
  await tryIt.faces('exact.png');
  await tryIt.card('exact.png').getByRole('button', { name: 'Classify the centre' }).click();
  await expect(tryIt.card('exact.png').getByRole('button', { name: 'Detect faces again' })).toBeVisible({
    timeout: 60_000,
  });
  const [face] = await tryIt.faces('exact.png');
  expect(face.region).toEqual({ x: 64, y: 0, width: 192, height: 192 });
  const direct = await model.predictRows(rowsPixels([row]));
  const maxDiff = Math.max(...face.probs.map((p, c) => Math.abs(p - direct[c])));
  console.log(
    `exact centre crop: max |probability difference| ${maxDiff.toExponential(2)} (WASM in Chromium vs WASM in Node)`,
  );
  expect(face.top).toBe(FER2013_EMOTIONS[argMax(direct)]);
  expect(maxDiff).toBeLessThan(1e-3);

  // Ten-crop: the same region again, now averaged over its ten crops, as the model gives it for the row.
  await tryIt.page.getByLabel(/Ten-crop: average each face/).check();
  await expect(tryIt.card('exact.png').getByTestId('photo-stats')).toContainText('(ten-crop)', { timeout: 60_000 });
  const [tenCropFace] = await tryIt.faces('exact.png');
  const directTenCrop = await model.predictRows(rowsPixels([row]), { tenCrop: true });
  expect(Math.max(...tenCropFace.probs.map((p, c) => Math.abs(p - directTenCrop[c])))).toBeLessThan(1e-3);
  expect(Math.max(...directTenCrop.map((p, c) => Math.abs(p - direct[c])))).toBeGreaterThan(1e-4);
});

test('EXIF orientation is honoured: a sideways-stored portrait is shown and searched upright', async ({
  tryIt,
}) => {
  test.skip(samplePath === null, 'FER2013 sample not present (CI must have it)');
  const faces = layout(testRows.slice(40, 42), 1, 330, 20, 3).map((face, i) => ({
    ...face,
    x: 100,
    y: 60 + i * 320,
  }));
  const stored = await tryIt.composePhoto({
    width: 480,
    height: 700,
    faces,
    mimeType: 'image/jpeg',
    quality: 0.92,
    rotateForExif: true,
  });
  await tryIt.drop([
    { name: 'portrait.jpg', mimeType: 'image/jpeg', buffer: withExifOrientation(stored, 6) },
  ]);
  const found = await tryIt.faces('portrait.jpg');
  await expect(tryIt.card('portrait.jpg').getByTestId('photo-stats')).toContainText('JPEG 480×700');
  expect(match(faces, found).filter((face) => face !== null)).toHaveLength(2);
});

test('bad input gets a clear message each, and the page keeps working', async ({ tryIt, page }) => {
  const good = await tryIt.composePhoto({
    width: 400,
    height: 300,
    faces: [],
    mimeType: 'image/jpeg',
    quality: 0.9,
  });
  const corrupt = Buffer.from(good);
  for (let i = 700; i < corrupt.length - 2; i++) corrupt[i] = (i * 7919) & 255; // scan data overwritten
  const bad = [
    {
      name: 'corrupt.jpg',
      mimeType: 'image/jpeg',
      buffer: corrupt,
      message: 'corrupt.jpg: the image data could not be decoded: the file is corrupt or truncated',
    },
    {
      name: 'empty.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.alloc(0),
      message: 'empty.jpg: it is empty (0 bytes)',
    },
    {
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: flatPng(10_000, 6_000),
      message: 'huge.png: it is 60.0 megapixels (10000×6000); the limit is 50 MP',
    },
    {
      name: 'notes.png',
      mimeType: 'image/png',
      buffer: Buffer.from('Shopping list\n- eggs\n- milk\n'),
      message: 'notes.png: it is not an image: it looks like a text file',
    },
  ];
  await tryIt.drop(bad.map(({ name, mimeType, buffer }) => ({ name, mimeType, buffer })));
  for (const file of bad) {
    const alert = tryIt.card(file.name).getByRole('alert');
    await expect(alert).toContainText(`Could not use ${file.message}`, { timeout: 60_000 });
  }
  await page.screenshot({ path: test.info().outputPath('bad-input.png'), fullPage: true });
  // Still working: a good photo goes through, and a bad card can be dismissed.
  await tryIt.pick([{ name: 'fine.jpg', mimeType: 'image/jpeg', buffer: good }]);
  await tryIt.faces('fine.jpg');
  await tryIt.card('empty.jpg').getByRole('button', { name: 'Dismiss error' }).click();
  await expect(tryIt.card('empty.jpg')).toHaveCount(0);
});

test('no camera: a clear message', async ({ tryIt, context, page }) => {
  await context.grantPermissions(['camera']);
  await page.getByRole('tab', { name: 'Webcam' }).click();
  await page.getByRole('button', { name: 'Start camera' }).click();
  await expect(page.getByTestId('webcam-panel').getByRole('alert')).toContainText(
    /No camera was found|could not be started/,
  );
  void tryIt;
});

test('boxes follow the photo as drawn: small, wide and tall photos at two window widths', async ({ tryIt, page }) => {
  const row = testRows[12];
  const sizes = [
    [276, 183],
    [500, 282],
    [500, 333],
    [420, 900],
    [1400, 1080],
  ];
  for (const viewport of [1280, 760]) {
    await page.setViewportSize({ width: viewport, height: 900 });
    for (const [width, height] of sizes) {
      const name = `photo-${width}x${height}-${viewport}.png`;
      const side = Math.round(Math.min(width, height) * 0.7);
      const face = { pixels: rowPixels(data.pixels, row), x: Math.round((width - side) / 2), y: Math.round((height - side) / 2), width: side, height: side };
      await tryIt.pick([{ name, mimeType: 'image/png', buffer: await tryIt.composePhoto({ width, height, faces: [face], mimeType: 'image/png' }) }]);
      const card = tryIt.card(name);
      await expect(card).toHaveAttribute('data-status', 'done', { timeout: 90_000 });
      if ((await card.locator('.face-box').count()) === 0) await card.getByRole('button', { name: 'Classify the centre' }).click();
      await expect(card.locator('.face-box')).toHaveCount(1, { timeout: 60_000 });
      // The overlay covers exactly the drawn image, so a box in photo pixels lands on the face.
      const [image, overlay, box] = await Promise.all(
        ['.photo-image', '.photo-overlay', '.face-box rect'].map((selector) => card.locator(selector).first().evaluate((el) => el.getBoundingClientRect().toJSON() as DOMRect)),
      );
      for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(overlay[key] - image[key]), `${name}: overlay ${key}`).toBeLessThan(1.5);
      const scale = image.width / width;
      const region = (await tryIt.faces(name))[0].box;
      expect(Math.abs(box.x + box.width / 2 - (image.x + (region.x + region.width / 2) * scale)), `${name}: box centre x`).toBeLessThan(3);
      expect(Math.abs(box.y + box.height / 2 - (image.y + (region.y + region.height / 2) * scale)), `${name}: box centre y`).toBeLessThan(3);
      await card.getByRole('button', { name: `Remove ${name}` }).click();
    }
  }
});

test('offline: a photo says the app could not load its face detector (not that the photo is bad), and works once back online', async ({ tryIt, context }) => {
  const photo = await tryIt.composePhoto({
    width: 400,
    height: 300,
    faces: [{ pixels: rowPixels(data.pixels, testRows[3]), x: 120, y: 40, width: 200, height: 200 }],
    mimeType: 'image/png',
  });
  await context.setOffline(true);
  await tryIt.pick([{ name: 'offline.png', mimeType: 'image/png', buffer: photo }]);
  const alert = tryIt.card('offline.png').getByRole('alert');
  await expect(alert).toContainText("offline.png: could not load the face detector's weights from /models/face-api/", { timeout: 60_000 });
  await expect(alert).toContainText('Reconnect and try again; the photo itself is fine');
  await expect(alert).not.toContainText('Use a JPEG');
  await context.setOffline(false);
  await tryIt.pick([{ name: 'online.png', mimeType: 'image/png', buffer: photo }]);
  expect((await tryIt.faces('online.png')).length).toBeGreaterThanOrEqual(0);
  await expect(tryIt.card('online.png')).toHaveAttribute('data-status', 'done');
});
