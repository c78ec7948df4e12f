// Pure FER2013 label facts: the seven classes of the Kaggle file, the FER2013 loaders' default set. No DOM.
import type { LabelSet } from './label-set';

/** The seven FER2013 labels, in CSV order: label k in the file is FER2013_EMOTIONS[k]. */
export const FER2013_EMOTIONS = ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'] as const;

/** FER2013's seven, with their colours and valence (positive = Happy, Surprise; neutral = Neutral). */
export const FER2013_LABELS: LabelSet = Object.freeze({
  names: [...FER2013_EMOTIONS],
  colors: ['#d9534f', '#6b8e23', '#8e6cbf', '#f0ad4e', '#4a7fc1', '#1fb5ad', '#8c8c8c'],
  valence: ['Negative', 'Negative', 'Negative', 'Positive', 'Negative', 'Positive', 'Neutral'],
}) as LabelSet;
