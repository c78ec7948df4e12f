// Pure FER+ vote processing (Microsoft's FERPlus src/ferplus.py, _process_data and load_folders): votes in,
// which faces are kept and their targets out. Runs in workers and Node tests; no DOM.
import { LABEL_NONE } from '../labels/label-set';

/** FER+'s eight emotions, in fer2013new.csv's column order; a class index is its position here. */
export const FERPLUS_EMOTIONS = ['Neutral', 'Happiness', 'Surprise', 'Sadness', 'Anger', 'Disgust', 'Fear', 'Contempt'] as const;
export const FERPLUS_CLASSES = FERPLUS_EMOTIONS.length; // 8

/**
 * Vote counts per face, in the file's order: the 8 emotions, then `unknown`, then `NF` (not a face).
 * A data set's votes are one `Uint8Array` of `rows * VOTES_PER_FACE`, row-major.
 */
export const VOTES_PER_FACE = 10;
export const VOTE_UNKNOWN = 8;
export const VOTE_NOT_FACE = 9;

/** Microsoft's training modes (its `multi_target` is spelt `multi-target` here). */
export const FERPLUS_MODES = ['majority', 'crossentropy', 'probability', 'multi-target'] as const;
export type FerPlusMode = (typeof FERPLUS_MODES)[number];

/** `majority[row]` when majority voting drops the face: no class of the set (LABEL_NONE). */
export const NO_MAJORITY = LABEL_NONE;

export interface ProcessedVotes {
  rows: number;
  mode: FerPlusMode;
  /** 1 where `mode` keeps the face, 0 where it drops it; length rows. */
  keep: Uint8Array;
  /**
   * length rows*8: per kept face a distribution over FERPLUS_EMOTIONS summing to 1 (all zeros where dropped).
   * - majority: one-hot on the label.
   * - crossentropy: the kept top emotions' votes, normalised; train on the distribution.
   * - probability: the same distribution; the trainer draws one label from it for every presentation
   *   (Microsoft's `_process_target`), which is not done here.
   * - multi-target: the votes of the emotions with >= 30 % of the votes, normalised. The face's target SET is
   *   its nonzero entries: Microsoft trains on `1` for each of them (plus a 0.001 smoothing), not on these weights.
   */
  targets: Float32Array;
  /**
   * length rows: the majority-vote label (0..7), or NO_MAJORITY where majority voting drops the face, whatever
   * `mode` is. Validation and test are always majority-filtered (Microsoft's train.py), so they use this.
   */
  majority: Uint8Array;
}

/**
 * Microsoft's processing of each face's votes, exactly as FERPlus `src/ferplus.py` does it (same float
 * arithmetic, same first-index argmax):
 * 1. votes <= 1 become 0 (outlier removal); `sum` is then the sum of all 10 entries, unknown and NF included;
 * 2. per mode:
 *    - majority: the top entry (first of equals) if it has more than half of `sum`, else dropped;
 *    - crossentropy / probability: take the top entries, all equal ones together, while they cover < 75 % of
 *      `sum`, fewer than 3 are taken and no unknown/NF was met. Reaching unknown or NF stops the search (the
 *      scan of that round stops there too): it is taken back out when anything was taken before it (in this or
 *      an earlier round), and left in (so the face is dropped) when it is the first top entry. Dropped when
 *      the taken entries cover <= 50 % of `sum` or more than 3 were taken (a tie can take several at once);
 *    - multi-target: every entry (unknown and NF too) with >= 30 % of `sum`; dropped if they cover <= 50 %;
 * 3. the face is dropped when the top entry of the result (first of equals) is unknown or NF; otherwise its 8
 *    emotion entries are renormalised (an unknown/NF entry that multi-target kept alongside a larger or equal
 *    emotion is thereby discarded).
 *
 * @param votes length >= rows*(classes+2), row-major: per face `classes` emotion counts, then unknown and NF
 *   (FER+'s file: 8 + 2 = VOTES_PER_FACE); not modified. `classes` other than 8 come from merged classes.
 * @returns new arrays owned by the caller.
 */
