import { describe, expect, it } from 'vitest';
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { FER2013_REFERENCES, FERPLUS_REFERENCES, referencesFor } from './references';

const test = (rows: number, splitLabel = 'PrivateTest (Usage split)') => ({ rows, splitLabel });

describe('published figures beside an evaluation', () => {
  it('FER2013 figures for FER2013’s seven (any order) on all of PrivateTest only', () => {
    expect(referencesFor(FER2013_LABELS.names, test(3589))?.references).toBe(FER2013_REFERENCES);
    expect(referencesFor([...FER2013_LABELS.names].reverse(), test(3589))?.references).toBe(FER2013_REFERENCES);
    expect(referencesFor(FER2013_LABELS.names, test(700))).toBeNull();
    expect(referencesFor(FER2013_LABELS.names, test(3589, 'PublicTest (Usage split)'))).toBeNull();
  });

  it('FER+ figures (the paper’s VGG13 from scratch, 83.85–85.01 %) for FER+’s eight on its majority test set', () => {
    const set = referencesFor(FERPLUS_LABELS.names, test(3153));
    expect(set?.references).toBe(FERPLUS_REFERENCES);
    expect(set?.references.map((r) => r.accuracy)).toEqual([0.8385, 0.8397, 0.8472, 0.8501]);
    expect(referencesFor(FERPLUS_LABELS.names, test(3137))?.references).toBe(FERPLUS_REFERENCES);
    expect(referencesFor(FERPLUS_LABELS.names, test(3589))).toBeNull();
  });

  it('no figures for other classes (merged, left out, the user’s own), whatever the rows', () => {
    expect(referencesFor(['Negative', 'Neutral', 'Positive'], test(3589))).toBeNull();
    expect(referencesFor(FER2013_LABELS.names.slice(1), test(3589))).toBeNull();
    expect(referencesFor(['cats', 'dogs'], test(3153))).toBeNull();
  });
});
