// Pure label sets: the classes a data set, a run and a model speak, in output order. No DOM.
// A LabelSet is data, not a global: each loader sets one, it is stored with the data set, it reaches the
// training worker, and it is saved in the model's metadata.

/** Valence groups, in the order a valence confusion matrix uses. */
export const VALENCES = ['Negative', 'Neutral', 'Positive'] as const;
export type Valence = (typeof VALENCES)[number];

export interface LabelSet {
  /** Class names in output order: row label k names class names[k]. 2 to 20, unique (case-insensitive). */
  names: string[];
  /** One CSS colour per class (same order), or absent for the default palette. */
  colors?: string[];
  /** One valence group per class, or absent when the classes have none (a folder of the user's own classes). */
  valence?: Valence[];
}

export const MIN_CLASSES = 2;
export const MAX_CLASSES = 20;

/** A row label that is no class of the set: the row is left out of every split (e.g. a face FER+ dropped). */
export const LABEL_NONE = 255;

/** Twenty distinct colours, used in order for classes whose set gives none (FER2013's seven come first). */
export const CLASS_PALETTE = [
  '#d9534f', '#6b8e23', '#8e6cbf', '#f0ad4e', '#4a7fc1', '#1fb5ad', '#8c8c8c', '#c45fa0',
  '#b8860b', '#2e8b57', '#cd5c5c', '#4682b4', '#9acd32', '#ff7f50', '#6a5acd', '#20b2aa',
  '#a0522d', '#708090', '#daa520', '#5f9ea0',
] as const;

/** The colour of class k of a set (its own, else the palette's k-th). */
export function classColor(set: LabelSet, k: number): string {
  return set.colors?.[k] ?? CLASS_PALETTE[k % CLASS_PALETTE.length];
}

/** The colours of every class of a set, in order. */
export function classColors(set: LabelSet): string[] {
  return set.names.map((_, k) => classColor(set, k));
}

const key = (name: string) => name.trim().toLowerCase();

/** Problems with a label set (empty when valid), for messages that name what is wrong. */
export function labelSetProblems(set: { names?: unknown; colors?: unknown; valence?: unknown } | null | undefined): string[] {
  if (!set || !Array.isArray(set.names)) return ['it has no list of class names'];
  const names = set.names as unknown[];
  const problems: string[] = [];
  if (names.length < MIN_CLASSES || names.length > MAX_CLASSES) problems.push(`it has ${names.length} classes; ${MIN_CLASSES} to ${MAX_CLASSES} are supported`);
  const bad = names.findIndex((name) => typeof name !== 'string' || name.trim() === '' || name.length > 60);
  if (bad >= 0) problems.push(`class ${bad + 1} has no usable name (a non-empty text of at most 60 characters)`);
  const seen = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string') continue;
    if (seen.has(key(name))) problems.push(`the class name "${name}" occurs twice`);
    seen.add(key(name));
  }
  if (set.colors !== undefined && (!Array.isArray(set.colors) || set.colors.length !== names.length)) problems.push('its colours do not match its classes');
  if (set.valence !== undefined && (!Array.isArray(set.valence) || set.valence.length !== names.length || !set.valence.every((v) => VALENCES.includes(v as Valence)))) {
    problems.push(`its valence groups do not match its classes (each one of ${VALENCES.join(', ')})`);
  }
  return problems;
}

/** True when both sets name the same classes in the same order (case-insensitive). */
export function sameLabelOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, k) => key(name) === key(b[k]));
}

/**
 * How to read `from`'s class k as a class of `to`: index k of the result is to's index of from's class k.
 * Null unless both name the same classes (case-insensitive), in any order.
 */
export function labelPermutation(from: readonly string[], to: readonly string[]): number[] | null {
  if (from.length !== to.length) return null;
  const index = new Map(to.map((name, k) => [key(name), k]));
  const map = from.map((name) => index.get(key(name)) ?? -1);
  return map.every((k) => k >= 0) && new Set(map).size === map.length ? map : null;
}

/** "Angry, Disgust, … (7 classes)" for messages. */
export function labelSetText(names: readonly string[]): string {
  return `${names.join(', ')} (${names.length} classes)`;
}

/** A set of plain names, no colours or valence (a folder of the user's own classes, an imported model). */
export function plainLabelSet(names: readonly string[]): LabelSet {
  return { names: [...names] };
}
