import { describe, expect, it } from 'vitest';
import { PIXELS } from '../dataset/face-format';
import type { DatasetBuffers } from '../dataset/types';
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { LABEL_NONE } from '../labels/label-set';
import { ferPlusDatasetName, joinFerPlusDataset, type FerPlusBase } from './join-dataset';
import { parseFerPlusCsv } from './label-file';

// Made-up rows in fer2013new.csv's format (no real data).
const HEADER = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF';
const VOTES = parseFerPlusCsv(
  [
    HEADER,
    'Training,fer0000000.png,0,7,2,0,0,0,0,0,1,0', // Happiness by majority
    'Training,,0,0,0,0,0,0,0,0,0,10', // dropped by FER+: not a face
    'PublicTest,fer0000002.png,4,0,0,4,0,0,0,0,2,0', // no majority
    'PrivateTest,fer0000003.png,1,0,0,0,0,0,0,9,0,0', // Contempt
  ].join('\n'),
);

function base(usage: number[], extra: Partial<FerPlusBase> = {}): FerPlusBase {
  const rows = usage.length;
  const buffers: DatasetBuffers = {
    rows,
    pixels: Uint8Array.from({ length: rows * PIXELS }, (_, i) => Math.floor(i / PIXELS) * 10),
    labels: new Uint8Array(rows).fill(6),
    usage: Uint8Array.from(usage),
    labelSet: FER2013_LABELS,
  };
  return { name: 'fer2013.csv', buffers, hasUsage: true, skipped: { count: 0, first: [] }, ...extra };
}

describe('joinFerPlusDataset', () => {
  it('gives the faces FER+\u2019s eight classes, the votes and the majority label (none where there is no majority)', () => {
    const faces = base([0, 0, 1, 2]);
    const joined = joinFerPlusDataset(faces, VOTES, 'fer2013new.csv');
    expect(joined.labelSet).toBe(FERPLUS_LABELS);
    expect(joined.rows).toBe(4);
    expect(joined.pixels).toBe(faces.buffers.pixels);
    expect(joined.usage).toBe(faces.buffers.usage);
    expect(joined.votes).toBe(VOTES.votes);
    expect(Array.from(joined.labels)).toEqual([1, LABEL_NONE, LABEL_NONE, 7]);
    expect(joined.mapping).toBeUndefined();
    expect(ferPlusDatasetName('fer2013.csv', 'fer2013new.csv')).toBe('fer2013.csv + fer2013new.csv (FER+ votes)');
  });

  it('refuses rows in another order, naming the first row that disagrees', () => {
    expect(() => joinFerPlusDataset(base([0, 0, 2, 1], { name: 'shuffled.csv' }), VOTES, 'fer2013new.csv')).toThrow(
      'fer2013new.csv row 4: Usage is PublicTest, but row 4 of shuffled.csv is PrivateTest',
    );
  });

  it('names the first disagreeing row of a shorter (sampled) file too, before the row counts', () => {
    expect(() => joinFerPlusDataset(base([0, 1, 0], { name: 'sample.csv' }), VOTES, 'fer2013new.csv')).toThrow(/row 3: Usage is Training, but row 3 of sample\.csv is PublicTest/);
    expect(() => joinFerPlusDataset(base([0, 0, 1], { name: 'sample.csv' }), VOTES, 'fer2013new.csv')).toThrow(/fer2013new\.csv has 4 rows of faces, but sample\.csv has 3/);
  });

  it('refuses faces whose rows were skipped when read, saying which', () => {
    const skipped = { count: 2, first: ['row 3: expected 2304 pixels, found 2303', 'row 5: emotion is "x"'] };
    expect(() => joinFerPlusDataset(base([0, 0, 1, 2], { skipped }), VOTES, 'fer2013new.csv')).toThrow(
      /fer2013\.csv had 2 rows skipped when it was read \(row 3: expected 2304 pixels, found 2303; row 5: emotion is "x"\), so its rows no longer line up/,
    );
  });

  it('refuses image folders, demo faces, faces with votes already and a CSV without Usage', () => {
    const join = (extra: Partial<FerPlusBase>) => () => joinFerPlusDataset(base([0, 0, 1, 2], extra), VOTES, 'fer2013new.csv');
    expect(join({ images: { files: 4 } })).toThrow(/was read from image folders/);
    expect(join({ synthetic: true })).toThrow(/is generated demo data/);
    expect(join({ hasUsage: false })).toThrow(/has no Usage column/);
    const withVotes = base([0, 0, 1, 2]);
    withVotes.buffers.votes = new Uint8Array(40);
    expect(() => joinFerPlusDataset(withVotes, VOTES, 'fer2013new.csv')).toThrow(/already carries crowd votes/);
  });
});
