// Runs anywhere: what the run store keeps per training run (its latest checkpoint and curves).
import type { PixelStats } from '../core/dataset/types';
import type { TrainConfig } from '../core/training/train-config';
import type { Checkpoint } from '../core/training/training-loop';

/** A thinned point of the per-batch curves (global step = (epoch-1)*batchesPerEpoch + batch). */
export interface BatchPoint {
  step: number;
  loss: number;
  accuracy: number;
  /** Training time of the run at this batch (absent in runs stored before it was kept). */
  trainingMs?: number;
}

/** A run without its checkpoint weights: cheap to list. */
export type RunSummary = Omit<RunRecord, 'checkpoint'> & { checkpointEpoch: number };

export interface RunRecord {
  runId: string;
  /** 'unfinished' runs are offered for resuming after a reload or crash. */
  status: 'unfinished' | 'finished';
  createdAt: string;
  updatedAt: string;
  config: TrainConfig;
  dataset: { name: string; fingerprint: string; rows: number; synthetic: boolean };
  /** The standardisation this run trains with (travels into the saved model). */
  stats: PixelStats;
  backend: string;
  /** Latest end-of-epoch checkpoint, or null before the first epoch ends. */
  checkpoint: Checkpoint | null;
  batchHistory: BatchPoint[];
  /** Training wall time so far, across sessions. */
  elapsedMs: number;
}

/** Most curve points a run record keeps; older points are thinned (every other one dropped) past it. */
export const MAX_BATCH_POINTS = 2000;

/**
 * Appends a point, keeping at most `max` points spread evenly over the whole run: a point closer to the last
 * one than the list's mean spacing is skipped, and when the list would grow past `max` every other point is
 * dropped (so the spacing doubles). By index, not by step number: the points shown live arrive every few
 * steps, at irregular steps, and a rule on step numbers left whole stretches of a long run without a point.
 * Returns the (possibly new) list.
 */
export function appendThinned(points: BatchPoint[], point: BatchPoint, max = MAX_BATCH_POINTS): BatchPoint[] {
  const last = points.at(-1);
  if (last && point.step <= last.step) return points;
  const spacing = points.length < 2 ? 0 : (last!.step - points[0].step) / (points.length - 1);
  if (last && point.step - last.step < spacing) return points;
  points.push(point);
  if (points.length <= max) return points;
  return points.filter((_, i) => i % 2 === 0);
}
