// Pure training loop: epochs of shuffled, augmented batches with validation, LR schedule, early stopping,
// best-epoch tracking, checkpoints and pause/stop. Runs in the training worker and in Node (CLI, tests).
import * as tf from '@tensorflow/tfjs';
import { standardizeFace } from '../dataset/standardize';
import type { DatasetBuffers, PixelStats } from '../dataset/types';
import { PIXELS } from '../dataset/face-format';
import { drawClass, type TrainTargets } from '../labels/targets';
import { createRng, shuffleInPlace } from '../random';
import { buildModel } from '../nets/architectures';
import { INPUT_SHAPE } from '../model-format/model-contract';
import { augmentBatch, augments } from './augment';
import { backendTrainingHooks, type BackendTrainingHooks } from './backend-extensions';
import { oneCycleLearningRate, planProgress } from './lr-schedule';
import { applyWeightDecay, createOptimizer, decayedWeights, disposeOptimizer, setLearningRate } from './optimizers';
import { withConfigDefaults, type TrainConfig } from './train-config';
import { WeightAverage } from './weight-average';
import { crossEntropy, countCorrect, trainStep, type SoftTargets } from './train-step';
import { decodeModelWeights, decodeOptimizerState, encodeModelWeights, encodeOptimizerState, type EncodedWeights } from '../model-format/weights-codec';

/** Rows to train and validate on; the arrays are read, never modified. */
export interface TrainingData {
  buffers: DatasetBuffers;
  /** Training rows; with `soft`, only rows its mode keeps. */
  train: Uint32Array;
  /** Validation rows: always scored against buffers.labels (for FER+, the majority label). */
  validation: Uint32Array;
  stats: PixelStats;
  /** Training targets from crowd votes (a FER+ mode); absent: one-hot buffers.labels. */
  soft?: TrainTargets;
}

export interface BatchMetrics {
  epoch: number; // 1-based
  batch: number; // 1-based within the epoch
  batchesPerEpoch: number;
  loss: number;
  accuracy: number;
  /** Training throughput over the recent batches, faces per second. */
  imagesPerSecond: number;
  /** Training time of the run when this batch settled (pauses excluded). */
  trainingMs: number;
}

export interface EpochMetrics {
  epoch: number; // 1-based
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  learningRate: number;
  /** Wall time of the epoch, validation included. */
  elapsedMs: number;
  /** Training time of the whole run at the end of this epoch (pauses excluded); absent in older records. */
  trainingMs?: number;
  imagesPerSecond: number;
  /** Set on the last epoch of a time-budgeted run when the budget ran out part-way through it. */
  partial?: boolean;
}

/** What the loop carries from epoch to epoch; enough to resume exactly after the last completed epoch. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  history: EpochMetrics[];
  learningRate: number;
  bestEpoch: number; // 0 = none yet
  bestValAccuracy: number;
  /** Lowest validation loss so far and the epoch it happened (for the plateau and early-stopping counters). */
  bestValLoss: number;
  bestValLossEpoch: number;
  lastLrChangeEpoch: number;
  /** Training time so far, validation and checkpoints included, pauses excluded (0 in older records). */
  trainingMs: number;
  /** Optimizer steps so far (0 in older records). */
  steps: number;
}

export interface Checkpoint {
  state: TrainingState;
  weights: EncodedWeights;
  optimizer: EncodedWeights;
  /** Weights of the best epoch so far (by validation accuracy), or null before the first epoch ends. */
  bestWeights: EncodedWeights | null;
  /** The weights' moving average, with config.weightAverage (absent otherwise, and in older records). */
  average?: EncodedWeights;
}

export type StopReason = 'completed' | 'early-stopping' | 'stopped';

export interface TrainingResult {
  reason: StopReason;
  state: TrainingState;
  /** The model to keep: the best epoch's weights (by validation accuracy), null if no epoch finished. */
  bestWeights: EncodedWeights | null;
}

export interface TrainingHooks {
  /** Aborting stops after the current batch; the result then keeps the best epoch so far. */
  signal?: AbortSignal;
  onBatch?: (metrics: BatchMetrics) => void;
  onEpoch?: (metrics: EpochMetrics, state: TrainingState) => void;
  /** Called after each epoch; training waits for it (e.g. an IndexedDB write). */
  onCheckpoint?: (checkpoint: Checkpoint) => Promise<void>;
  /** Awaited between batches: resolves at once unless the user paused. */
  waitWhilePaused?: () => Promise<void>;
  /** Builds the model (tests use tiny ones); defaults to the config's architecture. */
  createModel?: () => tf.LayersModel;
  /** The clock for training time, budgets and throughput, in ms; defaults to performance.now (tests pass a fake one). */
  now?: () => number;
}

