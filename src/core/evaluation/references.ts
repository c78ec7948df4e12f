// Pure reference figures for test accuracy on FER2013 and FER+, so a user can tell what a model's figure means,
// chosen by the model's classes (no FER2013 figures beside other classes). No DOM.
import { FER2013_LABELS } from '../labels/fer2013';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { labelPermutation } from '../labels/label-set';
import type { ModelEvaluation } from './types';

export interface AccuracyReference {
  label: string;
  accuracy: number;
  note: string;
}

/** Published figures for one test set, and the scale they are drawn on. */
export interface ReferenceSet {
  /** "published FER2013 test accuracies". */
  title: string;
  references: readonly AccuracyReference[];
  /** The scale's ends (0–1): near chance on the left, above every reference on the right. */
  from: number;
  to: number;
}

/** FER2013's PrivateTest has this many faces; the references compare only with an evaluation on all of them. */
export const FER2013_PRIVATE_TEST_ROWS = 3589;

/**
 * FER+'s majority-filtered test set (PrivateTest): 3,153 faces with fer2013new.csv's votes, 3,137 with the
 * label.csv files of Microsoft's repository (see ../shared/data/ferplus/README.md).
 */
export const FERPLUS_MAJORITY_TEST_ROWS: readonly number[] = [3153, 3137];

/** Published figures (PrivateTest unless the note says otherwise). */
export const FER2013_REFERENCES: readonly AccuracyReference[] = [
  { label: 'Human', accuracy: 0.65, note: 'about 65 %, estimated by the data set\u2019s authors' },
  { label: '2018 Keras tutorial', accuracy: 0.664, note: 'the VGG-style net this app re-creates, on a random 10 % split (easier than PrivateTest)' },
  { label: 'Kaggle 2013 winner', accuracy: 0.7116, note: 'CNN with an SVM top layer, PrivateTest' },
  { label: 'Best single net on FER2013 alone', accuracy: 0.7328, note: 'VGG-style, 300 epochs, ten-crop (Khaireddin & Chen 2021)' },
];

/** The FER+ paper's VGG13, trained from scratch (64×64, up to 100 epochs), per training mode: majority test set. */
export const FERPLUS_REFERENCES: readonly AccuracyReference[] = [
  { label: 'FER+ paper, VGG13, majority', accuracy: 0.8385, note: 'Barsoum et al. 2016: VGG13 from scratch at 64 px, trained on the majority label' },
  { label: 'FER+ paper, VGG13, multi-target', accuracy: 0.8397, note: 'Barsoum et al. 2016: VGG13 from scratch at 64 px, multi-target loss' },
  { label: 'FER+ paper, VGG13, cross-entropy', accuracy: 0.8472, note: 'Barsoum et al. 2016: VGG13 from scratch at 64 px, cross-entropy on the vote distribution' },
  { label: 'FER+ paper, VGG13, probability', accuracy: 0.8501, note: 'Barsoum et al. 2016: VGG13 from scratch at 64 px, one label drawn from the votes per epoch' },
];

const FER2013_SET: ReferenceSet = { title: 'published FER2013 test accuracies', references: FER2013_REFERENCES, from: 0.4, to: 0.8 };
const FERPLUS_SET: ReferenceSet = { title: 'published FER+ test accuracies (majority-filtered test set)', references: FERPLUS_REFERENCES, from: 0.6, to: 0.9 };

/**
 * The published figures to show beside an evaluation, or null when none compare: the model's classes must be
 * FER2013's seven (in any order) evaluated on all of PrivateTest, or FER+'s eight on its majority test set.
 * @param labels the model's class names.
 */
export function referencesFor(labels: readonly string[], evaluation: Pick<ModelEvaluation, 'splitLabel' | 'rows'>): ReferenceSet | null {
  if (!/^PrivateTest/.test(evaluation.splitLabel)) return null;
  if (labelPermutation(labels, FER2013_LABELS.names) && evaluation.rows === FER2013_PRIVATE_TEST_ROWS) return FER2013_SET;
  if (labelPermutation(labels, FERPLUS_LABELS.names) && FERPLUS_MAJORITY_TEST_ROWS.includes(evaluation.rows)) return FERPLUS_SET;
  return null;
}
