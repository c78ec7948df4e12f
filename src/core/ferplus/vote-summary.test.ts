import { describe, expect, it } from 'vitest';
import { summariseVotes, votesText } from './vote-summary';
import { FERPLUS_EMOTIONS } from './votes';

const NAMES = [...FERPLUS_EMOTIONS];
// Per face: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF (made up).
const FACES = [
  [2, 7, 1, 0, 0, 0, 0, 0, 0, 0], // Training: majority Happiness
  [4, 0, 0, 4, 0, 0, 0, 0, 2, 0], // Training: no majority; cross-entropy keeps neutral+sadness (80 %)
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 10], // Training: not a face, dropped everywhere
  [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], // PublicTest: no votes
  [5, 0, 5, 0, 0, 0, 0, 0, 0, 0], // PrivateTest: tie: no majority; cross-entropy and multi-target keep it
];

describe('summariseVotes', () => {
  it('counts faces kept per split and mode, and the mean vote share per class over faces with votes', () => {
    const votes = Uint8Array.from(FACES.flat());
    const summary = summariseVotes(votes, FACES.length, Uint8Array.from([0, 0, 0, 1, 2]), 8);
    expect(summary.splits.map((split) => split.faces)).toEqual([3, 1, 1]);
    expect(summary.splits.map((split) => split.kept)).toEqual([
      { majority: 1, crossentropy: 2, probability: 2, 'multi-target': 2 },
      { majority: 0, crossentropy: 0, probability: 0, 'multi-target': 0 },
      { majority: 0, crossentropy: 1, probability: 1, 'multi-target': 1 },
    ]);
    expect(summary.voted).toBe(4);
    expect(summary.meanShare).toHaveLength(10);
    expect(summary.meanShare[0]).toBeCloseTo((0.2 + 0.4 + 0 + 0.5) / 4, 10);
    expect(summary.meanShare[9]).toBeCloseTo(1 / 4, 10);
    expect(summary.meanShare.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });
});

describe('votesText', () => {
  it('lists a face\u2019s votes most first, unknown and not-a-face named, ties in column order', () => {
    const votes = Uint8Array.from(FACES.flat());
    expect(votesText(votes, 0, NAMES)).toBe('Happiness 7 \u00b7 Neutral 2 \u00b7 Surprise 1');
    expect(votesText(votes, 1, NAMES)).toBe('Neutral 4 \u00b7 Sadness 4 \u00b7 Unknown 2');
    expect(votesText(votes, 2, NAMES)).toBe('Not a face 10');
    expect(votesText(votes, 3, NAMES)).toBe('no votes');
  });
});
