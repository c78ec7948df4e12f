// Pure learning-rate schedules over a training plan. No DOM, no tfjs.

/** Share of the plan spent warming up (linearly from a tenth of the peak to the peak). */
export const WARMUP_FRACTION = 0.05;
/** The cosine ends at this share of the peak rather than 0, so the last batches still move the weights. */
const FINAL_FRACTION = 0.01;

/**
 * One-cycle learning rate at `progress` (0 = start of the plan, 1 = end; clamped): a linear warm-up over
 * the first WARMUP_FRACTION, then half a cosine down to FINAL_FRACTION of the peak.
 */
export function oneCycleLearningRate(peak: number, progress: number): number {
  const p = Math.min(1, Math.max(0, progress));
  if (p < WARMUP_FRACTION) return peak * (0.1 + (0.9 * p) / WARMUP_FRACTION);
  const t = (p - WARMUP_FRACTION) / (1 - WARMUP_FRACTION);
  return peak * (FINAL_FRACTION + (1 - FINAL_FRACTION) * 0.5 * (1 + Math.cos(Math.PI * t)));
}

/**
 * How far through its plan a run is, 0–1: by training time when it has a budget (so the schedule follows
 * the measured speed as it goes, whatever the machine), else by batches done out of all epochs' batches.
 */
export function planProgress(plan: { budgetMinutes: number | null; epochs: number }, done: { trainingMs: number; steps: number; stepsPerEpoch: number }): number {
  if (plan.budgetMinutes !== null) return done.trainingMs / (plan.budgetMinutes * 60_000);
  return done.steps / Math.max(1, plan.epochs * done.stepsPerEpoch);
}
