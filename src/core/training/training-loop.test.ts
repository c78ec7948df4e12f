import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usageSplit } from '../dataset/splits';
import { computePixelStats } from '../dataset/standardize';
import { generateDemoBuffers } from '../demo/synthetic-faces';
import { tinyTrainingNet } from '../testing/tiny-model';
import { NO_AUGMENTATION } from './augment';
import { defaultTrainConfig, type TrainConfig } from './train-config';
import { decodeModelWeights, type EncodedWeights } from '../model-format/weights-codec';
import {
  balancedClassWeights,
  evaluateRows,
  initialTrainingState,
  NonFiniteLossError,
  recordEpoch,
  runTraining,
  shouldStopEarly,
  type Checkpoint,
  type EpochMetrics,
  type TrainingData,
} from './training-loop';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tinyModel = () => tinyTrainingNet();

const buffers = generateDemoBuffers({ training: 140, publicTest: 35, privateTest: 35, seed: 9 });
const split = usageSplit(buffers.usage);
const data: TrainingData = { buffers, train: split.train, validation: split.validation, stats: computePixelStats(buffers.pixels, split.train) };

function config(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return { ...defaultTrainConfig('compact'), batchSize: 32, learningRate: 0.01, augment: NO_AUGMENTATION, epochs: 3, earlyStoppingPatience: 0, ...overrides };
}

