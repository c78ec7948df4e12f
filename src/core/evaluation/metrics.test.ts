import { describe, expect, it } from 'vitest';
import { confidentMistakes } from './mistakes';
import { argMaxRows, averageProbabilities, classificationReport, confusionMatrix, matrixAccuracy, matrixTotal, rowNormalize } from './metrics';

describe('confusion matrix', () => {
  it('counts [true][predicted] pairs', () => {
    const m = confusionMatrix([0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, 1, 2, 2, 2, 2, 0], 3);
    expect(m).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ]);
    expect(matrixTotal(m)).toBe(9);
    expect(matrixAccuracy(m)).toBeCloseTo(6 / 9, 12);
    expect(rowNormalize(m)).toEqual([
      [2 / 3, 1 / 3, 0],
      [0, 1 / 2, 1 / 2],
      [1 / 4, 0, 3 / 4],
    ]);
  });

  it('rejects labels out of range and mismatched lengths instead of dropping faces', () => {
    expect(() => confusionMatrix([0, 3], [0, 0], 3)).toThrow('face 1 has class 3 -> 0, outside 0–2');
    expect(() => confusionMatrix([0], [0, 1], 3)).toThrow('1 true labels but 2 predictions');
  });

  it('leaves rows without faces at 0 when normalising; an empty matrix has NaN accuracy', () => {
    expect(rowNormalize([[0, 0], [1, 3]])).toEqual([[0, 0], [0.25, 0.75]]);
    expect(matrixAccuracy([[0, 0], [0, 0]])).toBeNaN();
  });
});

describe('classification report (hand-computed, scikit-learn conventions)', () => {
  it('per-class precision, recall, F1, support and the averages on a 3-class case', () => {
    const r = classificationReport([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 3],
    ]);
    // Class 0: 2 right of 3 predicted, 2 of 3 true; class 1: 1/2, 1/2; class 2: 3/4, 3/4.
    expect(r.perClass.map((m) => m.precision)).toEqual([2 / 3, 1 / 2, 3 / 4]);
    expect(r.perClass.map((m) => m.recall)).toEqual([2 / 3, 1 / 2, 3 / 4]);
    r.perClass.forEach((m, k) => expect(m.f1).toBeCloseTo([2 / 3, 1 / 2, 3 / 4][k], 12));
    expect(r.perClass.map((m) => m.support)).toEqual([3, 2, 4]);
    expect(r.macro.precision).toBeCloseTo((2 / 3 + 1 / 2 + 3 / 4) / 3, 12);
    expect(r.weighted.precision).toBeCloseTo((3 * (2 / 3) + 2 * (1 / 2) + 4 * (3 / 4)) / 9, 12);
    expect(r.accuracy).toBeCloseTo(6 / 9, 12);
    expect(r.total).toBe(9);
  });

  it('precision differs from recall; a class never predicted and never present scores 0 and counts in the macro mean', () => {
    // truth [0,0,1,1], predicted [0,0,0,1]; class 2 absent.
    const r = classificationReport(confusionMatrix([0, 0, 1, 1], [0, 0, 0, 1], 3));
    expect(r.perClass[0]).toEqual({ precision: 2 / 3, recall: 1, f1: expect.closeTo(0.8, 12), support: 2 });
    expect(r.perClass[1]).toEqual({ precision: 1, recall: 0.5, f1: expect.closeTo(2 / 3, 12), support: 2 });
    expect(r.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.precision).toBeCloseTo(5 / 9, 12);
    expect(r.macro.recall).toBeCloseTo(0.5, 12);
    expect(r.macro.f1).toBeCloseTo((0.8 + 2 / 3) / 3, 12);
    expect(r.weighted.precision).toBeCloseTo(10 / 12, 12);
    expect(r.weighted.recall).toBeCloseTo(0.75, 12); // weighted recall is always the accuracy
    expect(r.weighted.f1).toBeCloseTo((2 * 0.8 + 2 * (2 / 3)) / 4, 12);
    expect(r.accuracy).toBe(0.75);
  });
});

describe('helpers', () => {
  it('argmax per row takes the first of ties', () => {
    expect(Array.from(argMaxRows([0.1, 0.7, 0.2, 0.5, 0.5, 0, 0, 0, 1], 3))).toEqual([1, 0, 2]);
  });

  it('averages TTA probabilities element-wise', () => {
    expect(Array.from(averageProbabilities(Float32Array.of(0.2, 0.8), Float32Array.of(0.6, 0.4)))).toEqual([
      expect.closeTo(0.4, 6),
      expect.closeTo(0.6, 6),
    ]);
    expect(() => averageProbabilities(new Float32Array(2), new Float32Array(3))).toThrow('cannot average 2 and 3');
  });

  it('most confident mistakes per true class, best first, at most k', () => {
    // 4 faces, 3 classes: face 0 true 0 (right), face 1 true 0 predicted 2 at 0.6, face 2 true 0 predicted 1 at 0.9, face 3 true 1 predicted 0 at 0.5.
    const probs = [0.8, 0.1, 0.1, 0.2, 0.2, 0.6, 0.05, 0.9, 0.05, 0.5, 0.3, 0.2];
    const mistakes = confidentMistakes(probs, [0, 0, 0, 1], 3, 1);
    expect(mistakes[0]).toEqual([{ index: 2, trueClass: 0, predicted: 1, confidence: 0.9 }]);
    expect(mistakes[1]).toEqual([{ index: 3, trueClass: 1, predicted: 0, confidence: 0.5 }]);
    expect(mistakes[2]).toEqual([]);
    expect(confidentMistakes(probs, [0, 0, 0, 1], 3, 5)[0].map((m) => m.index)).toEqual([2, 1]);
  });
});