/**
 * Lets queued tasks (e.g. incoming worker messages) run before going on. Not setTimeout(0): browsers clamp
 * nested timeouts to 4 ms, idle time on every step. Node: setImmediate; workers and pages: a message to
 * ourselves, queued behind the messages already waiting.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Thrown when the loss stops being a finite number; the last checkpoint is still good. */
export class NonFiniteLossError extends Error {
  constructor(epoch: number, batch: number, loss: number) {
    super(`the loss became ${loss} at epoch ${epoch}, batch ${batch}: training diverged (try a lower learning rate)`);
    this.name = 'NonFiniteLossError';
  }
}

export function initialTrainingState(config: TrainConfig): TrainingState {
  return {
    epoch: 0,
    history: [],
    learningRate: config.learningRate,
    bestEpoch: 0,
    bestValAccuracy: -1,
    bestValLoss: Infinity,
    bestValLossEpoch: 0,
    lastLrChangeEpoch: 0,
    trainingMs: 0,
    steps: 0,
  };
}

/** Balanced class weights n / (classes * n_k) over the training rows (Keras/sklearn "balanced"); 0 for absent classes. */
export function balancedClassWeights(labels: Uint8Array, rows: Uint32Array, classes: number): Float32Array {
  const counts = new Float64Array(classes);
  for (let i = 0; i < rows.length; i++) counts[labels[rows[i]]]++;
  return Float32Array.from(counts, (count) => (count > 0 ? rows.length / (classes * count) : 0));
}

/** The number of classes a run on `data` trains (its label set's). */
export function classCountOf(data: Pick<TrainingData, 'buffers'>): number {
  return data.buffers.labelSet.names.length;
}

/**
 * Folds a finished epoch into the state: history, best epoch (by validation accuracy), lowest validation
 * loss, and the reduce-on-plateau learning rate. Without validation rows, training metrics stand in.
 * @returns true when this epoch has the best accuracy so far (its weights should be kept).
 */
export function recordEpoch(state: TrainingState, metrics: EpochMetrics, hasValidation: boolean, config: TrainConfig): boolean {
  state.epoch = metrics.epoch;
  state.history.push(metrics);
  const accuracy = hasValidation ? metrics.valAccuracy : metrics.accuracy;
  const loss = hasValidation ? metrics.valLoss : metrics.loss;
  const improvedAccuracy = accuracy > state.bestValAccuracy;
  if (improvedAccuracy) {
    state.bestValAccuracy = accuracy;
    state.bestEpoch = metrics.epoch;
  }
  if (loss < state.bestValLoss) {
    state.bestValLoss = loss;
    state.bestValLossEpoch = metrics.epoch;
  }
  if (config.schedule !== 'plateau') return improvedAccuracy;
  const { patience, factor, minLearningRate } = config.reduceLr;
  const stale = metrics.epoch - state.bestValLossEpoch;
  const sinceChange = metrics.epoch - state.lastLrChangeEpoch;
  if (patience > 0 && stale >= patience && sinceChange >= patience && state.learningRate > minLearningRate) {
    state.learningRate = Math.max(minLearningRate, state.learningRate * factor);
    state.lastLrChangeEpoch = metrics.epoch;
  }
  return improvedAccuracy;
}

/** Early stopping: validation loss has not improved for earlyStoppingPatience epochs. */
export function shouldStopEarly(state: TrainingState, config: TrainConfig): boolean {
  return config.earlyStoppingPatience > 0 && state.epoch - state.bestValLossEpoch >= config.earlyStoppingPatience;
}

/**
 * Standardises the given rows into `out` and returns a [rows, 48, 48, 1] tensor of them plus int32 labels.
 * `out` must hold rows.length*2304 floats; it is reused between batches to avoid garbage.
 * With `soft` (training on votes) the labels are the targets' top classes and `soft` holds [rows, classes]
 * targets; probability mode draws each face's one-hot target with `random`. Caller disposes every tensor.
 */
