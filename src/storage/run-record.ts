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
 * Appends a point, keeping at most `max` points spread over the whole run: points are kept on a stride
 * that doubles whenever the list would grow past `max`. Returns the (possibly new) list.
 */
export function appendThinned(points: BatchPoint[], point: BatchPoint, max = MAX_BATCH_POINTS): BatchPoint[] {
  const stride = points.length < 2 ? 1 : Math.max(1, points[1].step - points[0].step);
  if (points.length > 0 && point.step - points[points.length - 1].step < stride) return points;
  points.push(point);
  if (points.length <= max) return points;
  const wider = stride * 2;
  const first = points[0].step;
  return points.filter((p) => (p.step - first) % wider === 0);
}
