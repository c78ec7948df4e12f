import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../emotions';
import { matrixAccuracy } from './metrics';
import { valenceIndices, valenceMatrix, valenceOf, VALENCES } from './valence';

describe('valence', () => {
  it('maps the seven emotions: positive Happy, Surprise; neutral Neutral; negative Angry, Disgust, Fear, Sad', () => {
    expect(EMOTIONS.map(valenceOf)).toEqual(['Negative', 'Negative', 'Negative', 'Positive', 'Negative', 'Positive', 'Neutral']);
    expect(VALENCES).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(valenceOf('Contempt')).toBeNull();
    expect(valenceOf('constructor')).toBeNull();
    expect(valenceIndices(['Happy', 'Contempt'])).toBeNull();
  });

  it('collapses a 7x7 matrix: mistakes within one valence become hits', () => {
    const m = EMOTIONS.map(() => EMOTIONS.map(() => 0));
    m[2][4] = 5; // Fear -> Sad: negative, right
    m[3][5] = 2; // Happy -> Surprise: positive, right
    m[6][6] = 4; // Neutral -> Neutral
    m[0][3] = 1; // Angry -> Happy: negative -> positive, wrong
    m[5][6] = 3; // Surprise -> Neutral: positive -> neutral, wrong
    const v = valenceMatrix(m, EMOTIONS)!;
    expect(v).toEqual([
      [5, 0, 1],
      [0, 4, 0],
      [0, 3, 2],
    ]);
    expect(matrixAccuracy(v)).toBeCloseTo(11 / 15, 12);
    expect(matrixAccuracy(m)).toBeCloseTo(4 / 15, 12);
  });

  it('follows the labels, not their positions, and gives no view for unknown labels', () => {
    expect(valenceMatrix([[1, 2], [3, 4]], ['Happy', 'Sad'])).toEqual([
      [4, 0, 3],
      [0, 0, 0],
      [2, 0, 1],
    ]);
    expect(valenceMatrix([[1]], ['Other'])).toBeNull();
  });
});
