// Message types of the training worker (trains, checkpoints and saves models), both directions. Types only:
// both sides use `import type`, except isFinalTrainEvent.
import type { SplitOptions } from '../core/dataset/splits';
import type { DatasetBuffers, PixelStats } from '../core/dataset/types';
import type { TrainTargets, VoteMode } from '../core/labels/targets';
import type { ModelCost } from '../core/nets/architectures';
import type { ModelMetadata } from '../core/model-format/model-metadata';
import type { TrainConfig } from '../core/training/train-config';
import type { BatchMetrics, EpochMetrics, StopReason } from '../core/training/training-loop';
import type { BatchPoint } from '../storage/run-record';
import type { BackendInfo, BackendPreference } from './backend-choice';

/** The rows and statistics a run trains on. The arrays are copies the worker owns. */
export interface TrainDataset {
  name: string;
  fingerprint: string;
  synthetic: boolean;
  buffers: DatasetBuffers;
  train: Uint32Array;
  validation: Uint32Array;
  stats: PixelStats;
  /** Training targets from crowd votes (the config's vote mode), when the data set has votes. */
  soft?: TrainTargets;
}

/**
 * Where a run's data set comes from: the browser's storage, by fingerprint (the worker reads it and makes the
 * split itself: nothing crosses from the page), or copies the page made (a data set that could not be stored).
 */
export type TrainDataSource =
  | { from: 'storage'; fingerprint: string; split: SplitOptions; seedFaithful: boolean; voteMode: VoteMode }
  | { from: 'copy'; dataset: TrainDataset };

export type TrainRequest =
  | { type: 'start'; runId: string; config: TrainConfig; data: TrainDataSource; backend: BackendPreference }
  /** Continue an unfinished run from its last checkpoint (after a reload or a crash). */
  | { type: 'resume-run'; runId: string; data: TrainDataSource; backend: BackendPreference }
  /** Times a few training steps of `config`'s network on the chosen backend (the time-budget estimate). */
  | { type: 'measure'; runId: string; config: TrainConfig; backend: BackendPreference; /** Output classes of the net to time (the loaded data set's). */ classes: number }
  | { type: 'pause'; runId: string }
  | { type: 'play'; runId: string }
  | { type: 'stop'; runId: string };

export type TrainEvent =
  | { type: 'backend'; runId: string; info: BackendInfo }
  | {
      type: 'started';
      runId: string;
      config: TrainConfig;
      cost: ModelCost;
      batchesPerEpoch: number;
      /** Epochs already done (resumed runs) and their curves. */
      history: EpochMetrics[];
      batchHistory: BatchPoint[];
      elapsedMs: number;
    }
  | { type: 'batch'; runId: string; metrics: BatchMetrics }
  | { type: 'epoch'; runId: string; metrics: EpochMetrics; bestEpoch: number; bestValAccuracy: number; tensors: number; elapsedMs: number }
  | { type: 'checkpoint'; runId: string; epoch: number }
  | { type: 'paused'; runId: string }
  | { type: 'playing'; runId: string }
  | { type: 'done'; runId: string; reason: StopReason; model: ModelMetadata | null }
  | { type: 'measured'; runId: string; info: BackendInfo; imagesPerSecond: number }
  | { type: 'error'; runId: string | null; message: string };

/** Whether the run of `event` is over after it (a new message type must say so: the switch is exhaustive). */
export function isFinalTrainEvent(event: TrainEvent): boolean {
  switch (event.type) {
    case 'done':
    case 'measured':
    case 'error':
      return true;
    case 'backend':
    case 'started':
    case 'batch':
    case 'epoch':
    case 'checkpoint':
    case 'paused':
    case 'playing':
      return false;
    default:
      return event satisfies never;
  }
}
