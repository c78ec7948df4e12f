// Node-side, for tests: pairs faces loaded from fer2013-images-sample-2000.zip with the rows of the sample CSV
// (through the manifest: SHA-1 of a row's pixel bytes -> its source JPEG) and measures how far apart they are.
import { createHash } from 'node:crypto';
import { openAsBlob, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseFerBlob } from '../src/core/csv/parse-fer-blob';
import type { DatasetBuffers } from '../src/core/dataset/types';
import { PIXELS, USAGES, type Usage } from '../src/core/dataset/face-format';

export interface PairingReport {
  /** CSV rows with a face of the same file, split and class among the loaded ones. */
  paired: number;
  csvRows: number;
  /** Rows whose file is missing, or whose loaded split or class differs, as messages. */
  mismatches: string[];
  maxDifference: number;
  /** Share of pixels that differ at all, and the mean absolute difference, over paired rows. */
  differingFraction: number;
  meanDifference: number;
}

/**
 * @param loaded faces loaded from the image zip; paths[i] is the zip path of loaded row i.
 */
export async function compareWithSampleCsv(loaded: Pick<DatasetBuffers, 'rows' | 'pixels' | 'labels' | 'usage'>, paths: readonly string[], csvPath: string, manifestPath: string): Promise<PairingReport> {
  const csv = await parseFerBlob(await openAsBlob(csvPath));
  const rowOfPath = new Map(paths.map((path, row) => [path, row]));
  // FER2013 holds pixel-identical faces (some with other labels): a key may name several files; each is used once.
  const filesOfKey = new Map<string, string[]>();
  for (const line of gunzipSync(readFileSync(manifestPath)).toString('utf8').trim().split('\n').slice(1)) {
    const [, file, usage, emotion, sha1] = line.split(',');
    const key = `${sha1} ${USAGES.indexOf(usage as Usage)} ${emotion}`;
    if (rowOfPath.has(file)) filesOfKey.set(key, [...(filesOfKey.get(key) ?? []), file]);
  }
  const report: PairingReport = { paired: 0, csvRows: csv.rows, mismatches: [], maxDifference: 0, differingFraction: 0, meanDifference: 0 };
  let differing = 0;
  let sum = 0;
  for (let r = 0; r < csv.rows; r++) {
    const csvPixels = csv.pixels.subarray(r * PIXELS, (r + 1) * PIXELS);
    const file = filesOfKey.get(`${createHash('sha1').update(csvPixels).digest('hex')} ${csv.usage[r]} ${csv.labels[r]}`)?.shift();
    const row = file === undefined ? undefined : rowOfPath.get(file);
    if (row === undefined) {
      report.mismatches.push(`CSV row ${r + 2}: no loaded face of the same file, split and class`);
      continue;
    }
    if (loaded.labels[row] !== csv.labels[r] || loaded.usage[row] !== csv.usage[r]) {
      report.mismatches.push(`${file}: loaded as class ${loaded.labels[row]} usage ${loaded.usage[row]}, CSV says ${csv.labels[r]} ${csv.usage[r]}`);
      continue;
    }
    report.paired++;
    const loadedPixels = loaded.pixels.subarray(row * PIXELS, (row + 1) * PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      const difference = Math.abs(loadedPixels[i] - csvPixels[i]);
      if (difference > 0) differing++;
      sum += difference;
      if (difference > report.maxDifference) report.maxDifference = difference;
    }
  }
  report.differingFraction = differing / Math.max(1, report.paired * PIXELS);
  report.meanDifference = sum / Math.max(1, report.paired * PIXELS);
  return report;
}

export const describePairing = (what: string, report: PairingReport) =>
  `${what} vs the sample CSV over ${report.paired} faces: max |difference| ${report.maxDifference}, ${(100 * report.differingFraction).toFixed(3)} % of pixels differ, mean ${report.meanDifference.toFixed(4)}`;
