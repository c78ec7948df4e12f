// Pure: the class mappings offered for a data set's classes (Data screen), and how to say which one is applied.
// No DOM.
import { LABEL_NONE, type LabelSet } from './label-set';
import { dropMapping, foldMapping, valenceMapping, type AppliedMapping, type LabelMapping } from './mapping';

export interface ClassChoice {
  /** Stable within one source set: 'file', 'valence', 'fold:<from>:<into>', 'drop:<k>'. */
  key: string;
  /** For people: "Merge into negative, neutral, positive (3 classes)". */
  label: string;
  /** null: the classes as in the file. */
  mapping: LabelMapping | null;
}

const find = (set: LabelSet, pattern: RegExp) => set.names.findIndex((name) => pattern.test(name.trim()));
const classes = (n: number) => `${n} classes`;

/**
 * The choices for a source set: as in the file; merged into valence (when its classes carry one); Disgust folded
 * into Anger/Angry (when it has both); each class left out (when at least two would remain).
 */
export function classChoices(source: LabelSet): ClassChoice[] {
  const choices: ClassChoice[] = [{ key: 'file', label: `As in the file (${classes(source.names.length)})`, mapping: null }];
  const valence = valenceMapping(source);
  if (valence) choices.push({ key: 'valence', label: `Merge into negative, neutral, positive (${classes(valence.names.length)})`, mapping: valence });
  const disgust = find(source, /^disgust(ed)?$/i);
  const anger = find(source, /^(anger|angry)$/i);
  if (disgust >= 0 && anger >= 0) {
    const fold = foldMapping(source, disgust, anger);
    choices.push({ key: `fold:${disgust}:${anger}`, label: `Fold ${source.names[disgust]} into ${source.names[anger]} (${classes(fold.names.length)})`, mapping: fold });
  }
  if (source.names.length > 2) {
    source.names.forEach((name, k) => choices.push({ key: `drop:${k}`, label: `Leave out ${name} (${classes(source.names.length - 1)})`, mapping: dropMapping(source, k) }));
  }
  return choices;
}

/**
 * One line for the screen about an applied mapping, e.g. "Classes merged (valence: negative, neutral, positive):
 * 3 classes (Negative, Neutral, Positive) from the file’s 7 (Angry, Disgust, …)".
 * @param leftOut faces in no class after the mapping that had one before (rows of a left-out class).
 */
export function mappingStatement(mapping: AppliedMapping, leftOut: number): string {
  const merged = mapping.names.some((_, k) => mapping.to.filter((to) => to === k).length > 1);
  const dropped = mapping.to.some((to) => to === null);
  const verb = merged && dropped ? 'merged and left out' : merged ? 'merged' : dropped ? 'left out' : 'renamed';
  const faces = leftOut > 0 ? `; ${leftOut.toLocaleString('en-US')} face${leftOut === 1 ? ' is' : 's are'} in no split` : '';
  return `Classes ${verb} (${mapping.title}): ${classes(mapping.names.length)} (${mapping.names.join(', ')}) from the file’s ${mapping.from.length} (${mapping.from.join(', ')})${faces}.`;
}

/** Rows with a class in `source` and none in `mapped` (a left-out class's faces, or votes no longer agreeing). */
export function rowsLeftOut(source: Uint8Array, mapped: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < source.length; i++) if (source[i] !== LABEL_NONE && mapped[i] === LABEL_NONE) count++;
  return count;
}