describe('runTraining', () => {
  it('trains: the loss falls, metrics stream per batch and epoch, and the tensor count stays flat', async () => {
    const before = tf.memory().numTensors;
    const tensorsAtEpochEnd: number[] = [];
    const batches: number[] = [];
    const epochs: EpochMetrics[] = [];
    const result = await runTraining(data, config({ epochs: 4, augment: { flip: true, maxShift: 0.05, maxRotationDeg: 5, maxZoom: 0.05 } }), {
      createModel: tinyModel,
      onCheckpoint: async () => {},
      onBatch: (m) => batches.push(m.loss),
      onEpoch: (m) => {
        epochs.push(m);
        tensorsAtEpochEnd.push(tf.memory().numTensors);
      },
    });
    expect(result.reason).toBe('completed');
    expect(result.state.epoch).toBe(4);
    expect(batches).toHaveLength(4 * Math.ceil(140 / 32));
    expect(epochs.map((m) => m.epoch)).toEqual([1, 2, 3, 4]);
    expect(epochs[3].loss).toBeLessThan(epochs[0].loss);
    expect(epochs.every((m) => m.valAccuracy >= 0 && m.valAccuracy <= 1 && m.imagesPerSecond > 0)).toBe(true);
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    expect(result.bestWeights).not.toBeNull();
    expect(result.state.bestEpoch).toBeGreaterThan(0);
  }, 180_000); // a hang guard, not a speed check: a loaded 2-core machine took 47 s here

  it('resumes from a checkpoint: the next step has the identical loss, the next epoch matches an uninterrupted run', async () => {
    const checkpoints: Checkpoint[] = [];
    const fullLosses: number[] = [];
    const resumedLosses: number[] = [];
    const full = await runTraining(data, config({ epochs: 2 }), {
      createModel: tinyModel,
      onCheckpoint: async (c) => void checkpoints.push(c),
      onBatch: (m) => m.epoch === 2 && fullLosses.push(m.loss),
    });
    expect(checkpoints).toHaveLength(2);
    expect(checkpoints[0].state.epoch).toBe(1);
    expect(checkpoints[0].average).toBeUndefined(); // no weight averaging asked for
    const resumed = await runTraining(data, config({ epochs: 2 }), { createModel: tinyModel, onBatch: (m) => resumedLosses.push(m.loss) }, checkpoints[0]);
    expect(resumedLosses[0]).toBe(fullLosses[0]);
    // Later steps agree to float32 rounding: Adam's bias-correction powers are recomputed on restore.
    resumedLosses.forEach((loss, i) => expect(loss).toBeCloseTo(fullLosses[i], 4));
    const [a, b] = [full.state.history[1], resumed.state.history[1]];
    expect(resumed.state.history).toHaveLength(2);
    expect(b.loss).toBeCloseTo(a.loss, 4);
    expect(b.valLoss).toBeCloseTo(a.valLoss, 3);
  });

  it('with weight averaging: validation and the kept weights are the average\'s, tensors stay flat, and a resumed run carries the average on', async () => {
    const checkpoints: Checkpoint[] = [];
    const tensorsAtEpochEnd: number[] = [];
    const before = tf.memory().numTensors;
    // SGD with momentum resumes bit for bit (Adam recomputes its bias-correction powers), so the average must too.
    const averaged = config({ epochs: 3, weightAverage: 0.99, optimizer: 'sgd-nesterov', learningRate: 0.05 });
    const full = await runTraining(data, averaged, {
      createModel: tinyModel,
      onCheckpoint: async (c) => void checkpoints.push(c),
      onEpoch: () => void tensorsAtEpochEnd.push(tf.memory().numTensors),
    });
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const floats = (encoded: EncodedWeights) => new Float32Array(encoded.data);
    const probe = tinyModel();
    for (const [k, checkpoint] of checkpoints.entries()) {
      expect(floats(checkpoint.average!)).not.toEqual(floats(checkpoint.weights));
      // The epoch's validation figures are the average's: the same rows through a model holding it.
      decodeModelWeights(probe, checkpoint.average!);
      const scored = await evaluateRows(probe, data, data.validation);
      expect(full.state.history[k].valAccuracy).toBe(scored.accuracy);
      expect(full.state.history[k].valLoss).toBeCloseTo(scored.loss, 5);
    }
    expect(floats(full.bestWeights!)).toEqual(floats(checkpoints[full.state.bestEpoch - 1].average!));
    // Resumed after epoch 1, the average goes on from the stored one (not from the weights): the end is the
    // uninterrupted run's.
    const resumedCheckpoints: Checkpoint[] = [];
    await runTraining(data, averaged, { createModel: tinyModel, onCheckpoint: async (c) => void resumedCheckpoints.push(c) }, checkpoints[0]);
    const [a, b] = [floats(checkpoints[2].average!), floats(resumedCheckpoints.at(-1)!.average!)];
    expect(b.length).toBe(a.length);
    const gap = (x: Float32Array, y: Float32Array) => Math.max(...x.map((v, i) => Math.abs(v - y[i])));
    // Resumed from the same checkpoint without its average, the average restarts from epoch 1's weights: it differs.
    const restarted: Checkpoint[] = [];
    await runTraining(data, averaged, { createModel: tinyModel, onCheckpoint: async (c) => void restarted.push(c) }, { ...checkpoints[0], average: undefined });
    const c = floats(restarted.at(-1)!.average!);
    console.log(`weight average after epoch 3: resumed with it ${gap(a, b).toExponential(2)} from the uninterrupted run, without it ${gap(a, c).toExponential(2)}`);
    expect(gap(a, b)).toBe(0);
    expect(gap(a, c)).toBeGreaterThan(0);
    probe.dispose();
  }, 180_000); // a hang guard, not a speed check

  it('stops after the current batch when aborted and keeps the best epoch so far', async () => {
    const controller = new AbortController();
    const result = await runTraining(data, config({ epochs: 5 }), {
      createModel: tinyModel,
      signal: controller.signal,
      onBatch: (m) => {
        if (m.epoch === 2 && m.batch === 2) controller.abort();
      },
    });
    expect(result.reason).toBe('stopped');
    expect(result.state.epoch).toBe(1);
    expect(result.state.bestEpoch).toBe(1);
    expect(result.bestWeights).not.toBeNull();
  });

  it('stops with a clear error when the loss is not finite', async () => {
    const broken = { ...data, stats: { ...data.stats, std: new Float32Array(2304).fill(0) } };
    await expect(runTraining(broken, config({ epochs: 1 }), { createModel: tinyModel })).rejects.toBeInstanceOf(NonFiniteLossError);
  });

  it('trains for a time budget on an injected clock: stops at the budget, a last partial epoch, pauses excluded', async () => {
    const before = tf.memory().numTensors;
    // A fake clock: each settled batch "takes" 1 s of training, and one pause takes a minute.
    let clockMs = 0;
    const BATCH_MS = 1000;
    const PAUSE_MS = 60_000;
    const budgetMinutes = 12 / 60; // 12 s of training
    let pauseRequested = false;
    let pauses = 0;
    const rates: number[] = [];
    const epochs: EpochMetrics[] = [];
    const batchTrainingMs: number[] = [];
    const result = await runTraining(
      data,
      config({ epochs: 1000, schedule: 'one-cycle', budgetMinutes, optimizer: 'sgd-nesterov', learningRate: 0.05, weightDecay: 5e-4, labelSmoothing: 0.1 }),
      {
        createModel: tinyModel,
        now: () => clockMs,
        onEpoch: (m) => {
          rates.push(m.learningRate);
          epochs.push(m);
        },
        onBatch: (m) => {
          batchTrainingMs.push(m.trainingMs);
          clockMs += BATCH_MS;
          if (m.epoch === 1 && m.batch === 2) pauseRequested = true;
        },
        waitWhilePaused: async () => {
          if (!pauseRequested) return;
          pauseRequested = false;
          pauses++;
          clockMs += PAUSE_MS;
        },
      },
    );
    expect(result.reason).toBe('completed');
    expect(pauses).toBe(1);
    // 5 batches per epoch. Metrics are read one batch late, so the budget check before a batch sees the batches
    // settled so far: epochs 1 and 2 train 10 s; in epoch 3 the check before batch 4 sees 12 s and stops, and the
    // batch already queued (batch 3) settles, so training ends at 13 s. The minute of pause counts nowhere.
    const { history, trainingMs } = result.state;
    expect(history.map((m) => m.trainingMs)).toEqual([5000, 10_000, 13_000]);
    expect(trainingMs).toBe(13_000);
    expect(history.map((m) => m.partial ?? false)).toEqual([false, false, true]);
    expect(result.state.steps).toBe(5 + 5 + 3);
    expect(batchTrainingMs).toEqual(Array.from({ length: 13 }, (_, i) => i * BATCH_MS));
    // Wall time per epoch does include the pause (it is what the epoch took on the clock).
    expect(epochs.map((m) => m.elapsedMs)).toEqual([5000 + PAUSE_MS, 5000, 3000]);
    // The rate falls from the peak towards 1 % of it as the budget runs out.
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.05);
    expect(rates.at(-1)!).toBeLessThan(0.05 * 0.1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops before an epoch whose first batch would start past the budget, without validating it again', async () => {
    // Epoch 1 trains 5 s, then validation takes 10 s on the fake clock: the budget (12 s) is spent before epoch 2.
    let clockMs = 0;
    let validating = false;
    const epochs: EpochMetrics[] = [];
    const result = await runTraining(data, config({ epochs: 1000, budgetMinutes: 12 / 60 }), {
      createModel: tinyModel,
      now: () => {
        if (validating) {
          validating = false;
          clockMs += 10_000;
        }
        return clockMs;
      },
      onBatch: (m) => {
        clockMs += 1000;
        if (m.batch === m.batchesPerEpoch) validating = true;
      },
      onEpoch: (m) => epochs.push(m),
    });
    expect(result.reason).toBe('completed');
    expect(epochs.map((m) => m.epoch)).toEqual([1]);
    expect(epochs[0].partial).toBeUndefined();
    expect(result.state.trainingMs).toBe(15_000);
    expect(result.state.steps).toBe(5);
  });

  it('counts the time after an epoch ends (checkpoint, callbacks) in the training time when that time spends the budget', async () => {
    // Epoch 1 trains 5 s; its onEpoch/checkpoint takes 2 s more, spending the 6 s budget before epoch 2 starts.
    let clockMs = 0;
    const result = await runTraining(data, config({ epochs: 1000, budgetMinutes: 6 / 60 }), {
      createModel: tinyModel,
      now: () => clockMs,
      onBatch: () => void (clockMs += 1000),
      onEpoch: () => void (clockMs += 2000),
    });
    expect(result.reason).toBe('completed');
    expect(result.state.history.map((m) => m.trainingMs)).toEqual([5000]);
    // The run's training time is what the budget check saw, so a budget stop never reports less than the budget.
    expect(result.state.trainingMs).toBe(7000);
  });

  it('resumes a run stored before time budgets existed (no trainingMs, steps or new settings)', async () => {
    const checkpoints: Checkpoint[] = [];
    await runTraining(data, config({ epochs: 1 }), { createModel: tinyModel, onCheckpoint: async (c) => void checkpoints.push(c) });
    const old = structuredClone(checkpoints[0]);
    delete (old.state as Partial<typeof old.state>).trainingMs;
    delete (old.state as Partial<typeof old.state>).steps;
    const oldConfig = config({ epochs: 2 }) as Partial<TrainConfig>;
    for (const key of ['optimizer', 'weightDecay', 'labelSmoothing', 'schedule', 'budgetMinutes', 'recipe'] as const) delete oldConfig[key];
    const result = await runTraining(data, oldConfig as TrainConfig, { createModel: tinyModel }, old);
    expect(result.state.epoch).toBe(2);
    expect(result.state.steps).toBe(Math.ceil(140 / 32));
    expect(Number.isFinite(result.state.trainingMs)).toBe(true);
  });

  it('waits while paused', async () => {
    let release!: () => void;
    let paused = true;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedPause!: () => void;
    const waiting = new Promise<void>((resolve) => (reachedPause = resolve));
    let batches = 0;
    const run = runTraining(data, config({ epochs: 1 }), {
      createModel: tinyModel,
      waitWhilePaused: () => {
        if (!paused) return Promise.resolve();
        reachedPause();
        return gate;
      },
      onBatch: () => batches++,
    });
    // The loop has reached the pause before its first batch: nothing may have trained yet.
    await waiting;
    expect(batches).toBe(0);
    paused = false;
    release();
    await run;
    expect(batches).toBe(5);
  });
});

