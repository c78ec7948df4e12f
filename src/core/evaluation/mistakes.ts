// Pure selection of the most confident mistakes per true class, for the misclassified gallery. No DOM.

export interface Mistake {
  /** Position of the face in the evaluated rows (0-based; not the data-set row number). */
  index: number;
  trueClass: number;
  predicted: number;
  /** Probability the model gave its (wrong) prediction, 0–1. */
  confidence: number;
}

/**
 * For each true class, up to `perClass` faces the model got wrong, most confident first (ties: lower index).
 * @param probs row-major [n, classes] probabilities; truth true class per face (length n).
 * @returns one array per class (length classes).
 */
export function confidentMistakes(probs: ArrayLike<number>, truth: ArrayLike<number>, classes: number, perClass: number): Mistake[][] {
  const byClass: Mistake[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < truth.length; i++) {
    const base = i * classes;
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (probs[base + c] > probs[base + predicted]) predicted = c;
    const trueClass = truth[i];
    if (predicted !== trueClass) byClass[trueClass].push({ index: i, trueClass, predicted, confidence: probs[base + predicted] });
  }
  return byClass.map((list) => list.sort((a, b) => b.confidence - a.confidence || a.index - b.index).slice(0, perClass));
}
