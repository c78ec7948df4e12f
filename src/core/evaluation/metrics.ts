// Pure classification metrics (confusion matrix, precision/recall/F1, averages) on plain arrays. No DOM, no tfjs.

/** A square count matrix: matrix[trueClass][predictedClass]. */
export type ConfusionMatrix = number[][];

export interface ClassMetrics {
  /** Of the faces predicted as this class, the fraction that truly are (0 when none was predicted). */
  precision: number;
  /** Of the faces of this class, the fraction predicted as it (0 when the class has no faces). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Faces whose true class this is. */
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  perClass: ClassMetrics[];
  /** Unweighted mean over all classes (scikit-learn's "macro avg"), absent classes included as 0. */
  macro: AveragedMetrics;
  /** Mean weighted by support (scikit-learn's "weighted avg"). */
  weighted: AveragedMetrics;
  accuracy: number;
  /** Faces counted in the matrix. */
  total: number;
}

/**
 * Index of the largest value in each row of a row-major [rows, classes] array (the first on ties).
 * @returns Uint8Array of length rows (classes must be <= 256).
 */
export function argMaxRows(probs: ArrayLike<number>, classes: number): Uint8Array {
  const rows = Math.floor(probs.length / classes);
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[base + c] > probs[base + best]) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * Counts of (true, predicted) pairs. Labels outside 0..classes-1 throw (they would silently vanish otherwise).
 * @param truth true class per face; predicted predicted class per face (same length).
 */
export function confusionMatrix(truth: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new Error(`confusion matrix: ${truth.length} true labels but ${predicted.length} predictions`);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) {
    const t = truth[i];
    const p = predicted[i];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) throw new Error(`confusion matrix: face ${i} has class ${t} -> ${p}, outside 0–${classes - 1}`);
    matrix[t][p]++;
  }
  return matrix;
}

export function matrixTotal(matrix: ConfusionMatrix): number {
  return matrix.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
}

/** Fraction of faces on the diagonal (NaN for an empty matrix). */
export function matrixAccuracy(matrix: ConfusionMatrix): number {
  const total = matrixTotal(matrix);
  return total === 0 ? NaN : matrix.reduce((sum, row, i) => sum + row[i], 0) / total;
}

/** Each row divided by its sum (recall per cell); rows without faces stay 0. */
export function rowNormalize(matrix: ConfusionMatrix): number[][] {
  return matrix.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((count) => (sum === 0 ? 0 : count / sum));
  });
}

/**
 * Per-class precision, recall, F1 and support with macro and weighted averages, as scikit-learn's
 * classification_report(labels=all classes, zero_division=0) computes them.
 */
export function classificationReport(matrix: ConfusionMatrix): ClassificationReport {
  const classes = matrix.length;
  const total = matrixTotal(matrix);
  const perClass: ClassMetrics[] = [];
  for (let k = 0; k < classes; k++) {
    const truePositives = matrix[k][k];
    const support = matrix[k].reduce((a, b) => a + b, 0);
    let predictedAs = 0;
    for (let t = 0; t < classes; t++) predictedAs += matrix[t][k];
    const precision = predictedAs === 0 ? 0 : truePositives / predictedAs;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    perClass.push({ precision, recall, f1, support });
  }
  const mean = (pick: (m: ClassMetrics) => number, weight: (m: ClassMetrics) => number) => {
    const weights = perClass.reduce((sum, m) => sum + weight(m), 0);
    return weights === 0 ? 0 : perClass.reduce((sum, m) => sum + pick(m) * weight(m), 0) / weights;
  };
  const average = (weight: (m: ClassMetrics) => number): AveragedMetrics => ({
    precision: mean((m) => m.precision, weight),
    recall: mean((m) => m.recall, weight),
    f1: mean((m) => m.f1, weight),
  });
  return { perClass, macro: average(() => 1), weighted: average((m) => m.support), accuracy: matrixAccuracy(matrix), total };
}

/**
 * Element-wise mean of two equally long probability arrays (test-time augmentation: original + flipped).
 * @returns a new Float32Array; the inputs are not modified.
 */
export function averageProbabilities(a: Float32Array, b: Float32Array): Float32Array {
  if (a.length !== b.length) throw new Error(`cannot average ${a.length} and ${b.length} probabilities`);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] + b[i]) / 2;
  return out;
}