export function processVotes(votes: Uint8Array, rows: number, mode: FerPlusMode, classes: number = FERPLUS_CLASSES): ProcessedVotes {
  const columns = classes + 2;
  if (!Number.isInteger(rows) || rows < 0) throw new Error(`processVotes: rows must be a whole number >= 0, got ${rows}`);
  if (votes.length < rows * columns) {
    throw new Error(`processVotes: ${rows} faces need ${rows * columns} vote counts, got ${votes.length}`);
  }
  if (!(FERPLUS_MODES as readonly string[]).includes(mode)) throw new Error(`processVotes: unknown mode "${mode}"`);
  const keep = new Uint8Array(rows);
  const targets = new Float32Array(rows * classes);
  const majority = new Uint8Array(rows);
  const scratch = new Float64Array(columns);
  const emotion = new Float64Array(columns);
  const distribution = new Float64Array(classes);
  for (let row = 0; row < rows; row++) {
    const face = votes.subarray(row * columns, (row + 1) * columns);
    const label = processFace(face, 'majority', scratch, emotion, distribution);
    majority[row] = label < 0 ? NO_MAJORITY : label;
    // Majority mode's own result is that label (and its distribution, still in `distribution`).
    const kept = mode === 'majority' ? label : processFace(face, mode, scratch, emotion, distribution);
    if (kept < 0) continue;
    keep[row] = 1;
    for (let c = 0; c < classes; c++) targets[row * classes + c] = distribution[c];
  }
  return { rows, mode, keep, targets, majority };
}

/**
 * One face: its class (argmax of the result) with `distribution` holding its normalised emotion entries
 * (length classes), or -1 when the face is dropped. `scratch` and `emotion` are work space of classes + 2.
 */
function processFace(
  votes: ArrayLike<number>,
  mode: FerPlusMode,
  scratch: Float64Array,
  emotion: Float64Array,
  distribution: Float64Array,
): number {
  const columns = scratch.length;
  const classes = distribution.length;
  const raw = scratch;
  // Outlier removal: `emotion_raw[i] < 1.0 + sys.float_info.epsilon` -> 0, i.e. single votes.
  for (let i = 0; i < columns; i++) raw[i] = votes[i] < 1 + Number.EPSILON ? 0 : votes[i];
  const sumList = sum(raw);
  emotion.fill(0);
  let unknown = false; // Microsoft's `emotion = emotion_unknown`: the argmax becomes `unknown`, so dropped
  switch (mode) {
    case 'majority': {
      const top = argmax(raw);
      if (raw[top] > 0.5 * sumList) emotion[top] = raw[top];
      else unknown = true;
      break;
    }
    case 'crossentropy':
    case 'probability': {
      let sumPart = 0;
      let count = 0;
      let validEmotion = true;
      while (sumPart < 0.75 * sumList && count < 3 && validEmotion) {
        const maxval = raw[argmax(raw)];
        for (let i = 0; i < columns; i++) {
          if (raw[i] !== maxval) continue;
          emotion[i] = maxval;
          raw[i] = 0;
          sumPart += emotion[i];
          count++;
          if (i >= classes) {
            // unknown or NF shares the top: stop; keep it only when it came first (then the face is dropped).
            validEmotion = false;
            if (sum(emotion) > maxval) {
              emotion[i] = 0;
              count--;
            }
            break;
          }
        }
      }
      if (sum(emotion) <= 0.5 * sumList || count > 3) unknown = true;
      break;
    }
    case 'multi-target': {
      for (let i = 0; i < columns; i++) if (raw[i] >= 0.3 * sumList) emotion[i] = raw[i];
      if (sum(emotion) <= 0.5 * sumList) unknown = true;
      break;
    }
    default:
      mode satisfies never;
  }
  if (unknown) return -1;
  // `[float(i)/sum(emotion) for i in emotion]`, then load_folders' argmax and renormalisation of emotion[:-2].
  const total = sum(emotion);
  for (let i = 0; i < columns; i++) emotion[i] /= total;
  const top = argmax(emotion);
  if (top >= classes) return -1;
  let emotionTotal = 0;
  for (let c = 0; c < classes; c++) emotionTotal += emotion[c];
  for (let c = 0; c < classes; c++) distribution[c] = emotion[c] / emotionTotal;
  return top;
}

/** Left-to-right sum, as Python's sum() adds. */
function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

/** Index of the first largest entry (numpy's argmax). */
function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
