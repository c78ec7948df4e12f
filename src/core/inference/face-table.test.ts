import { describe, expect, it } from 'vitest';
import { FER2013_EMOTIONS } from '../labels/fer2013';
import { faceRowsCsv, faceTableRows, sortFaceRows } from './face-table';

const face = (top: number, confidence: number, x = 0) => {
  const probs = new Float32Array(7).fill((1 - confidence) / 6);
  probs[top] = confidence;
  return { box: { x, y: 2.4, width: 30.6, height: 31 }, probs, top, gray: new Float32Array(2304) };
};
const photos = [
  { id: 'b', name: 'b, "quoted".jpg', faces: [face(3, 0.9), face(0, 0.5, 50)] },
  { id: 'a', name: 'a.jpg', faces: [face(3, 0.6)] },
  { id: 'c', name: 'empty.jpg', faces: [] },
];

describe('face table', () => {
  it('has one row per face, numbered within its photo', () => {
    const rows = faceTableRows(photos);
    expect(rows.map((row) => [row.file, row.face, row.top])).toEqual([
      ['b, "quoted".jpg', 1, 3],
      ['b, "quoted".jpg', 2, 0],
      ['a.jpg', 1, 3],
    ]);
  });

  it('sorts by file, by class (then confidence), or by confidence', () => {
    const rows = faceTableRows(photos);
    expect(sortFaceRows(rows, 'file').map((row) => `${row.file}#${row.face}`)).toEqual(['a.jpg#1', 'b, "quoted".jpg#1', 'b, "quoted".jpg#2']);
    expect(sortFaceRows(rows, 'class').map((row) => [row.top, row.confidence])).toEqual([[0, 0.5], [3, expect.closeTo(0.9, 5)], [3, expect.closeTo(0.6, 5)]]);
    expect(sortFaceRows(rows, 'confidence').map((row) => row.confidence.toFixed(1))).toEqual(['0.9', '0.6', '0.5']);
    expect(rows[0].file).toBe('b, "quoted".jpg'); // a copy: the rows themselves keep their order
  });

  it('writes CSV with every probability, quoting file names that need it', () => {
    const csv = faceRowsCsv(faceTableRows(photos), FER2013_EMOTIONS);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('file,face,x,y,width,height,class,confidence,angry,disgust,fear,happy,sad,surprise,neutral');
    expect(lines[1]).toBe('"b, ""quoted"".jpg",1,0,2,31,31,Happy,0.9000,0.0167,0.0167,0.0167,0.9000,0.0167,0.0167,0.0167');
    expect(lines).toHaveLength(4);
  });
});
