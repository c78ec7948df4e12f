// Pure: whether a model can be evaluated on a data set, by their classes, and the data's labels in the model's
// order. Runs in the evaluation worker, on the page and in Node tests; no DOM.
import { labelPermutation, labelSetText, sameLabelOrder } from '../labels/label-set';

/**
 * - same: the same names in the same order: labels are used as they are;
 * - reordered: the same names in another order: `toModel[k]` is the model's index of the data's class k;
 * - refused: other classes; `message` names both sets.
 */
export type LabelAgreement =
  | { kind: 'same' }
  | { kind: 'reordered'; toModel: number[] }
  | { kind: 'refused'; message: string };

/**
 * @param model the model's class names, in output order.
 * @param data the data set's class names, in label order.
 * @param names what to call each in a refusal: e.g. `"Compact · demo"` and `"demo faces"`.
 */
export function labelAgreement(model: readonly string[], data: readonly string[], names: { model: string; data: string }): LabelAgreement {
  if (sameLabelOrder(model, data)) return { kind: 'same' };
  const toModel = labelPermutation(data, model);
  if (toModel) return { kind: 'reordered', toModel };
  return {
    kind: 'refused',
    message: `the model "${names.model}" knows ${labelSetText(model)} but ${names.data} has ${labelSetText(data)}. A model is evaluated only on faces of its own classes: load a data set with those classes, or merge this one's on the Data screen to match.`,
  };
}

/**
 * Labels in the model's order: out[i] = toModel[labels[i]]. A label with no class (LABEL_NONE) stays as it is.
 * @returns a new Uint8Array, length labels.length.
 */
export function labelsInModelOrder(labels: Uint8Array, toModel: readonly number[]): Uint8Array {
  return labels.map((label) => (label < toModel.length ? toModel[label] : label));
}

/** "The data set lists these classes in another order (Happy, Sad); its faces were matched to the model's classes by name." */
export function reorderedText(data: readonly string[]): string {
  return `The data set lists these classes in another order (${data.join(', ')}); its faces were matched to the model’s classes by name.`;
}
