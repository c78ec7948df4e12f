// Reads the real FER+ files from ../shared (never committed). Fails under CI when they are missing.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ferDataFile, ferPlusDataFile, FERPLUS_CSV, FERPLUS_SAMPLE_ZIP, FULL_CSV_GZ, fullFerCsv } from '../../../scripts/fer-data';
import { ferPlusLabelFiles, matchFerPlusFolders } from './folder-layout';
import { joinFerPlusVotes, parseFerPlusCsv, parseFerPlusFolderLabels } from './label-file';
import { FERPLUS_CLASSES, NO_MAJORITY, processVotes, type FerPlusMode } from './votes';

const csvPath = ferPlusDataFile(FERPLUS_CSV);
const zipPath = ferPlusDataFile(FERPLUS_SAMPLE_ZIP);
const HEADER_ONLY = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF\n';

/** Kept faces per usage code (0 Training, 1 PublicTest, 2 PrivateTest). */
function keptPerSplit(keep: Uint8Array, usage: Uint8Array): number[] {
  const counts = [0, 0, 0];
  keep.forEach((k, row) => (counts[usage[row]] += k));
  return counts;
}

// Counts from the data README, measured on fer2013new.csv with Microsoft's src/ferplus.py.
describe.skipIf(csvPath === null)("fer2013new.csv with Microsoft's processing", () => {
  // Parsed while collecting; the suite is skipped (and this not run for real) without the file.
  const file = parseFerPlusCsv(csvPath === null ? HEADER_ONLY : readFileSync(csvPath, 'utf8'));

  it('has 35,887 rows; named rows per split 28,561 / 3,579 / 3,574', () => {
    expect(file.rows).toBe(35_887);
    expect(file.names.filter((name) => name === '')).toHaveLength(173);
    const named = [0, 0, 0];
    file.names.forEach((name, row) => (named[file.usage[row]] += name === '' ? 0 : 1));
    expect(named).toEqual([28_561, 3_579, 3_574]);
  });

  it('majority keeps 25,060 / 3,199 / 3,153, and the test set per class is 1,090 893 396 384 273 18 83 16', () => {
    const majority = processVotes(file.votes, file.rows, 'majority');
    expect(keptPerSplit(majority.keep, file.usage)).toEqual([25_060, 3_199, 3_153]);
    const perClass = new Array<number>(FERPLUS_CLASSES).fill(0);
    majority.majority.forEach((label, row) => {
      if (file.usage[row] === 2 && label !== NO_MAJORITY) perClass[label]++;
    });
    // neutral, happiness, surprise, sadness, anger, disgust, fear, contempt
    expect(perClass).toEqual([1_090, 893, 396, 384, 273, 18, 83, 16]);
    majority.keep.forEach((k, row) => {
      if (k !== (majority.majority[row] === NO_MAJORITY ? 0 : 1)) throw new Error(`row ${row + 2}: keep and majority disagree`);
    });
  });

  for (const mode of ['crossentropy', 'probability'] as const satisfies readonly FerPlusMode[]) {
    it(`${mode} keeps 27,956 / 3,505 / 3,505, each target a distribution`, () => {
      const out = processVotes(file.votes, file.rows, mode);
      expect(keptPerSplit(out.keep, file.usage)).toEqual([27_956, 3_505, 3_505]);
      for (let row = 0; row < file.rows; row++) {
        let total = 0;
        for (let c = 0; c < FERPLUS_CLASSES; c++) total += out.targets[row * FERPLUS_CLASSES + c];
        if (Math.abs(total - out.keep[row]) > 1e-6) throw new Error(`row ${row + 2}: targets sum to ${total}`);
      }
    });
  }

  it('every unnamed row (no PNG in FER+) is dropped in every mode', () => {
    for (const mode of ['majority', 'crossentropy', 'probability', 'multi-target'] as const) {
      const out = processVotes(file.votes, file.rows, mode);
      expect(file.names.filter((name, row) => name === '' && out.keep[row] === 1)).toHaveLength(0);
    }
  });
});

const fullGz = csvPath === null ? null : ferDataFile(FULL_CSV_GZ);

describe.skipIf(fullGz === null)('fer2013new.csv joined to the original fer2013.csv', () => {
  it('has the same Usage on every one of the 35,887 rows', async () => {
    const bytes = readFileSync((await fullFerCsv())!);
    const usage: number[] = [];
    const codes: Record<string, number> = { Training: 0, PublicTest: 1, PrivateTest: 2 };
    // The Usage is the last field of each line (emotion,pixels,Usage); skip the header.
    let lineStart = bytes.indexOf(10) + 1;
    while (lineStart < bytes.length) {
      let end = bytes.indexOf(10, lineStart);
      if (end < 0) end = bytes.length;
      const line = bytes.subarray(lineStart, end);
      const field = line.toString('latin1', line.lastIndexOf(44) + 1).trim();
      if (field !== '') usage.push(codes[field] ?? 255);
      lineStart = end + 1;
    }
    const file = parseFerPlusCsv(readFileSync(csvPath!, 'utf8'));
    const joined = joinFerPlusVotes(Uint8Array.from(usage), file);
    expect(joined.rows).toBe(35_887);
    // the same rows shifted by one no longer agree: the join is by order, and checks it
    expect(() => joinFerPlusVotes(Uint8Array.from([...usage.slice(1), 2]), file)).toThrow(/row \d+: Usage is \w+, but row \d+ of fer2013\.csv is/);
  });
});

describe.skipIf(zipPath === null)('the FER+ image sample zip', () => {
  it('holds 1,600 / 200 / 200 faces, each PNG with its label.csv row', () => {
    const zip = unzipSync(new Uint8Array(readFileSync(zipPath!)));
    const paths = Object.keys(zip);
    const labelPaths = ferPlusLabelFiles(paths);
    expect(labelPaths.sort()).toEqual(['FER2013Test/label.csv', 'FER2013Train/label.csv', 'FER2013Valid/label.csv']);
    const texts = new Map(labelPaths.map((path) => [path, new TextDecoder().decode(zip[path])]));
    const found = matchFerPlusFolders(paths, texts);
    const perSplit = [0, 0, 0];
    found.split.forEach((split) => perSplit[split]++);
    expect(perSplit).toEqual([1_600, 200, 200]);
    expect(found.faces).toBe(2_000);
    expect(found.pngsWithoutLabel).toEqual([]);
    expect(found.labelsWithoutPng).toEqual([]);
    expect(found.duplicateLabelRows).toEqual([]);
    expect(found.foldersWithoutLabelFile).toEqual([]);
    for (const index of found.source) expect(paths[index]).toMatch(/^FER2013(Train|Valid|Test)\/fer\d{7}\.png$/);
    // the faces' votes are their label.csv rows, in order
    const train = parseFerPlusFolderLabels(texts.get('FER2013Train/label.csv')!);
    expect(found.votes.subarray(0, train.rows * 10)).toEqual(train.votes);
  });
});
