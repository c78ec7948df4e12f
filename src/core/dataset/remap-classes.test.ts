import { describe, expect, it } from 'vitest';
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { LABEL_NONE } from '../labels/label-set';
import { dropMapping, foldMapping, valenceMapping } from '../labels/mapping';
import { PIXELS } from './face-format';
import { describeDataset, type LoadedDataset } from './loaded-dataset';
import { remapDataset, sameMapping } from './remap-classes';
import { splitDataset } from './splits';

const info = { name: 'generated', synthetic: false, bytes: 0, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 };

/** `rows` faces with FER2013 labels 0..6 in turn and usages in turn. */
function fer2013(rows: number): LoadedDataset {
  const buffers = {
    rows,
    pixels: Uint8Array.from({ length: rows * PIXELS }, (_, i) => (i * 7) % 256),
    labels: Uint8Array.from({ length: rows }, (_, i) => i % 7),
    usage: Uint8Array.from({ length: rows }, (_, i) => i % 3),
    labelSet: FER2013_LABELS,
  };
  return describeDataset(buffers, info);
}

describe('remapDataset', () => {
  it('merges FER2013 into valence: labels mapped row by row, new label set and fingerprint, the source kept; the input untouched', () => {
    const dataset = fer2013(21);
    const labelsBefore = dataset.buffers.labels.slice();
    const merged = remapDataset(dataset, valenceMapping(FER2013_LABELS)!);
    // Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral -> Negative 0, Neutral 1, Positive 2
    const valence = [0, 0, 0, 2, 0, 2, 1];
    expect(Array.from(merged.buffers.labels)).toEqual(Array.from(labelsBefore, (label) => valence[label]));
    expect(merged.buffers.labelSet.names).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(merged.buffers.mapping).toMatchObject({ names: ['Negative', 'Neutral', 'Positive'], from: FER2013_LABELS.names, to: valence });
    expect(merged.fingerprint).not.toBe(dataset.fingerprint);
    expect(merged.sourceClasses?.labelSet).toBe(FER2013_LABELS);
    expect(Array.from(merged.sourceClasses!.labels)).toEqual(Array.from(labelsBefore));
    // Pixels, usage and statistics are the same arrays: labels do not change them.
    expect(merged.buffers.pixels).toBe(dataset.buffers.pixels);
    expect(merged.stats).toBe(dataset.stats);
    expect(dataset.buffers.labels).toEqual(labelsBefore);
    expect(dataset.buffers.mapping).toBeUndefined();
  });

  it('another choice applies to the file’s classes, not to the last choice; null brings the file’s classes and fingerprint back', () => {
    const dataset = fer2013(21);
    const merged = remapDataset(dataset, valenceMapping(FER2013_LABELS)!);
    const withoutDisgust = remapDataset(merged, dropMapping(FER2013_LABELS, 1));
    expect(withoutDisgust.buffers.labelSet.names).toEqual(['Angry', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral']);
    expect(withoutDisgust.buffers.mapping?.from).toEqual(FER2013_LABELS.names);
    // Disgust's rows (label 1) are in no split; the rest shift down past it.
    const expected = Array.from(dataset.buffers.labels, (label) => (label === 1 ? LABEL_NONE : label > 1 ? label - 1 : label));
    expect(Array.from(withoutDisgust.buffers.labels)).toEqual(expected);
    const split = splitDataset(withoutDisgust.buffers, { strategy: 'usage', seed: 42 });
    expect(split.train.length + split.validation.length + split.test.length).toBe(18);

    const back = remapDataset(withoutDisgust, null);
    expect(back.fingerprint).toBe(dataset.fingerprint);
    expect(back.buffers.labelSet).toBe(FER2013_LABELS);
    expect(Array.from(back.buffers.labels)).toEqual(Array.from(dataset.buffers.labels));
    expect(back.buffers.mapping).toBeUndefined();
    expect(back.sourceClasses).toBeUndefined();
  });

  it('folds Disgust into Angry, keeping the colours of the classes that stay', () => {
    const folded = remapDataset(fer2013(14), foldMapping(FER2013_LABELS, 1, 0));
    expect(folded.buffers.labelSet.names).toEqual(['Angry', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral']);
    expect(folded.buffers.labelSet.colors?.[0]).toBe(FER2013_LABELS.colors![0]);
    expect(Array.from(folded.buffers.labels.subarray(0, 7))).toEqual([0, 0, 1, 2, 3, 4, 5]);
    expect(folded.buffers.mapping?.title).toBe('Disgust folded into Angry');
  });

  it('refuses a mapping that does not fit the source classes, naming them', () => {
    const dataset = fer2013(7);
    expect(() => remapDataset(dataset, { title: 'bad', names: ['A', 'B'], to: [0, 1] })).toThrow(
      /cannot be applied to Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral \(7 classes\): it maps 2 classes, the data has 7/,
    );
  });

  it('merges crowd votes and takes the merged majority (a face split between two negative classes becomes Negative)', () => {
    // FER+ votes: 8 emotions (Neutral, Happiness, Surprise, Sadness, Anger, Disgust, Fear, Contempt), unknown, NF.
    const votes = Uint8Array.from([
      [4, 0, 0, 3, 3, 0, 0, 0, 0, 0], // no majority (4 of 10); Negative 6 of 10 once merged
      [0, 9, 1, 0, 0, 0, 0, 0, 0, 0], // Happiness; Positive
      [8, 0, 0, 0, 0, 0, 0, 0, 2, 0], // Neutral; Neutral
    ].flat());
    const buffers = {
      rows: 3,
      pixels: new Uint8Array(3 * PIXELS),
      labels: Uint8Array.from([LABEL_NONE, 1, 0]),
      usage: Uint8Array.from([2, 2, 2]),
      labelSet: FERPLUS_LABELS,
      votes,
    };
    const dataset = describeDataset(buffers, info);
    const merged = remapDataset(dataset, valenceMapping(FERPLUS_LABELS)!);
    expect(merged.buffers.labelSet.names).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(Array.from(merged.buffers.votes!)).toEqual([6, 4, 0, 0, 0, 0, 0, 10, 0, 0, 0, 8, 0, 2, 0]);
    expect(Array.from(merged.buffers.labels)).toEqual([0, 2, 1]);
    const back = remapDataset(merged, null);
    expect(back.buffers.votes).toBe(votes);
    expect(back.fingerprint).toBe(dataset.fingerprint);
  });

  it('sameMapping tells the applied choice among the offered ones', () => {
    const valence = valenceMapping(FER2013_LABELS)!;
    expect(sameMapping(valence, { names: ['negative', 'NEUTRAL', 'Positive'], to: [...valence.to] })).toBe(true);
    expect(sameMapping(valence, dropMapping(FER2013_LABELS, 1))).toBe(false);
    expect(sameMapping(null, undefined)).toBe(true);
    expect(sameMapping(valence, null)).toBe(false);
  });
});
