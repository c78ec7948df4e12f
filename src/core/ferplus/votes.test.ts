import { describe, expect, it } from 'vitest';
import { FERPLUS_CLASSES, FERPLUS_EMOTIONS, NO_MAJORITY, processVotes, VOTES_PER_FACE, type FerPlusMode } from './votes';

// Vote rows: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF.
function run(rows: number[][], mode: FerPlusMode) {
  const votes = new Uint8Array(rows.length * VOTES_PER_FACE);
  rows.forEach((row, i) => {
    expect(row).toHaveLength(VOTES_PER_FACE);
    votes.set(row, i * VOTES_PER_FACE);
  });
  return processVotes(votes, rows.length, mode);
}

/** One face: its target (8 numbers) or null when dropped, and its majority label. */
function one(row: number[], mode: FerPlusMode) {
  const out = run([row], mode);
  return { target: out.keep[0] ? Array.from(out.targets) : null, majority: out.majority[0] };
}

const hot = (c: number) => Array.from({ length: FERPLUS_CLASSES }, (_, i) => (i === c ? 1 : 0));
/** Float32 targets as plain numbers. */
const dist = (entries: Record<number, number>) => Array.from({ length: FERPLUS_CLASSES }, (_, i) => Math.fround(entries[i] ?? 0));

describe('FERPLUS_EMOTIONS', () => {
  it('lists the 8 emotions in fer2013new.csv order', () => {
    expect(FERPLUS_EMOTIONS).toEqual(['Neutral', 'Happiness', 'Surprise', 'Sadness', 'Anger', 'Disgust', 'Fear', 'Contempt']);
  });
});

