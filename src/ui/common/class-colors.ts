// Runs anywhere: class colours where only the class index is known (Try it, bars, legends).
import { classColors, plainLabelSet } from '../../core/labels/label-set';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';

export { CLASS_PALETTE as CLASS_COLORS } from '../../core/labels/label-set';

/** One colour per class of a classifier: its model's label set colours, else the default palette's. */
export function classifierColors(classifier: Pick<ClassifierRef, 'labels' | 'colors'>): string[] {
  return classifier.colors && classifier.colors.length === classifier.labels.length ? [...classifier.colors] : classColors(plainLabelSet(classifier.labels));
}
