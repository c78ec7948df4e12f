// Pure 3-class valence view of a confusion matrix over a label set whose classes carry a valence. No DOM.
import { VALENCES, type Valence } from '../labels/label-set';
import type { ConfusionMatrix } from './metrics';

export { VALENCES, type Valence };

/**
 * Index into VALENCES for each class (in output order), or null when the classes have no valence groups
 * (a folder of the user's own classes): then there is no valence view.
 */
export function valenceIndices(valence: readonly Valence[] | undefined): number[] | null {
  return valence ? valence.map((v) => VALENCES.indexOf(v)) : null;
}

/**
 * Collapses a [true][predicted] class matrix into a 3x3 valence matrix: a face counts as correct when its
 * predicted class has the same valence as its true one (a Fear face predicted Sad is a negative hit).
 * @param valence each class's valence group, in the matrix's order; absent when the classes have none.
 */
export function valenceMatrix(matrix: ConfusionMatrix, valence: readonly Valence[] | undefined): ConfusionMatrix | null {
  const map = valenceIndices(valence);
  if (!map) return null;
  if (matrix.length !== map.length) throw new Error(`valence: a ${matrix.length}-class matrix with ${map.length} valence groups`);
  const out = VALENCES.map(() => VALENCES.map(() => 0));
  matrix.forEach((row, t) => row.forEach((count, p) => (out[map[t]][map[p]] += count)));
  return out;
}
