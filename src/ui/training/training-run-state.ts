// Runs on the page: folds training-worker events into the Train screen's state (pure, tested without a DOM).
import type { ModelCost } from '../../core/nets/architectures';
import type { ModelMetadata } from '../../core/model-format/model-metadata';
import type { TrainConfig } from '../../core/training/train-config';
import type { BatchMetrics, EpochMetrics, StopReason } from '../../core/training/training-loop';
import { appendThinned, type BatchPoint } from '../../storage/run-record';
import type { BackendInfo } from '../../workers/backend-choice';
import type { TrainEvent } from '../../workers/train-protocol';
import { formatDuration } from '../common/format';

/** A stopped run ends 'done' (with stopReason 'stopped'): the best epoch so far is kept as a model. */
export type TrainingStatus = 'idle' | 'running' | 'done' | 'error';

export interface TrainingRunState {
  status: TrainingStatus;
  runId: string | null;
  /** While running: waiting for the worker after pressing pause / stop. */
  paused: boolean;
  stopRequested: boolean;
  config: TrainConfig | null;
  backend: BackendInfo | null;
  cost: ModelCost | null;
  batchesPerEpoch: number;
  epochs: EpochMetrics[];
  /** Per-batch curve, append-only (global step = (epoch-1)*batchesPerEpoch + batch). */
  batches: BatchPoint[];
  lastBatch: BatchMetrics | null;
  bestEpoch: number;
  bestValAccuracy: number;
  /** tfjs tensors alive in the worker after the last epoch (the debug panel shows it). */
  tensors: number[];
  /** Training time across sessions, as of the last event, and when that event arrived (page clock). */
  elapsedMs: number;
  elapsedAt: number;
  lastCheckpointEpoch: number;
  /** When the worker last said anything about this run (page clock, ms): see silentMs. */
  heardAt: number;
  stopReason: StopReason | null;
  model: ModelMetadata | null;
  error: string | null;
}

export const initialTrainingRunState: TrainingRunState = {
  status: 'idle',
  runId: null,
  paused: false,
  stopRequested: false,
  config: null,
  backend: null,
  cost: null,
  batchesPerEpoch: 0,
  epochs: [],
  batches: [],
  lastBatch: null,
  bestEpoch: 0,
  bestValAccuracy: 0,
  tensors: [],
  elapsedMs: 0,
  elapsedAt: 0,
  lastCheckpointEpoch: 0,
  heardAt: 0,
  stopReason: null,
  model: null,
  error: null,
};

export type TrainingRunAction =
  | { type: 'begin'; runId: string; config: TrainConfig | null; now: number }
  | { type: 'request-stop' }
  | (TrainEvent & { now: number });

export function reduceTrainingRun(state: TrainingRunState, action: TrainingRunAction): TrainingRunState {
  switch (action.type) {
    case 'begin':
      return { ...initialTrainingRunState, status: 'running', runId: action.runId, config: action.config, elapsedAt: action.now, heardAt: action.now };
    case 'request-stop':
      return state.status === 'running' ? { ...state, stopRequested: true } : state;
    default:
      break;
  }
  // A speed estimate is not part of a run (the settings form shows it).
  if (action.runId !== state.runId || action.type === 'measured') return state;
  return reduceRunEvent({ ...state, heardAt: action.now }, action);
}

function reduceRunEvent(state: TrainingRunState, action: TrainEvent & { now: number }): TrainingRunState {
  switch (action.type) {
    case 'backend':
      return { ...state, backend: action.info };
    case 'started':
      return {
        ...state,
        config: action.config,
        cost: action.cost,
        batchesPerEpoch: action.batchesPerEpoch,
        epochs: action.history,
        batches: action.batchHistory,
        bestEpoch: bestOf(action.history).epoch,
        bestValAccuracy: bestOf(action.history).valAccuracy,
        lastCheckpointEpoch: action.history.length,
        elapsedMs: action.elapsedMs,
        elapsedAt: action.now,
      };
    case 'batch': {
      const m = action.metrics;
      const step = (m.epoch - 1) * m.batchesPerEpoch + m.batch;
      return { ...state, lastBatch: m, batches: appendThinned([...state.batches], { step, loss: m.loss, accuracy: m.accuracy, trainingMs: m.trainingMs }) };
    }
    case 'epoch':
      return {
        ...state,
        epochs: [...state.epochs, action.metrics],
        bestEpoch: action.bestEpoch,
        bestValAccuracy: action.bestValAccuracy,
        tensors: [...state.tensors, action.tensors],
        elapsedMs: action.elapsedMs,
        elapsedAt: action.now,
      };
    case 'checkpoint':
      return { ...state, lastCheckpointEpoch: action.epoch };
    case 'paused':
      return { ...state, paused: true };
    case 'playing':
      return { ...state, paused: false };
    case 'done':
      return { ...state, status: 'done', paused: false, stopReason: action.reason, model: action.model };
    case 'error':
      return { ...state, status: 'error', paused: false, error: action.message };
    case 'measured':
      return state;
    default:
      action satisfies never;
      return state;
  }
}

/**
 * How long a running, unpaused run has not been heard from (ms, 0 otherwise). Its worker reports every batch,
 * every few seconds; minutes of silence mean it is stuck (see StallNotice).
 */
export function silentMs(state: TrainingRunState, now: number): number {
  return state.status === 'running' && !state.paused ? Math.max(0, now - state.heardAt) : 0;
}

/**
 * Silence after which a run is called stuck. The worker reports every batch (seconds apart on the slowest net
 * here) and at each epoch's end; a long 60-minute tab run once froze after 43 minutes, every thread waiting.
 */
export const STALL_NOTICE_MS = 3 * 60_000;

/** The message a run ended this way stops with. */
export function stalledRunMessage(silent: number): string {
  return `its worker was ended after ${formatDuration(silent)} in which no batch finished (it had stopped responding)`;
}

function bestOf(history: EpochMetrics[]): { epoch: number; valAccuracy: number } {
  return history.reduce((best, m) => (m.valAccuracy > best.valAccuracy ? { epoch: m.epoch, valAccuracy: m.valAccuracy } : best), {
    epoch: 0,
    valAccuracy: 0,
  });
}

/**
 * Estimated time left in ms: completed epochs give the average epoch time; before the first one ends,
 * the recent batch throughput does. Null when there is nothing to go on yet.
 */
export function estimateRemainingMs(state: TrainingRunState): number | null {
  const config = state.config;
  if (!config || state.status !== 'running') return null;
  // A time budget ends when its training time is spent, whatever the speed.
  if (config.budgetMinutes !== null && config.budgetMinutes !== undefined) {
    const trained = state.lastBatch?.trainingMs ?? state.epochs.at(-1)?.trainingMs ?? 0;
    return Math.max(0, config.budgetMinutes * 60_000 - trained);
  }
  const done = state.epochs.length;
  const remainingEpochs = config.epochs - done;
  const recent = state.epochs.slice(-3);
  if (recent.length > 0) {
    const perEpoch = recent.reduce((sum, m) => sum + m.elapsedMs, 0) / recent.length;
    const inEpoch = state.lastBatch && state.lastBatch.epoch === done + 1 ? state.lastBatch.batch / state.batchesPerEpoch : 0;
    return Math.max(0, (remainingEpochs - inEpoch) * perEpoch);
  }
  const last = state.lastBatch;
  if (!last || last.imagesPerSecond <= 0) return null;
  const batchMs = (config.batchSize * 1000) / last.imagesPerSecond;
  return (config.epochs * state.batchesPerEpoch - last.batch) * batchMs;
}
