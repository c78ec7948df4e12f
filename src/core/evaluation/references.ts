// Pure reference figures for FER2013 test accuracy, so a user can tell what a model's figure means. No DOM.

export interface AccuracyReference {
  label: string;
  accuracy: number;
  note: string;
}

/** FER2013's PrivateTest has this many faces; the references compare only with an evaluation on all of them. */
export const FER2013_PRIVATE_TEST_ROWS = 3589;

/** Published figures (PrivateTest unless the note says otherwise). */
export const FER2013_REFERENCES: readonly AccuracyReference[] = [
  { label: 'Human', accuracy: 0.65, note: 'about 65 %, estimated by the data set\u2019s authors' },
  { label: '2018 Keras tutorial', accuracy: 0.664, note: 'the VGG-style net this app re-creates, on a random 10 % split (easier than PrivateTest)' },
  { label: 'Kaggle 2013 winner', accuracy: 0.7116, note: 'CNN with an SVM top layer, PrivateTest' },
  { label: 'Best single net on FER2013 alone', accuracy: 0.7328, note: 'VGG-style, 300 epochs, ten-crop (Khaireddin & Chen 2021)' },
];