describe('processVotes: majority', () => {
  it('keeps the top emotion when it has more than half the votes', () => {
    expect(one([6, 0, 0, 0, 4, 0, 0, 0, 0, 0], 'majority')).toEqual({ target: hot(0), majority: 0 });
    expect(one([0, 0, 0, 0, 0, 0, 0, 6, 2, 2], 'majority')).toEqual({ target: hot(7), majority: 7 });
  });

  it('drops a face whose top has exactly half (or less)', () => {
    expect(one([5, 0, 0, 5, 0, 0, 0, 0, 0, 0], 'majority')).toEqual({ target: null, majority: NO_MAJORITY });
    expect(one([4, 3, 3, 0, 0, 0, 0, 0, 0, 0], 'majority').target).toBeNull();
  });

  it('sets single votes to 0 first, so the rest decide (and unknown/NF count in the sum)', () => {
    // 4 of 10 raw votes, but 4 of 4 once the single votes go.
    expect(one([4, 1, 1, 1, 1, 1, 1, 0, 0, 0], 'majority')).toEqual({ target: hot(0), majority: 0 });
    // 4 of 10 with 2 unknown and 2 NF and 2 anger: not a majority (unknown/NF are in the sum).
    expect(one([4, 0, 0, 0, 2, 0, 0, 0, 2, 2], 'majority').target).toBeNull();
    // every vote single: nothing left, dropped
    expect(one([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 'majority').target).toBeNull();
  });

  it('drops faces whose majority is unknown or not a face', () => {
    expect(one([2, 0, 0, 0, 0, 0, 0, 0, 6, 2], 'majority')).toEqual({ target: null, majority: NO_MAJORITY });
    expect(one([0, 0, 0, 0, 0, 0, 0, 0, 0, 10], 'majority')).toEqual({ target: null, majority: NO_MAJORITY });
    expect(one([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'majority').target).toBeNull();
  });
});

describe('processVotes: crossentropy and probability', () => {
  for (const mode of ['crossentropy', 'probability'] as const) {
    it(`${mode}: takes top emotions until they cover 75 %`, () => {
      expect(one([6, 4, 0, 0, 0, 0, 0, 0, 0, 0], mode)).toEqual({ target: dist({ 0: 0.6, 1: 0.4 }), majority: 0 });
      // 5 + 3 = 8 >= 7.5: the 2 sadness votes stay out
      expect(one([5, 3, 0, 2, 0, 0, 0, 0, 0, 0], mode)).toEqual({ target: dist({ 0: 5 / 8, 1: 3 / 8 }), majority: NO_MAJORITY });
      // single votes go first: 8 of 8, one emotion
      expect(one([8, 1, 1, 0, 0, 0, 0, 0, 0, 0], mode).target).toEqual(hot(0));
    });

    it(`${mode}: takes tied emotions together, up to 3`, () => {
      expect(one([3, 3, 3, 0, 0, 0, 0, 0, 1, 0], mode)).toEqual({ target: dist({ 0: 1 / 3, 1: 1 / 3, 2: 1 / 3 }), majority: NO_MAJORITY });
      expect(one([0, 0, 0, 0, 4, 4, 0, 0, 2, 0], mode).target).toEqual(dist({ 4: 0.5, 5: 0.5 }));
    });

    it(`${mode}: drops a face that needs more than 3 emotions`, () => {
      expect(one([3, 3, 2, 2, 0, 0, 0, 0, 0, 0], mode).target).toBeNull(); // 3,3 then 2,2 at once: 4
      expect(one([2, 2, 2, 2, 2, 0, 0, 0, 0, 0], mode).target).toBeNull(); // 5 tied
    });

    it(`${mode}: drops a face whose 3 top emotions cover only half the votes`, () => {
      // 5 + 4 + 3 = 12 of 24: exactly 50 % is not enough
      expect(one([5, 4, 3, 2, 2, 2, 2, 2, 2, 0], mode).target).toBeNull();
      // 5 + 4 + 3 = 12 of 22: kept although under 75 % (3 taken)
      expect(one([5, 4, 3, 2, 2, 2, 2, 2, 0, 0], mode).target).toEqual(dist({ 0: 5 / 12, 1: 4 / 12, 2: 3 / 12 }));
    });

    it(`${mode}: unknown or NF tied with the top emotions is taken out and stops the search`, () => {
      // 3,3 and unknown 3: unknown removed; 6 of 9 (> 50 %) kept although under 75 %
      expect(one([3, 3, 0, 0, 0, 0, 0, 0, 3, 0], mode).target).toEqual(dist({ 0: 0.5, 1: 0.5 }));
      expect(one([3, 3, 0, 0, 0, 0, 0, 0, 0, 3], mode).target).toEqual(dist({ 0: 0.5, 1: 0.5 }));
      // 4 and unknown 4: 4 of 10 is not more than half: dropped (majority drops it too)
      expect(one([4, 0, 0, 0, 0, 0, 0, 0, 4, 2], mode)).toEqual({ target: null, majority: NO_MAJORITY });
    });

    it(`${mode}: unknown or NF reached in a later round stops the search there`, () => {
      // 6, then unknown 2 (taken out, and NF 2 is never looked at): 6 of 10 kept as neutral alone
      expect(one([6, 0, 0, 0, 0, 0, 0, 0, 2, 2], mode).target).toEqual(hot(0));
      // 5, then happiness 2 before unknown 2 in the same round: happiness stays, unknown goes
      expect(one([5, 2, 0, 0, 0, 0, 0, 0, 2, 0], mode).target).toEqual(dist({ 0: 5 / 7, 1: 2 / 7 }));
      // 5, then unknown 3: 5 of 10 is not more than half
      expect(one([5, 0, 0, 0, 0, 0, 0, 0, 3, 2], mode).target).toBeNull();
    });

    it(`${mode}: drops a face whose top is unknown or NF`, () => {
      expect(one([4, 0, 0, 0, 0, 0, 0, 0, 6, 0], mode).target).toBeNull();
      expect(one([3, 0, 0, 0, 0, 0, 0, 0, 3, 4], mode).target).toBeNull();
      expect(one([0, 0, 0, 0, 0, 0, 0, 0, 0, 10], mode).target).toBeNull();
      expect(one([1, 1, 1, 1, 1, 1, 1, 1, 1, 1], mode).target).toBeNull();
    });
  }
});

describe('processVotes: multi-target', () => {
  it('counts every emotion with at least 30 % of the votes; the target set is the nonzero entries', () => {
    const face = one([5, 3, 2, 0, 0, 0, 0, 0, 0, 0], 'multi-target');
    expect(face).toEqual({ target: dist({ 0: 5 / 8, 1: 3 / 8 }), majority: NO_MAJORITY });
    expect(face.target!.flatMap((p, c) => (p > 0 ? [c] : []))).toEqual([0, 1]);
    expect(one([4, 4, 2, 0, 0, 0, 0, 0, 0, 0], 'multi-target').target).toEqual(dist({ 0: 0.5, 1: 0.5 }));
  });

  it('drops a face whose counted emotions cover half the votes or less', () => {
    expect(one([2, 2, 2, 2, 2, 0, 0, 0, 0, 0], 'multi-target').target).toBeNull(); // none reaches 3 of 10
    expect(one([4, 2, 2, 2, 0, 0, 0, 0, 0, 0], 'multi-target').target).toBeNull(); // 4 of 10
  });

  it('drops single votes first, then counts unknown/NF in the sum', () => {
    // 3 of 10 raw would cover too little; once the singles go, neutral 3 and NF 2 of 5 both count (>= 1.5),
    // cover 100 %, and NF is left out of the target
    expect(one([3, 1, 1, 1, 1, 1, 0, 0, 0, 2], 'multi-target').target).toEqual(hot(0));
  });

  it('keeps a face whose unknown entry is counted beside a larger or equal emotion, without it', () => {
    expect(one([5, 0, 0, 0, 0, 0, 0, 0, 3, 2], 'multi-target').target).toEqual(hot(0));
    // a tie with unknown: numpy's argmax takes the first, the emotion (crossentropy drops this face)
    expect(one([4, 0, 0, 0, 0, 0, 0, 0, 4, 2], 'multi-target').target).toEqual(hot(0));
    expect(one([4, 0, 0, 0, 0, 0, 0, 0, 4, 2], 'crossentropy').target).toBeNull();
    // unknown larger than the emotions: dropped
    expect(one([3, 0, 0, 0, 0, 0, 0, 0, 5, 2], 'multi-target').target).toBeNull();
  });
});

describe('processVotes: shapes', () => {
  it('returns per-row keep, targets and majority labels, the majority whatever the mode', () => {
    const rows = [
      [6, 4, 0, 0, 0, 0, 0, 0, 0, 0],
      [5, 0, 0, 5, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0, 10],
    ];
    const out = run(rows, 'crossentropy');
    expect(out.rows).toBe(3);
    expect(Array.from(out.keep)).toEqual([1, 1, 0]);
    expect(Array.from(out.majority)).toEqual([0, NO_MAJORITY, NO_MAJORITY]);
    expect(out.targets).toHaveLength(24);
    expect(Array.from(out.targets.subarray(8, 16))).toEqual(dist({ 0: 0.5, 3: 0.5 }));
    expect(Array.from(out.targets.subarray(16))).toEqual(dist({}));
  });

  it('refuses too few votes and unknown modes', () => {
    expect(() => processVotes(new Uint8Array(19), 2, 'majority')).toThrow(/2 faces need 20 vote counts, got 19/);
    expect(() => processVotes(new Uint8Array(10), 1, 'multi_target' as FerPlusMode)).toThrow(/unknown mode "multi_target"/);
  });
});
