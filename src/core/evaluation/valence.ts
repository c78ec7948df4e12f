// Pure 3-class valence view of a 7-class emotion confusion matrix. No DOM.
import type { ConfusionMatrix } from './metrics';

/** Valence classes, in matrix order. */
export const VALENCES = ['Negative', 'Neutral', 'Positive'] as const;
export type Valence = (typeof VALENCES)[number];

/** Positive = Happy, Surprise; neutral = Neutral; negative = Angry, Disgust, Fear, Sad. */
const VALENCE_OF_EMOTION: Readonly<Record<string, Valence>> = {
  Angry: 'Negative',
  Disgust: 'Negative',
  Fear: 'Negative',
  Sad: 'Negative',
  Neutral: 'Neutral',
  Happy: 'Positive',
  Surprise: 'Positive',
};

/** The valence of an emotion label, or null for a label outside FER2013's seven. */
export function valenceOf(label: string): Valence | null {
  return Object.hasOwn(VALENCE_OF_EMOTION, label) ? VALENCE_OF_EMOTION[label] : null;
}

/**
 * Index into VALENCES for each of a model's labels (in output order), or null when a label has no valence
 * (an imported model with other classes): then there is no valence view.
 */
export function valenceIndices(labels: readonly string[]): number[] | null {
  const indices: number[] = [];
  for (const label of labels) {
    const valence = valenceOf(label);
    if (valence === null) return null;
    indices.push(VALENCES.indexOf(valence));
  }
  return indices;
}

/**
 * Collapses a [true][predicted] emotion matrix into a 3x3 valence matrix: a face counts as correct when its
 * predicted emotion has the same valence as its true one (a Fear face predicted Sad is a negative hit).
 * @param labels the matrix's class names in order; null when some label has no valence.
 */
export function valenceMatrix(matrix: ConfusionMatrix, labels: readonly string[]): ConfusionMatrix | null {
  const map = valenceIndices(labels);
  if (!map) return null;
  if (matrix.length !== labels.length) throw new Error(`valence: a ${matrix.length}-class matrix with ${labels.length} labels`);
  const out = VALENCES.map(() => VALENCES.map(() => 0));
  matrix.forEach((row, t) => row.forEach((count, p) => (out[map[t]][map[p]] += count)));
  return out;
}
