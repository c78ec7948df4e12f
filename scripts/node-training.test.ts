// The Node loading path's label options: --labels and --merge parsing, merging classes of labels and votes, and
// image data the CLI loads as the app does: FER+'s folder layout (with its votes) and folders of one's own classes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { ferDataFile, ferPlusDataFile, FERPLUS_CSV, FERPLUS_SAMPLE_ZIP, SAMPLE_IMAGES_ZIP } from './fer-data';
import { FER2013_LABELS } from '../src/core/labels/fer2013';
import { FERPLUS_LABELS } from '../src/core/labels/ferplus';
import { LABEL_NONE } from '../src/core/labels/label-set';
import { valenceMapping } from '../src/core/labels/mapping';
import { loadDatasetFile, mergeClasses, parseLabelsOption, parseMergeOption } from './node-training';

describe('label options', () => {
  it('--labels: fer2013 or none -> null, ferplus:MODE -> the mode, anything else refused naming the choices', () => {
    expect(parseLabelsOption(undefined)).toBeNull();
    expect(parseLabelsOption('fer2013')).toBeNull();
    expect(parseLabelsOption('ferplus:probability')).toBe('probability');
    expect(parseLabelsOption('ferplus')).toBe('crossentropy');
    expect(() => parseLabelsOption('ferplus:soft')).toThrow(/majority, crossentropy, probability, multi-target/);
    expect(() => parseLabelsOption('affectnet:majority')).toThrow(/--labels must be/);
  });

  it('--merge: valence, or refused', () => {
    expect(parseMergeOption(undefined)).toBeUndefined();
    expect(parseMergeOption('valence')).toBe('valence');
    expect(() => parseMergeOption('pairs')).toThrow(/--merge must be one of valence/);
  });
});

describe('mergeClasses (valence)', () => {
  const pixels = new Uint8Array(3 * 2304);
  const usage = Uint8Array.from([0, 1, 2]);

  it('maps FER2013 labels: Happy and Surprise positive, Neutral neutral, the rest negative; LABEL_NONE stays', () => {
    const buffers = { rows: 3, pixels, usage, labels: Uint8Array.from([3, 6, LABEL_NONE]), labelSet: FER2013_LABELS };
    const merged = mergeClasses(buffers, valenceMapping(FER2013_LABELS)!);
    expect(merged.labelSet.names).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(Array.from(merged.labels)).toEqual([2, 1, LABEL_NONE]);
    expect(merged.mapping).toMatchObject({ from: FER2013_LABELS.names, to: [0, 0, 0, 2, 0, 2, 1] });
    expect(merged.votes).toBeUndefined();
  });

  it('sums FER+ votes per valence and takes the majority of the merged votes', () => {
    // Neutral 4, sadness 3, anger 3: no majority in 8 classes, a negative majority (6 of 10) in three.
    const votes = Uint8Array.from([
      ...[4, 0, 0, 3, 3, 0, 0, 0, 0, 0],
      ...[0, 5, 5, 0, 0, 0, 0, 0, 0, 0], // happiness + surprise: positive 10
      ...[0, 0, 0, 0, 0, 0, 0, 0, 7, 3], // unknown / not a face: dropped
    ]);
    const buffers = { rows: 3, pixels, usage, labels: Uint8Array.from([LABEL_NONE, LABEL_NONE, LABEL_NONE]), votes, labelSet: FERPLUS_LABELS };
    const merged = mergeClasses(buffers, valenceMapping(FERPLUS_LABELS)!);
    expect(Array.from(merged.votes!)).toEqual([6, 4, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 7, 3]);
    expect(Array.from(merged.labels)).toEqual([0, 2, LABEL_NONE]);
  });
});

describe('image data through loadDatasetFile (the CLI\u2019s --data)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fer-node-load-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('FER+\u2019s folder zip: FER+\u2019s eight classes with the votes of its label.csv files, and --labels ferplus:MODE joins nothing more', async (context) => {
    const zip = ferPlusDataFile(FERPLUS_SAMPLE_ZIP);
    const votesCsv = ferPlusDataFile(FERPLUS_CSV);
    if (zip === null || votesCsv === null) return context.skip();
    const dataset = await loadDatasetFile(zip);
    expect(dataset.buffers.rows).toBe(2000);
    expect(dataset.buffers.labelSet.names).toEqual([...FERPLUS_LABELS.names]);
    expect(dataset.buffers.votes).toHaveLength(2000 * 10);
    expect(dataset.images?.splitDescription).toMatch(/FER2013Train\/ is for training/);
    expect(Array.from(dataset.buffers.usage).filter((usage) => usage === 2)).toHaveLength(200);
    // With a FER+ mode (the CLI passes fer2013new.csv's path), the folders' own votes stay: nothing is joined by row.
    const again = await loadDatasetFile(zip, Infinity, { ferplus: votesCsv });
    expect(again.buffers.votes).toEqual(dataset.buffers.votes);
  }, 120_000);

  it('folders that are not FER2013\u2019s emotions: refused naming --own-classes, loaded as named classes with it', async (context) => {
    const sample = ferDataFile(SAMPLE_IMAGES_ZIP);
    if (sample === null) return context.skip();
    const jpegs = Object.entries(unzipSync(readFileSync(sample), { filter: (file) => file.name.endsWith('.jpg') })).slice(0, 6);
    const path = join(dir, 'pets.zip');
    writeFileSync(path, zipSync(Object.fromEntries(jpegs.map(([, bytes], i) => [`pets/${i % 2 === 0 ? 'cats' : 'dogs'}/${i}.jpg`, bytes]))));
    await expect(loadDatasetFile(path)).rejects.toThrow(/cats.*dogs.*not FER2013\u2019s emotions.*\(--own-classes trains on them as they are\)/);
    const dataset = await loadDatasetFile(path, Infinity, { ownClasses: true });
    expect(dataset.buffers.labelSet.names).toEqual(['cats', 'dogs']);
    expect(Array.from(dataset.buffers.labels)).toEqual([0, 1, 0, 1, 0, 1]);
  }, 120_000);
});