export function batchTensors(
  data: TrainingData,
  rows: ArrayLike<number>,
  out: Float32Array,
  soft?: { targets: TrainTargets; random: () => number },
): { xs: tf.Tensor4D; labels: tf.Tensor1D; soft: SoftTargets | null } {
  const { pixels } = data.buffers;
  const labels = soft ? soft.targets.labels : data.buffers.labels;
  const labelValues = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    standardizeFace(pixels, rows[r] * PIXELS, data.stats, out, r * PIXELS);
    labelValues[r] = labels[rows[r]];
  }
  let targets: SoftTargets | null = null;
  if (soft) {
    const classes = classCountOf(data);
    const values = new Float32Array(rows.length * classes);
    const { mode, targets: source } = soft.targets;
    for (let r = 0; r < rows.length; r++) {
      if (mode === 'probability') values[r * classes + drawClass(source, classes, rows[r], soft.random)] = 1;
      else values.set(source.subarray(rows[r] * classes, (rows[r] + 1) * classes), r * classes);
    }
    targets = { targets: tf.tensor2d(values, [rows.length, classes]), multiTarget: mode === 'multi-target' };
  }
  return {
    xs: tf.tensor4d(out.subarray(0, rows.length * PIXELS), [rows.length, ...INPUT_SHAPE]),
    labels: tf.tensor1d(labelValues, 'int32'),
    soft: targets,
  };
}

/** Mean loss and accuracy over rows in inference mode, in chunks of `chunk`. */
export async function evaluateRows(
  model: tf.LayersModel,
  data: TrainingData,
  rows: Uint32Array,
  chunk = 256,
): Promise<{ loss: number; accuracy: number }> {
  if (rows.length === 0) return { loss: NaN, accuracy: NaN };
  const scratch = new Float32Array(Math.min(chunk, rows.length) * PIXELS);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < rows.length; start += chunk) {
    const part = rows.subarray(start, Math.min(rows.length, start + chunk));
    const { xs, labels } = batchTensors(data, part, scratch);
    const [loss, hits] = tf.tidy(() => {
      const probs = model.predict(xs) as tf.Tensor2D;
      return [tf.mul(crossEntropy(probs, labels, null), part.length), countCorrect(probs, labels)];
    });
    tf.dispose([xs, labels]);
    lossSum += (await loss.data())[0];
    correct += (await hits.data())[0];
    tf.dispose([loss, hits]);
  }
  return { loss: lossSum / rows.length, accuracy: correct / rows.length };
}


/**
 * Training time of a run: `state.trainingMs` up to the clock's start, plus what has run since. It stops while
 * paused and at each epoch's end (when the time is written into the state, for the checkpoint).
 */
class TrainingClock {
  private readonly state: TrainingState;
  readonly now: () => number;
  private started: number;
  constructor(state: TrainingState, now: () => number) {
    this.state = state;
    this.now = now;
    this.started = now();
  }
  /** Training ms so far, this stretch included. */
  trainedMs(): number {
    return this.state.trainingMs + (this.now() - this.started);
  }
  /** Writes the time so far into the state and starts a new stretch (call again to resume after a pause). */
  stop(): void {
    this.state.trainingMs = this.trainedMs();
    this.started = this.now();
  }
  restart(): void {
    this.started = this.now();
  }
}

/** Everything one run holds while it trains (built by startRun, disposed by runTraining). */
interface Run {
  data: TrainingData;
  config: TrainConfig;
  hooks: TrainingHooks;
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** Kernels that get decoupled weight decay. */
  decayed: ReturnType<typeof decayedWeights>;
  classWeights: tf.Tensor1D | null;
  state: TrainingState;
  clock: TrainingClock;
  /** The training budget in ms, or null for a run of epochs. */
  budgetMs: number | null;
  batchesPerEpoch: number;
  /** Reused between batches: standardised faces, and the epoch's shuffled training rows. */
  scratch: Float32Array;
  order: Uint32Array;
  /** Whether batches are augmented (config.augment does something). */
  augmentOn: boolean;
  /** The active backend's hooks (backend-extensions.ts). */
  backend: BackendTrainingHooks;
  bestWeights: EncodedWeights | null;
  /** The weights' moving average (config.weightAverage > 0), started once the model holds its weights. */
  average: WeightAverage | null;
}

function startRun(data: TrainingData, storedConfig: TrainConfig, hooks: TrainingHooks, resumeFrom: Checkpoint | null): Run {
  const config = withConfigDefaults(storedConfig);
  const state: TrainingState = resumeFrom ? { ...initialTrainingState(config), ...structuredClone(resumeFrom.state) } : initialTrainingState(config);
  const model = hooks.createModel ? hooks.createModel() : buildModel(config.architecture, classCountOf(data));
  const classes = classCountOf(data);
  return {
    data,
    config,
    hooks,
    model,
    optimizer: createOptimizer(config.optimizer, state.learningRate),
    decayed: config.weightDecay > 0 ? decayedWeights(model) : [],
    classWeights: config.classWeights === 'balanced' ? tf.tensor1d(balancedClassWeights(data.soft?.labels ?? data.buffers.labels, data.train, classes)) : null,
    state,
    clock: new TrainingClock(state, hooks.now ?? (() => performance.now())),
    budgetMs: config.budgetMinutes === null ? null : config.budgetMinutes * 60_000,
    batchesPerEpoch: Math.ceil(data.train.length / config.batchSize),
    scratch: new Float32Array(config.batchSize * PIXELS),
    order: new Uint32Array(data.train.length),
    augmentOn: augments(config.augment),
    backend: backendTrainingHooks(),
    bestWeights: resumeFrom?.bestWeights ?? null,
    average: null,
  };
}

