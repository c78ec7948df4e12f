import { describe, expect, it } from 'vitest';
import { FerPlusFileError, joinFerPlusVotes, parseFerPlusCsv, parseFerPlusFolderLabels } from './label-file';

// Made-up rows in fer2013new.csv's format (no real data).
const HEADER = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF';
const ROWS = [
  'Training,fer0000000.png,4,0,0,1,3,2,0,0,0,0',
  'Training,,0,0,0,0,0,0,0,0,0,10',
  'PublicTest,fer0000002.png,0,10,0,0,0,0,0,0,0,0',
  'PrivateTest,fer0000003.png,1,1,1,1,1,1,1,1,1,1',
];

describe('parseFerPlusCsv', () => {
  it('reads usage, names (empty where FER+ dropped the face) and 10 votes per row', () => {
    const file = parseFerPlusCsv([HEADER, ...ROWS].join('\n') + '\n');
    expect(file.rows).toBe(4);
    expect(Array.from(file.usage)).toEqual([0, 0, 1, 2]);
    expect(file.names).toEqual(['fer0000000.png', '', 'fer0000002.png', 'fer0000003.png']);
    expect(file.votes).toHaveLength(40);
    expect(Array.from(file.votes.subarray(0, 10))).toEqual([4, 0, 0, 1, 3, 2, 0, 0, 0, 0]);
    expect(Array.from(file.votes.subarray(10, 20))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 10]);
  });

  it('tolerates CRLF, a BOM and trailing empty lines', () => {
    const lf = parseFerPlusCsv([HEADER, ...ROWS].join('\n'));
    const crlf = parseFerPlusCsv('\ufeff' + [HEADER, ...ROWS].join('\r\n') + '\r\n\r\n');
    expect(crlf).toEqual(lf);
  });

  it('finds the columns by name, in any order and case', () => {
    const header = 'NF,unknown,Image Name,USAGE,contempt,fear,disgust,anger,sadness,surprise,happiness,neutral';
    const file = parseFerPlusCsv(`${header}\n9,8,x.png,PrivateTest,7,6,5,4,3,2,1,0\n`);
    expect(file.names).toEqual(['x.png']);
    expect(Array.from(file.usage)).toEqual([2]);
    expect(Array.from(file.votes)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('names the missing header columns', () => {
    const header = HEADER.replace(',NF', '').replace('Usage', 'Use');
    expect(() => parseFerPlusCsv(`${header}\n`)).toThrow(/fer2013new\.csv row 1: the header lacks "usage", "nf"/);
  });

  it('names the row and the problem', () => {
    const parse = (row: string) => () => parseFerPlusCsv([HEADER, ROWS[0], row].join('\n'));
    expect(parse('Validation,a.png,0,0,0,0,0,0,0,0,0,10')).toThrow(/row 3: Usage is "Validation", expected Training, PublicTest, PrivateTest/);
    expect(parse('Training,a.png,0,0,0,0,0,0,0,0,0')).toThrow(/row 3: expected 12 fields, found 11/);
    expect(parse('Training,a.png,0,x,0,0,0,0,0,0,0,10')).toThrow(/row 3: happiness is "x", expected a vote count/);
    expect(parse('Training,a.png,0,0,0,0,0,0,0,0,0,256')).toThrow(/row 3: NF is "256"/);
    expect(parse('Training,a.png,0,0,0,0,0,0,0,0,-1,10')).toThrow(/row 3: unknown is "-1"/);
    expect(() => parseFerPlusCsv([HEADER, ROWS[0], '', ROWS[1]].join('\n'))).toThrow(/row 3 is empty/);
    expect(parse('Training,a.png,0,0,0,0,0,0,0,0,0,x')).toThrow(FerPlusFileError);
    expect(() => parseFerPlusCsv('')).toThrow(/fer2013new\.csv is empty/);
  });
});

describe('parseFerPlusFolderLabels', () => {
  it('reads name, box and 10 votes per row (no header), CRLF or LF', () => {
    const text = 'fer0000005.png,"(0, 0, 48, 48)",4,0,0,1,3,2,0,0,0,0\r\nfer0000007.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,2,8\r\n';
    const labels = parseFerPlusFolderLabels(text);
    expect(labels.rows).toBe(2);
    expect(labels.names).toEqual(['fer0000005.png', 'fer0000007.png']);
    expect(Array.from(labels.votes)).toEqual([4, 0, 0, 1, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 8]);
    expect(parseFerPlusFolderLabels(text.replace(/\r\n/g, '\n'))).toEqual(labels);
  });

  it('names the row and the problem (e.g. fer2013new.csv given instead)', () => {
    expect(() => parseFerPlusFolderLabels(`${HEADER}\n`, 'FER2013Train/label.csv')).toThrow(
      /FER2013Train\/label\.csv row 1: column 2 is "Image name", expected a face box/,
    );
    expect(() => parseFerPlusFolderLabels('a.png,"(0, 0, 48, 48)",1,2,3\n')).toThrow(/label\.csv row 1: expected 12 fields .* found 5/);
    expect(() => parseFerPlusFolderLabels('a.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,0,10\n,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,0,10')).toThrow(
      /row 2: the file name \(column 1\) is empty/,
    );
    expect(() => parseFerPlusFolderLabels('a.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,0,ten')).toThrow(/row 1: NF is "ten"/);
  });
});

describe('joinFerPlusVotes', () => {
  const labels = parseFerPlusCsv([HEADER, ...ROWS].join('\n'));

  it('lines the votes up with fer2013.csv when every row agrees', () => {
    const joined = joinFerPlusVotes(Uint8Array.from([0, 0, 1, 2]), labels);
    expect(joined.rows).toBe(4);
    expect(joined.votes).toBe(labels.votes);
    expect(joined.names).toBe(labels.names);
  });

  it('names the first row whose Usage disagrees, with both values', () => {
    expect(() => joinFerPlusVotes(Uint8Array.from([0, 1, 0, 2]), labels)).toThrow(
      'fer2013new.csv row 3: Usage is Training, but row 3 of fer2013.csv is PublicTest — the files are not in the same order (a shuffled or other CSV?)',
    );
  });

  it('refuses a different number of rows', () => {
    expect(() => joinFerPlusVotes(Uint8Array.from([0, 0, 1]), labels, { faces: 'sample.csv' })).toThrow(
      /fer2013new\.csv has 4 rows of faces, but sample\.csv has 3/,
    );
  });
});
