// Pure class mappings: merge classes (FER2013's seven into valence, disgust into anger) or leave some out,
// applied to a data set's labels (and crowd votes) at load. No DOM.
import { LABEL_NONE, labelSetProblems, VALENCES, type LabelSet, type Valence } from './label-set';

/**
 * A mapping from a source set's classes to a new set: `to[k]` is the new class index of source class k, or
 * null to leave its rows out. `names` are the new classes, in order.
 */
export interface LabelMapping {
  /** Short description shown on screen and saved with the model, e.g. "valence (3 classes)". */
  title: string;
  names: string[];
  to: (number | null)[];
}

/** What a loaded data set went through: its source classes and the mapping (saved in the model). */
export interface AppliedMapping extends LabelMapping {
  from: string[];
}

/** Positive, neutral and negative, from a set whose classes carry a valence (the 2018 tutorial's next step). */
export function valenceMapping(source: LabelSet): LabelMapping | null {
  if (!source.valence) return null;
  return { title: 'valence: negative, neutral, positive', names: [...VALENCES], to: source.valence.map((v) => VALENCES.indexOf(v)) };
}

/** Class `from` folded into class `into`; the others keep their order. */
export function foldMapping(source: LabelSet, from: number, into: number): LabelMapping {
  const names = source.names.filter((_, k) => k !== from);
  const to = source.names.map((_, k) => (k === from ? into : k)).map((k) => (k > from ? k - 1 : k));
  return { title: `${source.names[from]} folded into ${source.names[into]}`, names, to };
}

/** Class `left` left out (its rows dropped); the others keep their order. */
export function dropMapping(source: LabelSet, left: number): LabelMapping {
  const names = source.names.filter((_, k) => k !== left);
  const to = source.names.map((_, k) => (k === left ? null : k > left ? k - 1 : k));
  return { title: `${source.names[left]} left out`, names, to };
}

/** Problems with a mapping for a source set (empty when it can be applied). */
export function mappingProblems(source: LabelSet, mapping: LabelMapping): string[] {
  const problems = labelSetProblems({ names: mapping.names }).map((p) => `the merged classes: ${p}`);
  if (mapping.to.length !== source.names.length) problems.push(`it maps ${mapping.to.length} classes, the data has ${source.names.length}`);
  mapping.to.forEach((k, from) => {
    if (k !== null && !(Number.isInteger(k) && k >= 0 && k < mapping.names.length)) problems.push(`class ${source.names[from] ?? from} maps to no class`);
  });
  mapping.names.forEach((name, k) => {
    if (!mapping.to.includes(k)) problems.push(`no class maps to "${name}"`);
  });
  return problems;
}

/** The new label set: names from the mapping; a colour and valence carried over when all its sources agree. */
export function mappedLabelSet(source: LabelSet, mapping: LabelMapping): LabelSet {
  const sourcesOf = (k: number) => mapping.to.flatMap((to, from) => (to === k ? [from] : []));
  const valence = mapping.names.map((name, k) => {
    if (VALENCES.includes(name as Valence)) return name as Valence;
    const groups = new Set(sourcesOf(k).map((from) => source.valence?.[from]));
    return groups.size === 1 ? [...groups][0] : undefined;
  });
  const colors = mapping.names.map((_, k) => source.colors?.[sourcesOf(k)[0]]);
  return {
    names: [...mapping.names],
    ...(colors.every((c) => c !== undefined) ? { colors: colors as string[] } : {}),
    ...(valence.every((v) => v !== undefined) ? { valence: valence as Valence[] } : {}),
  };
}

/** Labels mapped row by row (LABEL_NONE stays LABEL_NONE; a left-out class becomes LABEL_NONE). */
export function mapLabels(labels: Uint8Array, mapping: LabelMapping): Uint8Array {
  return labels.map((label) => (label === LABEL_NONE ? LABEL_NONE : (mapping.to[label] ?? LABEL_NONE)));
}

/**
 * Crowd votes mapped: `votes` holds rows x (K + 2) counts (K classes, then `unknown` and `not a face`); merged
 * classes add their votes, and a left-out class's votes count as `unknown` (so a face it tops is dropped).
 * @returns rows x (K' + 2) counts for the mapping's K' classes.
 */
export function mapVotes(votes: Uint8Array, classes: number, mapping: LabelMapping): Uint8Array {
  const from = classes + 2;
  const to = mapping.names.length + 2;
  const rows = votes.length / from;
  const out = new Uint8Array(rows * to);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < from; k++) {
      const count = votes[r * from + k];
      const target = k < classes ? (mapping.to[k] ?? mapping.names.length) : mapping.names.length + (k - classes);
      out[r * to + target] = Math.min(255, out[r * to + target] + count);
    }
  }
  return out;
}
