// Pure per-face training targets beyond one label per face: crowd-vote distributions (FER+). No DOM.
import { FERPLUS_MODES, processVotes, type FerPlusMode } from '../ferplus/votes';
import type { DatasetBuffers } from '../dataset/types';
import { LABEL_NONE } from './label-set';

/**
 * How a run trains on vote distributions (FER+ paper, Barsoum et al. 2016; see ferplus/votes.ts):
 * majority (one-hot on a clear majority), crossentropy (against the vote distribution), probability (each
 * epoch, one label drawn from the distribution per face), multi-target (-log of the best probability among the
 * classes with at least 30 % of the votes).
 */
export type VoteMode = FerPlusMode;
export const VOTE_MODES = FERPLUS_MODES;

/** What the training loop needs of a vote mode. */
export interface TrainTargets {
  mode: VoteMode;
  /** rows x classes: each face's target distribution (zeros for faces the mode drops). */
  targets: Float32Array;
  /** Per row, the class accuracy counts against while training (the target's top class), or LABEL_NONE when dropped. */
  labels: Uint8Array;
}

/** One class drawn from row `row`'s distribution (probability mode); `random` is uniform in [0, 1). */
export function drawClass(targets: Float32Array, classes: number, row: number, random: () => number): number {
  let u = random();
  const base = row * classes;
  for (let k = 0; k < classes; k++) {
    u -= targets[base + k];
    if (u < 0) return k;
  }
  // Rounding left a sliver: the last class with any mass.
  for (let k = classes - 1; k > 0; k--) if (targets[base + k] > 0) return k;
  return 0;
}

/**
 * The training targets of a data set with votes under `mode` (null for a data set without votes: it trains on
 * its labels). Faces the mode drops get LABEL_NONE; the caller leaves them out of the training rows.
 */
export function voteTargets(buffers: Pick<DatasetBuffers, 'rows' | 'votes' | 'labelSet'>, mode: VoteMode): TrainTargets | null {
  if (!buffers.votes) return null;
  const classes = buffers.labelSet.names.length;
  const processed = processVotes(buffers.votes, buffers.rows, mode, classes);
  const labels = new Uint8Array(buffers.rows).fill(LABEL_NONE);
  for (let row = 0; row < buffers.rows; row++) {
    if (!processed.keep[row]) continue;
    let top = 0;
    for (let k = 1; k < classes; k++) if (processed.targets[row * classes + k] > processed.targets[row * classes + top]) top = k;
    labels[row] = top;
  }
  return { mode, targets: processed.targets, labels };
}
