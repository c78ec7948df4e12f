import { describe, expect, it } from 'vitest';
import { classChoices, mappingStatement, rowsLeftOut } from './class-choices';
import { FER2013_LABELS } from './fer2013';
import { FERPLUS_LABELS } from './ferplus';
import { LABEL_NONE, plainLabelSet } from './label-set';
import { dropMapping, valenceMapping } from './mapping';

describe('class choices', () => {
  it('FER2013: the file, valence, Disgust into Angry, and each of the seven left out', () => {
    const choices = classChoices(FER2013_LABELS);
    expect(choices.map((c) => c.label)).toEqual([
      'As in the file (7 classes)',
      'Merge into negative, neutral, positive (3 classes)',
      'Fold Disgust into Angry (6 classes)',
      ...FER2013_LABELS.names.map((name) => `Leave out ${name} (6 classes)`),
    ]);
    expect(choices[0].mapping).toBeNull();
    expect(choices[2].mapping?.to).toEqual([0, 0, 1, 2, 3, 4, 5]);
  });

  it('FER+ folds Disgust into Anger; a plain two-class set offers only the file (no valence, nothing to leave out)', () => {
    expect(classChoices(FERPLUS_LABELS).find((c) => c.key.startsWith('fold'))?.label).toBe('Fold Disgust into Anger (7 classes)');
    expect(classChoices(plainLabelSet(['cats', 'dogs'])).map((c) => c.key)).toEqual(['file']);
  });

  it('states what was applied, and how many faces are in no split', () => {
    const valence = { ...valenceMapping(FER2013_LABELS)!, from: [...FER2013_LABELS.names] };
    expect(mappingStatement(valence, 0)).toBe(
      'Classes merged (valence: negative, neutral, positive): 3 classes (Negative, Neutral, Positive) from the file’s 7 (Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral).',
    );
    const drop = { ...dropMapping(FER2013_LABELS, 1), from: [...FER2013_LABELS.names] };
    expect(mappingStatement(drop, 547)).toMatch(/^Classes left out \(Disgust left out\): 6 classes \(.*\) from the file’s 7 \(.*\); 547 faces are in no split\.$/);
    expect(rowsLeftOut(Uint8Array.from([0, 1, LABEL_NONE, 1]), Uint8Array.from([0, LABEL_NONE, LABEL_NONE, LABEL_NONE]))).toBe(2);
  });
});
