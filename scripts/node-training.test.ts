// The Node loading path's label options: --labels and --merge parsing, and merging classes of labels and votes.
import { describe, expect, it } from 'vitest';
import { FER2013_LABELS } from '../src/core/labels/fer2013';
import { FERPLUS_LABELS } from '../src/core/labels/ferplus';
import { LABEL_NONE } from '../src/core/labels/label-set';
import { valenceMapping } from '../src/core/labels/mapping';
import { mergeClasses, parseLabelsOption, parseMergeOption } from './node-training';

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
