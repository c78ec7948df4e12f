// The real FER2013 sample as Kaggle's image release (fer2013-images-sample-2000.zip) loads, with the Node
// decoder, to the same faces as the sample CSV (the browser's decoder is checked the same way in
// e2e/image-folders.spec.ts). Reads ../shared (never committed); fails under CI when it is missing.
import { openAsBlob } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFolderLayout } from '../src/core/image-folders/folder-layout';
import { zipImageSource } from '../src/core/image-folders/image-sources';
import { loadImageFolders } from '../src/core/image-folders/load-image-folders';
import { ferDataFile, MANIFEST_CSV_GZ, SAMPLE_CSV, SAMPLE_IMAGES_ZIP } from './fer-data';
import { decodeImageInNode } from './node-image-decode';
import { compareWithSampleCsv, describePairing } from './sample-image-pairing';

const zipPath = ferDataFile(SAMPLE_IMAGES_ZIP);
const csvPath = ferDataFile(SAMPLE_CSV);
const manifestPath = ferDataFile(MANIFEST_CSV_GZ);

/**
 * Largest per-pixel difference between jpeg-js and the decoder the CSV was made with: measured 1 gray level,
 * on ~7 % of pixels (mean 0.07).
 */
const MAX_DIFFERENCE = 1;

describe.skipIf(zipPath === null || csvPath === null || manifestPath === null)('FER2013 sample: image zip against CSV', () => {
  it('gives the same faces, splits and classes, pixels within a stated bound', async () => {
    const source = await zipImageSource(await openAsBlob(zipPath!));
    const images = await loadImageFolders(source, decodeImageInNode);
    expect(images.rows).toBe(2000);
    expect(images.skipped.count).toBe(0);
    expect(images.hasUsage).toBe(true);
    expect(images.origin.resized).toBe(0);
    expect(images.origin.splitDescription).toMatch(/FER2013.s own split/);
    const paths = readFolderLayout(source.paths).faces.map((face) => face.path); // loaded rows in order (none skipped)
    const report = await compareWithSampleCsv(images, paths, csvPath!, manifestPath!);
    console.log(describePairing('jpeg-js', report));
    expect(report.mismatches).toEqual([]);
    expect(report.paired).toBe(2000);
    expect(report.maxDifference).toBeLessThanOrEqual(MAX_DIFFERENCE);
  }, 120_000);
});