describe('schedule', () => {
  const metrics = (epoch: number, valLoss: number, valAccuracy: number): EpochMetrics => ({
    epoch, loss: 1, accuracy: 0.5, valLoss, valAccuracy, learningRate: 0, elapsedMs: 1, imagesPerSecond: 1,
  });

  it('halves the learning rate after `patience` epochs without a better validation loss, and stops early', () => {
    const cfg = config({ earlyStoppingPatience: 4, reduceLr: { patience: 2, factor: 0.5, minLearningRate: 0.001 } });
    const state = initialTrainingState(cfg);
    expect(recordEpoch(state, metrics(1, 1.0, 0.3), true, cfg)).toBe(true);
    expect(recordEpoch(state, metrics(2, 1.1, 0.35), true, cfg)).toBe(true);
    expect(state.learningRate).toBe(0.01);
    recordEpoch(state, metrics(3, 1.2, 0.2), true, cfg);
    expect(state.learningRate).toBe(0.005);
    expect(state.bestEpoch).toBe(2);
    recordEpoch(state, metrics(4, 1.2, 0.2), true, cfg);
    expect(state.learningRate).toBe(0.005); // waits another `patience` epochs before cutting again
    expect(shouldStopEarly(state, cfg)).toBe(false);
    recordEpoch(state, metrics(5, 1.3, 0.2), true, cfg);
    expect(state.learningRate).toBe(0.0025);
    expect(shouldStopEarly(state, cfg)).toBe(true);
  });

  it('computes balanced class weights n / (7 n_k)', () => {
    const labels = Uint8Array.from([0, 0, 0, 1]);
    const weights = balancedClassWeights(labels, Uint32Array.from([0, 1, 2, 3]), 7);
    expect(weights[0]).toBeCloseTo(4 / 21);
    expect(weights[1]).toBeCloseTo(4 / 7);
    expect(weights[2]).toBe(0);
  });
});
