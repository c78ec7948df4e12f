// Pure: a loaded data set with its classes merged or some left out (or back as in the file), without
// reading the file again. Runs in the dataset worker and in Node tests; no DOM.
import { processVotes } from '../ferplus/votes';
import { LABEL_NONE, labelSetText, sameLabelOrder } from '../labels/label-set';
import { mapLabels, mappedLabelSet, mappingProblems, mapVotes, type AppliedMapping, type LabelMapping } from '../labels/mapping';
import { datasetFingerprint } from './fingerprint';
import type { LoadedDataset, SourceClasses } from './loaded-dataset';

/** The classes as the file gave them: the kept copy when a mapping was applied, else the data set's own. */
export function sourceClassesOf(dataset: Pick<LoadedDataset, 'buffers' | 'sourceClasses'>): SourceClasses {
  if (dataset.sourceClasses) return dataset.sourceClasses;
  const { labelSet, labels, votes } = dataset.buffers;
  return { labelSet, labels, ...(votes ? { votes } : {}) };
}

/** True when two mappings send every class to the same place under the same names (the choice on screen). */
export function sameMapping(a: Pick<LabelMapping, 'names' | 'to'> | null | undefined, b: Pick<LabelMapping, 'names' | 'to'> | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return sameLabelOrder(a.names, b.names) && a.to.length === b.to.length && a.to.every((k, i) => k === b.to[i]);
}

/**
 * The data set with `mapping` applied to the classes of its source (`null`: the classes as in the file).
 * Labels are mapped row by row (a left-out class's rows become LABEL_NONE, so they are in no split); crowd
 * votes are mapped too (merged classes add their votes) and the labels are then the merged votes' majority, by
 * Microsoft's rule, as at load. The source labels, votes and label set are kept in `sourceClasses`, so another
 * choice needs no reload. Pixels, usage and the standardisation statistics (which do not depend on labels) are
 * shared with `dataset`, not copied; the fingerprint is recomputed.
 * @throws Error naming the problem when the mapping does not fit the source classes, or leaves no face.
 * @returns a new LoadedDataset (the input is not modified); restoredMs is dropped (this copy is not the stored one).
 */
export function remapDataset(dataset: LoadedDataset, mapping: LabelMapping | null): LoadedDataset {
  const source = sourceClassesOf(dataset);
  const { restoredMs: _restored, sourceClasses: _kept, buffers, ...summary } = dataset;
  if (mapping === null) {
    const { mapping: _mapping, votes: _votes, ...rest } = buffers;
    const restored = { ...rest, labelSet: source.labelSet, labels: source.labels, ...(source.votes ? { votes: source.votes } : {}) };
    return { ...summary, fingerprint: datasetFingerprint(restored), buffers: restored };
  }
  const problems = mappingProblems(source.labelSet, mapping);
  if (problems.length > 0) throw new Error(`these classes cannot be applied to ${labelSetText(source.labelSet.names)}: ${problems.join('; ')}`);
  const classes = mapping.names.length;
  const votes = source.votes ? mapVotes(source.votes, source.labelSet.names.length, mapping) : undefined;
  const labels = votes ? processVotes(votes, buffers.rows, 'majority', classes).majority : mapLabels(source.labels, mapping);
  if (labels.every((label) => label === LABEL_NONE)) throw new Error(`no face is left in any class after "${mapping.title}"`);
  const applied: AppliedMapping = { title: mapping.title, names: [...mapping.names], to: [...mapping.to], from: [...source.labelSet.names] };
  const mapped = { ...buffers, labels, labelSet: mappedLabelSet(source.labelSet, mapping), mapping: applied, ...(votes ? { votes } : {}) };
  return { ...summary, fingerprint: datasetFingerprint(mapped), buffers: mapped, sourceClasses: source };
}
