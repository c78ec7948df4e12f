// Pure summaries of a data set's crowd votes for the Data screen: faces kept per split and vote mode, the
// mean share of the votes each class gets, and one face's votes as text. No DOM.
import { USAGES } from '../dataset/face-format';
import { FERPLUS_MODES, processVotes, type FerPlusMode } from './votes';

/** The two vote columns after the classes, as the screen names them. */
export const NON_CLASS_VOTES = ['Unknown', 'Not a face'] as const;

export interface VoteSplitCounts {
  /** Rows of the split (its Usage). */
  faces: number;
  /** Faces each mode keeps (Microsoft's processing; the rest are dropped). */
  kept: Record<FerPlusMode, number>;
}

export interface VoteSummary {
  /** Per Usage (index into USAGES: Training, PublicTest, PrivateTest). */
  splits: VoteSplitCounts[];
  /** Faces with at least one vote (FER+ gives the faces it dropped none, or 10 "not a face"). */
  voted: number;
  /**
   * Length classes + 2 (the classes, unknown, not a face): the mean over the voted faces of the share of the
   * face's votes each got, as raw counts (before Microsoft's single-vote removal); sums to 1.
   */
  meanShare: number[];
}

/**
 * Summarises crowd votes.
 * @param votes Uint8Array, length rows*(classes+2), row-major: per face the classes' counts, then unknown and NF.
 * @param usage Uint8Array, length rows: index into USAGES.
 */
export function summariseVotes(votes: Uint8Array, rows: number, usage: Uint8Array, classes: number): VoteSummary {
  const columns = classes + 2;
  const splits = USAGES.map(() => ({ faces: 0, kept: Object.fromEntries(FERPLUS_MODES.map((mode) => [mode, 0])) as Record<FerPlusMode, number> }));
  for (let row = 0; row < rows; row++) splits[usage[row]].faces++;
  for (const mode of FERPLUS_MODES) {
    const { keep } = processVotes(votes, rows, mode, classes);
    for (let row = 0; row < rows; row++) if (keep[row]) splits[usage[row]].kept[mode]++;
  }
  const share = new Float64Array(columns);
  let voted = 0;
  for (let row = 0; row < rows; row++) {
    let total = 0;
    for (let c = 0; c < columns; c++) total += votes[row * columns + c];
    if (total === 0) continue;
    voted++;
    for (let c = 0; c < columns; c++) share[c] += votes[row * columns + c] / total;
  }
  return { splits, voted, meanShare: Array.from(share, (sum) => (voted > 0 ? sum / voted : 0)) };
}

/**
 * One face's votes, most first, e.g. "Happiness 7 · Neutral 2 · Surprise 1" (classes, then Unknown and
 * Not a face; ties in column order). "no votes" when it has none.
 */
export function votesText(votes: Uint8Array, row: number, names: readonly string[]): string {
  const columns = names.length + 2;
  const labels = [...names, ...NON_CLASS_VOTES];
  const entries = labels
    .map((label, c) => ({ label, count: votes[row * columns + c], c }))
    .filter(({ count }) => count > 0)
    .sort((a, b) => b.count - a.count || a.c - b.c);
  return entries.length === 0 ? 'no votes' : entries.map(({ label, count }) => `${label} ${count}`).join(' \u00b7 ');
}
