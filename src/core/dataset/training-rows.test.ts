// trainingRows on a data set with crowd votes (FER+): the vote mode picks the training rows and targets;
// validation is always majority-filtered.
import { describe, expect, it } from 'vitest';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { LABEL_NONE } from '../labels/label-set';
import { processVotes } from '../ferplus/votes';
import { describeDataset, trainingRows } from './loaded-dataset';
import { splitDataset, usageSplit } from './splits';
import type { DatasetBuffers } from './types';

// Per row: usage (0 Training, 1 PublicTest, 2 PrivateTest) and FER+ votes (8 emotions, unknown, NF).
const ROWS: [number, number[]][] = [
  [0, [8, 2, 0, 0, 0, 0, 0, 0, 0, 0]], // 0  majority + CE + MT
  [0, [4, 3, 3, 0, 0, 0, 0, 0, 0, 0]], // 1  CE + MT, no majority
  [0, [3, 3, 2, 2, 0, 0, 0, 0, 0, 0]], // 2  MT only
  [0, [2, 0, 0, 0, 0, 0, 0, 0, 8, 0]], // 3  dropped everywhere (unknown)
  [1, [0, 9, 1, 0, 0, 0, 0, 0, 0, 0]], // 4  PublicTest, majority
  [1, [4, 3, 3, 0, 0, 0, 0, 0, 0, 0]], // 5  PublicTest, no majority: not validated on
  [2, [0, 0, 6, 4, 0, 0, 0, 0, 0, 0]], // 6  PrivateTest, majority
  [2, [4, 3, 3, 0, 0, 0, 0, 0, 0, 0]], // 7  PrivateTest, no majority
  [0, [0, 0, 0, 0, 6, 4, 0, 0, 0, 0]], // 8  majority + CE + MT
  [1, [0, 0, 0, 0, 0, 0, 0, 10, 0, 0]], // 9 PublicTest, majority
];

function ferPlusBuffers(): DatasetBuffers {
  const rows = ROWS.length;
  const votes = new Uint8Array(rows * 10);
  ROWS.forEach(([, v], i) => votes.set(v, i * 10));
  const pixels = new Uint8Array(rows * 2304);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 251;
  return {
    rows,
    pixels,
    usage: Uint8Array.from(ROWS.map(([u]) => u)),
    labels: processVotes(votes, rows, 'majority').majority,
    votes,
    labelSet: FERPLUS_LABELS,
  };
}

const info = { name: 'fer2013.csv + fer2013new.csv', synthetic: false, bytes: 0, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 };
const usage = { strategy: 'usage', seed: 42 } as const;

describe('trainingRows with votes', () => {
  const dataset = describeDataset(ferPlusBuffers(), info);

  it('majority labels in the buffers: LABEL_NONE where no clear majority', () => {
    expect(Array.from(dataset.buffers.labels)).toEqual([0, LABEL_NONE, LABEL_NONE, LABEL_NONE, 1, LABEL_NONE, 2, LABEL_NONE, 4, 7]);
  });

  it.each([
    ['majority', [0, 8]],
    ['crossentropy', [0, 1, 8]],
    ['probability', [0, 1, 8]],
    ['multi-target', [0, 1, 2, 8]],
  ] as const)('%s: trains on the Training rows the mode keeps, validates on majority-filtered PublicTest', (mode, train) => {
    const rows = trainingRows(dataset, usage, false, mode);
    expect(Array.from(rows.train)).toEqual(train);
    expect(Array.from(rows.validation)).toEqual([4, 9]);
    expect(rows.soft?.mode).toBe(mode);
    // Every training row has a class in the mode's labels, and its target row sums to 1.
    for (const row of rows.train) {
      expect(rows.soft!.labels[row]).not.toBe(LABEL_NONE);
      const target = rows.soft!.targets.subarray(row * 8, (row + 1) * 8);
      expect(target.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    // Standardised with the Training rows' statistics (all of them, the dropped faces too), as without votes.
    expect(rows.stats).toBe(dataset.stats.usageTrain);
  });

  it('the test split (splitDataset on the majority labels) is majority-filtered PrivateTest', () => {
    expect(Array.from(splitDataset(dataset.buffers, usage).test)).toEqual([6]);
  });

  it('a data set without votes trains on its labels: no soft targets, the plain split', () => {
    const { votes: _votes, ...plain } = ferPlusBuffers();
    const labels = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 0, 1]);
    const noVotes = describeDataset({ ...plain, labels }, info);
    const rows = trainingRows(noVotes, usage, false, 'crossentropy');
    expect(rows.soft).toBeUndefined();
    expect(Array.from(rows.train)).toEqual(Array.from(usageSplit(noVotes.buffers.usage).train));
    expect(Array.from(rows.validation)).toEqual([4, 5, 9]);
  });
});