/** What an epoch's batches added up to, and why they ended early (if they did). */
interface EpochTotals {
  lossSum: number;
  correctSum: number;
  seen: number;
  stopped: boolean;
  budgetSpent: boolean;
}

/** One optimizer step on the rows `rows`; returns its loss and hit count, still on the backend. */
function trainBatch(run: Run, rows: Uint32Array, random: () => number): { loss: tf.Scalar; correct: tf.Scalar } {
  const { data, config, state } = run;
  if (config.schedule === 'one-cycle') {
    const progress = planProgress(config, { trainingMs: run.clock.trainedMs(), steps: state.steps, stepsPerEpoch: run.batchesPerEpoch });
    state.learningRate = oneCycleLearningRate(config.learningRate, progress);
    setLearningRate(run.optimizer, state.learningRate);
  }
  const { augmentOn } = run;
  const { xs, labels, soft } = batchTensors(data, rows, run.scratch, data.soft && { targets: data.soft, random });
  const input = augmentOn ? augmentBatch(xs, config.augment, random) : xs;
  const step = trainStep(run.model, run.optimizer, input, labels, run.classWeights, config.labelSmoothing, soft);
  applyWeightDecay(run.decayed, state.learningRate, config.weightDecay);
  state.steps++;
  run.average?.update(state.steps);
  tf.dispose(augmentOn ? [xs, input, labels] : [xs, labels]);
  if (soft) soft.targets.dispose();
  run.backend.afterStep?.(state.steps);
  try {
    run.backend.check?.();
  } catch (error) {
    tf.dispose([step.loss, step.correct]);
    throw error;
  }
  return step;
}

/**
 * The batches of `epoch`, until they are done, the run is stopped, or the budget is spent. Metrics are read
 * one batch late (settle), so a GPU always has the next batch queued; each is reported through onBatch.
 */
async function trainEpoch(run: Run, epoch: number): Promise<EpochTotals> {
  const { data, config, hooks, clock, batchesPerEpoch, order } = run;
  // Shuffle and augmentation depend only on (seed, epoch), so a resumed run sees the same batches.
  const random = createRng(config.seed * 1000 + epoch);
  order.set(data.train);
  shuffleInPlace(order, random);
  const totals: EpochTotals = { lossSum: 0, correctSum: 0, seen: 0, stopped: false, budgetSpent: false };
  // Throughput over the last few batches (a sliding window of settle times), faces per second.
  const recent: { at: number; images: number }[] = [{ at: clock.now(), images: 0 }];
  let pending: { loss: tf.Scalar; correct: tf.Scalar; size: number; batch: number } | null = null;

  const settle = async (step: NonNullable<typeof pending>) => {
    const loss = (await step.loss.data())[0];
    const correct = (await step.correct.data())[0];
    tf.dispose([step.loss, step.correct]);
    if (!Number.isFinite(loss)) throw new NonFiniteLossError(epoch, step.batch, loss);
    totals.lossSum += loss * step.size;
    totals.correctSum += correct;
    totals.seen += step.size;
    recent.push({ at: clock.now(), images: totals.seen });
    if (recent.length > 9) recent.shift();
    const first = recent[0];
    const last = recent[recent.length - 1];
    hooks.onBatch?.({
      epoch,
      batch: step.batch,
      batchesPerEpoch,
      loss,
      accuracy: correct / step.size,
      imagesPerSecond: ((last.images - first.images) * 1000) / Math.max(1, last.at - first.at),
      trainingMs: clock.trainedMs(),
    });
  };

  try {
    for (let b = 0; b < batchesPerEpoch; b++) {
      // IMPORTANT: on WASM/CPU every await in a step resolves as a microtask, so without a real task
      // boundary here the worker would never read its messages (pause, stop) until the epoch ends.
      await yieldToEventLoop();
      if (hooks.waitWhilePaused) {
        clock.stop();
        await hooks.waitWhilePaused();
        clock.restart();
      }
      if (hooks.signal?.aborted) {
        totals.stopped = true;
        break;
      }
      if (run.budgetMs !== null && clock.trainedMs() >= run.budgetMs) {
        totals.budgetSpent = true;
        break;
      }
      const rows = order.subarray(b * config.batchSize, Math.min(order.length, (b + 1) * config.batchSize));
      const step = trainBatch(run, rows, random);
      const previous = pending;
      pending = { ...step, size: rows.length, batch: b + 1 };
      if (previous) await settle(previous);
    }
    if (pending) {
      const last = pending;
      pending = null;
      await settle(last);
    }
  } finally {
    // Only set when a batch failed to settle: release the one queued behind it.
    if (pending) tf.dispose([pending.loss, pending.correct]);
  }
  return totals;
}

