import { describe, expect, it } from 'vitest';
import { ferPlusLabelFiles, isFerPlusLayout, matchFerPlusFolders } from './folder-layout';

const row = (name: string, votes: number[]) => `${name},"(0, 0, 48, 48)",${votes.join(',')}`;
const V = (n: number) => Array.from({ length: 10 }, (_, i) => (i === 0 ? n : 0));

describe('FER+ folder layout', () => {
  const paths = [
    'ferplus/data/FER2013Train/fer0000001.png',
    'ferplus/data/FER2013Train/label.csv',
    'ferplus/data/FER2013Train/fer0000000.png',
    'ferplus/data/FER2013Train/fer0000009.png', // no label row
    'ferplus/data/FER2013Valid/label.csv',
    'ferplus/data/FER2013Valid/fer0000002.png',
    'ferplus/data/FER2013Test/fer0000003.PNG',
    'ferplus/data/fer2013test/label.csv',
    '__MACOSX/ferplus/data/FER2013Train/._fer0000000.png',
    'ferplus/data/FER2013Train/.DS_Store',
    'ferplus/README.md',
  ];
  const texts = new Map([
    ['ferplus/data/FER2013Train/label.csv', [row('fer0000000.png', V(10)), row('fer0000001.png', V(9)), row('fer0000008.png', V(8))].join('\r\n')],
    ['ferplus/data/FER2013Valid/label.csv', row('fer0000002.png', V(7))],
    ['ferplus/data/fer2013test/label.csv', [row('fer0000003.png', V(5)), row('fer0000003.png', V(6))].join('\n') + '\n'],
  ]);

  it('recognises the folders at any depth and lists their label.csv files', () => {
    expect(isFerPlusLayout(paths)).toBe(true);
    expect(isFerPlusLayout(['train/happy/1.png', 'FER2013Train.zip', 'FER2013Train/sub/x.png'])).toBe(false);
    expect(isFerPlusLayout(['FER2013Valid\\fer0000002.png'])).toBe(true);
    expect(ferPlusLabelFiles(paths)).toEqual([...texts.keys()]);
  });

  it('gives each PNG its split and votes row, folder by folder in label.csv order', () => {
    const found = matchFerPlusFolders(paths, texts);
    expect(found.faces).toBe(4);
    expect(Array.from(found.source).map((i) => paths[i])).toEqual([
      'ferplus/data/FER2013Train/fer0000000.png',
      'ferplus/data/FER2013Train/fer0000001.png',
      'ferplus/data/FER2013Valid/fer0000002.png',
      'ferplus/data/FER2013Test/fer0000003.PNG',
    ]);
    expect(Array.from(found.split)).toEqual([0, 0, 1, 2]);
    expect(Array.from(found.votes.filter((_, i) => i % 10 === 0))).toEqual([10, 9, 7, 6]); // the later duplicate wins
    expect(found.votes).toHaveLength(40);
  });

  it('reports PNGs without a label row, label rows without a PNG, repeated names and folders without label.csv', () => {
    const found = matchFerPlusFolders([...paths, 'other/FER2013Valid/fer0000004.png'], texts);
    expect(found.pngsWithoutLabel).toEqual(['ferplus/data/FER2013Train/fer0000009.png', 'other/FER2013Valid/fer0000004.png']);
    expect(found.labelsWithoutPng).toEqual([{ labelPath: 'ferplus/data/FER2013Train/label.csv', row: 3, name: 'fer0000008.png' }]);
    expect(found.duplicateLabelRows).toEqual([{ labelPath: 'ferplus/data/fer2013test/label.csv', row: 1, name: 'fer0000003.png' }]);
    expect(found.foldersWithoutLabelFile).toEqual(['other/FER2013Valid']);
  });

  it('passes label.csv errors on with the path, and refuses a missing text', () => {
    const broken = new Map(texts).set('ferplus/data/FER2013Valid/label.csv', 'fer0000002.png,0,0');
    expect(() => matchFerPlusFolders(paths, broken)).toThrow(/ferplus\/data\/FER2013Valid\/label\.csv row 1: expected 12 fields/);
    const missing = new Map(texts);
    missing.delete('ferplus/data/FER2013Valid/label.csv');
    expect(() => matchFerPlusFolders(paths, missing)).toThrow(/no text given for ferplus\/data\/FER2013Valid\/label\.csv/);
  });
});
