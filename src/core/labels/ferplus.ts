// Pure FER+ label facts: the eight classes of Microsoft's fer2013new.csv, in the file's order. No DOM.
import { FERPLUS_EMOTIONS } from '../ferplus/votes';
import type { LabelSet } from './label-set';

/** FER+'s eight emotions in fer2013new.csv's column order (its `unknown` and `NF` columns are no classes). */
export const FERPLUS_LABELS: LabelSet = Object.freeze({
  names: [...FERPLUS_EMOTIONS],
  colors: ['#8c8c8c', '#f0ad4e', '#1fb5ad', '#4a7fc1', '#d9534f', '#6b8e23', '#8e6cbf', '#c45fa0'],
  valence: ['Neutral', 'Positive', 'Positive', 'Negative', 'Negative', 'Negative', 'Negative', 'Negative'],
}) as LabelSet;
