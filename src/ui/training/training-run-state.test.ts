import { describe, expect, it } from 'vitest';
import { defaultTrainConfig } from '../../core/training/train-config';
import type { BatchMetrics, EpochMetrics } from '../../core/training/training-loop';
import { estimateRemainingMs, initialTrainingRunState, reduceTrainingRun, type TrainingRunAction, type TrainingRunState } from './training-run-state';

const config = { ...defaultTrainConfig('compact'), epochs: 10, batchSize: 64 };
const epoch = (n: number, valAccuracy: number): EpochMetrics => ({ epoch: n, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy, learningRate: 1e-3, elapsedMs: 60_000, imagesPerSecond: 100 });
const batch = (epochNumber: number, batchNumber: number): BatchMetrics => ({ epoch: epochNumber, batch: batchNumber, batchesPerEpoch: 100, loss: 1.5, accuracy: 0.4, imagesPerSecond: 128, trainingMs: 1000 });
const run = (...actions: TrainingRunAction[]) => actions.reduce<TrainingRunState>(reduceTrainingRun, initialTrainingRunState);
const cost = { params: 1, flops: 1, weightBytes: 4 } as never;

describe('reduceTrainingRun', () => {
  it('follows a run from begin to done: backend, curves, best epoch, pause, checkpoints', () => {
    const state = run(
      { type: 'begin', runId: 'r', config, now: 0 },
      { type: 'backend', runId: 'r', info: { name: 'wasm' } as never, now: 1 },
      { type: 'started', runId: 'r', config, cost, batchesPerEpoch: 100, history: [], batchHistory: [], elapsedMs: 0, now: 2 },
      { type: 'batch', runId: 'r', metrics: batch(1, 1), now: 3 },
      { type: 'epoch', runId: 'r', metrics: epoch(1, 0.4), bestEpoch: 1, bestValAccuracy: 0.4, tensors: 50, elapsedMs: 60_000, now: 4 },
      { type: 'checkpoint', runId: 'r', epoch: 1, now: 5 },
      { type: 'paused', runId: 'r', now: 6 },
    );
    expect(state).toMatchObject({ status: 'running', paused: true, batchesPerEpoch: 100, bestEpoch: 1, bestValAccuracy: 0.4, tensors: [50], lastCheckpointEpoch: 1, elapsedMs: 60_000, elapsedAt: 4 });
    expect(state.batches).toEqual([{ step: 1, loss: 1.5, accuracy: 0.4, trainingMs: 1000 }]);
    const done = [
      { type: 'playing', runId: 'r', now: 7 },
      { type: 'request-stop' },
      { type: 'done', runId: 'r', reason: 'stopped', model: null, now: 8 },
    ].reduce<TrainingRunState>((s, a) => reduceTrainingRun(s, a as TrainingRunAction), state);
    expect(done).toMatchObject({ status: 'done', paused: false, stopRequested: true, stopReason: 'stopped' });
    expect(reduceTrainingRun(done, { type: 'request-stop' })).toBe(done); // nothing running to stop
  });

  it('a resumed run starts from its stored history, with its best epoch', () => {
    const state = run(
      { type: 'begin', runId: 'r', config: null, now: 0 },
      { type: 'started', runId: 'r', config, cost, batchesPerEpoch: 100, history: [epoch(1, 0.3), epoch(2, 0.45), epoch(3, 0.42)], batchHistory: [], elapsedMs: 180_000, now: 1 },
    );
    expect(state).toMatchObject({ config, bestEpoch: 2, bestValAccuracy: 0.45, lastCheckpointEpoch: 3, elapsedMs: 180_000 });
  });

  it('ignores events of other runs, and a speed measurement is not part of a run', () => {
    const state = run({ type: 'begin', runId: 'r', config, now: 0 });
    expect(reduceTrainingRun(state, { type: 'error', runId: 'old', message: 'x', now: 1 })).toBe(state);
    expect(reduceTrainingRun(state, { type: 'measured', runId: 'r', info: {} as never, imagesPerSecond: 100, now: 1 })).toBe(state);
    expect(reduceTrainingRun(state, { type: 'error', runId: 'r', message: 'out of memory', now: 1 })).toMatchObject({ status: 'error', error: 'out of memory' });
  });
});

describe('estimateRemainingMs', () => {
  it('uses the average of recent epochs, less the part of the current epoch done', () => {
    const state = run(
      { type: 'begin', runId: 'r', config, now: 0 },
      { type: 'started', runId: 'r', config, cost, batchesPerEpoch: 100, history: [epoch(1, 0.3), epoch(2, 0.4)], batchHistory: [], elapsedMs: 0, now: 0 },
      { type: 'batch', runId: 'r', metrics: { ...batch(3, 50), batchesPerEpoch: 100 }, now: 0 },
    );
    expect(estimateRemainingMs(state)).toBe(7.5 * 60_000); // 8 epochs left, half of one done
  });

  it('for a time budget, is the budget less the training time spent', () => {
    const budget = { ...config, budgetMinutes: 15 };
    const state = run({ type: 'begin', runId: 'r', config: budget, now: 0 }, { type: 'batch', runId: 'r', metrics: { ...batch(1, 10), trainingMs: 60_000 }, now: 0 });
    expect(estimateRemainingMs(state)).toBe(14 * 60_000);
  });

  it('before any epoch ends, goes by the recent throughput; nothing to say before that', () => {
    const begun = run({ type: 'begin', runId: 'r', config, now: 0 }, { type: 'started', runId: 'r', config, cost, batchesPerEpoch: 100, history: [], batchHistory: [], elapsedMs: 0, now: 0 });
    expect(estimateRemainingMs(begun)).toBeNull();
    const going = reduceTrainingRun(begun, { type: 'batch', runId: 'r', metrics: batch(1, 100), now: 0 });
    expect(estimateRemainingMs(going)).toBe(900 * 500); // 900 batches left at 0.5 s each (64 faces at 128/s)
  });
});
