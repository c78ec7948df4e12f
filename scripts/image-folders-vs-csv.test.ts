// The real FER2013 sample as Kaggle's image release (fer2013-images-sample-2000.zip) loads to the same faces as
// the sample CSV: same split and class for every face, pixels within a measured bound (the CSV was decoded
// from these JPEGs by another decoder). Reads ../shared (never committed); fails under CI when it is missing.
import { createHash } from 'node:crypto';
import { openAsBlob, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseFerBlob } from '../src/core/csv/parse-fer-blob';
import { PIXELS, USAGES, type Usage } from '../src/core/emotions';
import { zipImageSource } from '../src/core/images/image-sources';
import { loadImageFolders } from '../src/core/images/load-image-folders';
import { readFolderLayout } from '../src/core/images/folder-layout';
import { ferDataFile, MANIFEST_CSV_GZ, SAMPLE_CSV, SAMPLE_IMAGES_ZIP } from './fer-data';
import { decodeImageInNode } from './node-image-decode';

const zipPath = ferDataFile(SAMPLE_IMAGES_ZIP);
const csvPath = ferDataFile(SAMPLE_CSV);
const manifestPath = ferDataFile(MANIFEST_CSV_GZ);

/** Largest per-pixel difference between jpeg-js and the decoder the CSV was made with: measured 1 gray level (on ~7 % of pixels, mean 0.07). */
const MAX_DIFFERENCE = 1;

describe.skipIf(zipPath === null || csvPath === null || manifestPath === null)('FER2013 sample: image zip against CSV', () => {
  it('gives the same faces, splits and classes, pixels within a stated bound', async () => {
    const source = await zipImageSource(await openAsBlob(zipPath!));
    const images = await loadImageFolders(source, decodeImageInNode);
    const csv = await parseFerBlob(await openAsBlob(csvPath!));
    expect(images.rows).toBe(2000);
    expect(images.skipped.count).toBe(0);
    expect(images.hasUsage).toBe(true);
    expect(images.origin.resized).toBe(0);
    expect(images.origin.splitDescription).toMatch(/FER2013.s own split/);

    // Pair each CSV row with its JPEG through the manifest (SHA-1 of the row's pixel bytes -> source file).
    // FER2013 holds pixel-identical faces (some with other labels), so a hash may name several files: take one the zip holds, once.
    const faces = readFolderLayout(source.paths).faces; // the loaded rows, in order (none skipped)
    const rowOfPath = new Map(faces.map((face, row) => [face.path, row]));
    const filesOfHash = new Map<string, string[]>();
    for (const line of gunzipSync(readFileSync(manifestPath!)).toString('utf8').trim().split('\n').slice(1)) {
      const [, file, usage, emotion, sha1] = line.split(',');
      const key = `${sha1} ${USAGES.indexOf(usage as Usage)} ${emotion}`;
      if (rowOfPath.has(file)) filesOfHash.set(key, [...(filesOfHash.get(key) ?? []), file]);
    }
    let maxDifference = 0;
    let differing = 0;
    let sumDifference = 0;
    for (let r = 0; r < csv.rows; r++) {
      const csvPixels = csv.pixels.subarray(r * PIXELS, (r + 1) * PIXELS);
      const file = filesOfHash.get(`${createHash('sha1').update(csvPixels).digest('hex')} ${csv.usage[r]} ${csv.labels[r]}`)?.shift();
      expect(file, `CSV row ${r + 2} is in the manifest and the zip`).toBeDefined();
      const row = rowOfPath.get(file!);
      expect(row, `${file} is in the zip`).toBeDefined();
      expect(images.labels[row!]).toBe(csv.labels[r]);
      expect(images.usage[row!]).toBe(csv.usage[r]);
      const imagePixels = images.pixels.subarray(row! * PIXELS, (row! + 1) * PIXELS);
      for (let i = 0; i < PIXELS; i++) {
        const difference = Math.abs(imagePixels[i] - csvPixels[i]);
        if (difference > 0) differing++;
        sumDifference += difference;
        maxDifference = Math.max(maxDifference, difference);
      }
    }
    console.log(`jpeg-js vs CSV over ${csv.rows} faces: max |difference| ${maxDifference}, ${((100 * differing) / (csv.rows * PIXELS)).toFixed(3)} % of pixels differ, mean ${(sumDifference / (csv.rows * PIXELS)).toFixed(4)}`);
    expect(maxDifference).toBeLessThanOrEqual(MAX_DIFFERENCE);
  }, 120_000);
});
