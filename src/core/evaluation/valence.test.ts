import { describe, expect, it } from 'vitest';
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { valenceIndices, valenceMatrix, VALENCES } from './valence';

describe('valence', () => {
  it('reads each class\'s group from the label set (FER2013: negative Angry/Disgust/Fear/Sad, positive Happy/Surprise)', () => {
    expect(valenceIndices(FER2013_LABELS.valence)).toEqual([0, 0, 0, 2, 0, 2, 1]);
    expect(VALENCES).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(valenceIndices(FERPLUS_LABELS.valence)).toEqual([1, 2, 2, 0, 0, 0, 0, 0]);
    expect(valenceIndices(undefined)).toBeNull();
  });

  it('collapses a 7x7 matrix into 3x3 by valence, keeping every face', () => {
    const m = FER2013_LABELS.names.map(() => FER2013_LABELS.names.map(() => 0));
    m[0][4] = 5; // Angry predicted Sad: negative hit
    m[3][5] = 2; // Happy predicted Surprise: positive hit
    m[6][3] = 1; // Neutral predicted Happy: miss
    m[2][2] = 4;
    const v = valenceMatrix(m, FER2013_LABELS.valence)!;
    expect(v).toEqual([
      [9, 0, 0],
      [0, 0, 1],
      [0, 0, 2],
    ]);
    expect(v.flat().reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('has no valence view for classes without groups, and refuses a matrix of another size', () => {
    expect(valenceMatrix([[1]], undefined)).toBeNull();
    expect(() => valenceMatrix([[1, 2], [3, 4]], ['Positive'])).toThrow(/2-class matrix with 1/);
  });
});