/** Validates `epoch`, folds it into the state, keeps the best weights, and hands on its checkpoint. */
async function endEpoch(run: Run, epoch: number, totals: EpochTotals, epochStarted: number): Promise<void> {
  const { data, config, hooks, model, optimizer, state, clock } = run;
  // With weight averaging, validation and the kept weights are the average's; training goes on with the live ones.
  const { average } = run;
  const validation = average
    ? await average.withAveragedWeights(() => evaluateRows(model, data, data.validation))
    : await evaluateRows(model, data, data.validation);
  run.backend.check?.();
  clock.stop();
  const elapsedMs = clock.now() - epochStarted;
  const metrics: EpochMetrics = {
    epoch,
    loss: totals.lossSum / totals.seen,
    accuracy: totals.correctSum / totals.seen,
    valLoss: validation.loss,
    valAccuracy: validation.accuracy,
    learningRate: state.learningRate,
    elapsedMs,
    trainingMs: state.trainingMs,
    imagesPerSecond: (totals.seen * 1000) / elapsedMs,
    ...(totals.budgetSpent ? { partial: true } : {}),
  };
  const improvedAccuracy = recordEpoch(state, metrics, data.validation.length > 0, config);
  if (improvedAccuracy) run.bestWeights = average ? await average.encode() : await encodeModelWeights(model);
  if (config.schedule === 'plateau') setLearningRate(optimizer, state.learningRate);
  hooks.onEpoch?.(metrics, state);
  if (hooks.onCheckpoint) {
    const checkpoint: Checkpoint = {
      state: structuredClone(state),
      weights: await encodeModelWeights(model),
      optimizer: await encodeOptimizerState(optimizer),
      bestWeights: run.bestWeights,
      ...(average ? { average: await average.encode() } : {}),
    };
    run.backend.check?.(); // read from a GPU lost meanwhile: the last checkpoint stays the one stored
    await hooks.onCheckpoint(checkpoint);
  }
}

/**
 * Trains a model from scratch, or from a checkpoint. The dataset stays in JS memory as Uint8 gray levels;
 * each batch is standardised and uploaded on its own (64 faces = 590 KB), so the whole set is never copied
 * to the backend. Each epoch: its batches (trainEpoch), then validation and the checkpoint (endEpoch).
 */
export async function runTraining(
  data: TrainingData,
  storedConfig: TrainConfig,
  hooks: TrainingHooks = {},
  resumeFrom: Checkpoint | null = null,
): Promise<TrainingResult> {
  if (data.train.length === 0) throw new Error('the training split is empty');
  const run = startRun(data, storedConfig, hooks, resumeFrom);
  const { config, state } = run;
  const result = (reason: StopReason): TrainingResult => ({ reason, state, bestWeights: run.bestWeights });
  try {
    if (resumeFrom) {
      decodeModelWeights(run.model, resumeFrom.weights);
      await decodeOptimizerState(run.optimizer, resumeFrom.optimizer);
    }
    if (config.weightAverage > 0) run.average = new WeightAverage(run.model, config.weightAverage, resumeFrom?.average ?? null);
    while (state.epoch < config.epochs) {
      const epoch = state.epoch + 1;
      const epochStarted = run.clock.now();
      const totals = await trainEpoch(run, epoch);
      if (totals.stopped) return result('stopped');
      // The budget ran out before this epoch's first batch: nothing new to validate. The time since the last
      // epoch's end (its checkpoint) counted towards the budget, so it counts in the training time too.
      if (totals.budgetSpent && totals.seen === 0) {
        run.clock.stop();
        return result('completed');
      }
      await endEpoch(run, epoch, totals, epochStarted);
      if (totals.budgetSpent) return result('completed');
      if (shouldStopEarly(state, config)) return result('early-stopping');
    }
    return result('completed');
  } catch (error) {
    throw (await run.backend.explain?.(error)) ?? error;
  } finally {
    run.average?.dispose();
    run.model.dispose();
    disposeOptimizer(run.optimizer);
    run.classWeights?.dispose();
  }
}
