import { describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { FERPLUS_LABELS } from './ferplus';
import { LABEL_NONE, plainLabelSet } from './label-set';
import { drawClass, voteTargets, type VoteMode } from './targets';

// FER+ vote rows: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF.
const ROWS = [
  [8, 2, 0, 0, 0, 0, 0, 0, 0, 0], // 0: clear neutral
  [5, 4, 1, 0, 0, 0, 0, 0, 0, 0], // 1: the single surprise vote goes; 5 of 9 is a majority; CE 5/9, 4/9
  [4, 3, 3, 0, 0, 0, 0, 0, 0, 0], // 2: no majority; CE and multi-target 0.4 / 0.3 / 0.3
  [2, 0, 0, 0, 0, 0, 0, 0, 8, 0], // 3: unknown tops: dropped in every mode
  [3, 3, 2, 2, 0, 0, 0, 0, 0, 0], // 4: CE needs 4 emotions (two ties): dropped; multi-target keeps 0.5 / 0.5
  [0, 0, 0, 0, 0, 0, 3, 0, 0, 7], // 5: not a face
];

function buffers(rows: number[][] = ROWS) {
  const votes = new Uint8Array(rows.length * 10);
  rows.forEach((row, i) => votes.set(row, i * 10));
  return { rows: rows.length, votes, labelSet: FERPLUS_LABELS };
}

/** Row r's target as plain numbers (float32 rounding kept), e.g. for toEqual. */
const f32 = (values: number[]) => values.map((v) => Math.fround(v));
const rowOf = (targets: Float32Array, r: number, classes = 8) => Array.from(targets.subarray(r * classes, (r + 1) * classes));
const padded = (entries: number[], classes = 8) => f32([...entries, ...new Array<number>(classes - entries.length).fill(0)]);

describe('voteTargets', () => {
  it('is null for a data set without votes (it trains on its labels)', () => {
    expect(voteTargets({ rows: 2, labelSet: FERPLUS_LABELS }, 'crossentropy')).toBeNull();
  });

  it('majority: one-hot on the clear majority, LABEL_NONE (and zero targets) for the rest', () => {
    const t = voteTargets(buffers(), 'majority')!;
    expect(t.mode).toBe('majority');
    expect(Array.from(t.labels)).toEqual([0, 0, LABEL_NONE, LABEL_NONE, LABEL_NONE, LABEL_NONE]);
    expect(rowOf(t.targets, 0)).toEqual(padded([1]));
    expect(rowOf(t.targets, 1)).toEqual(padded([1]));
    for (const r of [2, 3, 4, 5]) expect(rowOf(t.targets, r)).toEqual(padded([]));
  });

  it('crossentropy and probability: the kept top emotions\u2019 votes, normalised; the label is the top class', () => {
    for (const mode of ['crossentropy', 'probability'] as VoteMode[]) {
      const t = voteTargets(buffers(), mode)!;
      expect(Array.from(t.labels)).toEqual([0, 0, 0, LABEL_NONE, LABEL_NONE, LABEL_NONE]);
      expect(rowOf(t.targets, 0)).toEqual(padded([1])); // 8 of 10 already covers 75 %
      expect(rowOf(t.targets, 1)).toEqual(padded([5 / 9, 4 / 9]));
      expect(rowOf(t.targets, 2)).toEqual(padded([0.4, 0.3, 0.3]));
      expect(rowOf(t.targets, 4)).toEqual(padded([]));
    }
  });

  it('multi-target: the emotions with at least 30 % of the votes', () => {
    const t = voteTargets(buffers(), 'multi-target')!;
    expect(Array.from(t.labels)).toEqual([0, 0, 0, LABEL_NONE, 0, LABEL_NONE]);
    expect(rowOf(t.targets, 0)).toEqual(padded([1]));
    expect(rowOf(t.targets, 1)).toEqual(padded([5 / 9, 4 / 9]));
    expect(rowOf(t.targets, 2)).toEqual(padded([0.4, 0.3, 0.3]));
    expect(rowOf(t.targets, 4)).toEqual(padded([0.5, 0.5]));
  });

  it('takes the class count from the label set (merged votes: K classes + unknown + NF)', () => {
    // Three classes: A, B, C, unknown, NF.
    const votes = Uint8Array.from([
      ...[3, 5, 2, 0, 0], // B 5 of 10, then A: 8 of 10 cover 75 %
      ...[0, 4, 6, 0, 0], // CE: C 0.6, B 0.4
      ...[3, 0, 0, 7, 0], // unknown tops
    ]);
    const t = voteTargets({ rows: 3, votes, labelSet: plainLabelSet(['A', 'B', 'C']) }, 'crossentropy')!;
    expect(t.targets).toHaveLength(9);
    expect(Array.from(t.labels)).toEqual([1, 2, LABEL_NONE]);
    expect(rowOf(t.targets, 0, 3)).toEqual(padded([3 / 8, 5 / 8], 3));
    expect(rowOf(t.targets, 1, 3)).toEqual(padded([0, 0.4, 0.6], 3));
  });
});

describe('drawClass (probability mode)', () => {
  // Row 1 of two rows of 4 classes; class 3 has no mass and must never come up.
  const targets = Float32Array.from([1, 0, 0, 0, 0.5, 0.3, 0.2, 0]);

  it('draws each class about as often as its probability, never a class without mass', () => {
    const random = createRng(11);
    const draws = 40_000;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < draws; i++) counts[drawClass(targets, 4, 1, random)]++;
    // Binomial standard deviation at most sqrt(0.25 / 40,000) = 0.0025: 0.01 is four of them.
    expect(counts[0] / draws).toBeCloseTo(0.5, 1);
    expect(Math.abs(counts[0] / draws - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(counts[1] / draws - 0.3)).toBeLessThan(0.01);
    expect(Math.abs(counts[2] / draws - 0.2)).toBeLessThan(0.01);
    expect(counts[3]).toBe(0);
    // Row 0 is one-hot: always class 0.
    for (let i = 0; i < 1000; i++) expect(drawClass(targets, 4, 0, random)).toBe(0);
  });

  it('is deterministic for a seed, and differs between seeds', () => {
    const sequence = (seed: number) => {
      const random = createRng(seed);
      return Array.from({ length: 200 }, () => drawClass(targets, 4, 1, random));
    };
    expect(sequence(5)).toEqual(sequence(5));
    expect(sequence(5)).not.toEqual(sequence(6));
  });

  it('maps the uniform draw onto the cumulative distribution, rounding slivers to the last class with mass', () => {
    const at = (u: number) => drawClass(targets, 4, 1, () => u);
    expect(at(0)).toBe(0);
    expect(at(0.4999)).toBe(0);
    expect(at(0.5001)).toBe(1);
    expect(at(0.7999)).toBe(1);
    expect(at(0.8001)).toBe(2);
    // Float32 targets may sum to just under 1: a draw past the sum falls on the last class with mass, not class 3.
    expect(at(0.9999999999)).toBe(2);
    // A zero-mass first class is never drawn, even for u = 0.
    expect(drawClass(Float32Array.from([0, 0.6, 0.4]), 3, 0, () => 0)).toBe(1);
  });
});
