// Message types for every worker, both directions. Types and constants only: both sides use `import type`.
import type { ParseProgress } from '../core/csv/parse-fer-blob';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import type { DatasetBuffers, PixelStats } from '../core/dataset/types';
import type { DemoOptions } from '../core/demo/synthetic-faces';
import type { ModelCost } from '../core/model/architectures';
import type { ModelMetadata } from '../core/model/model-metadata';
import type { TrainConfig } from '../core/model/train-config';
import type { BatchMetrics, EpochMetrics, StopReason } from '../core/model/training-loop';
import type { BatchPoint } from '../storage/run-record';
import type { BackendInfo, BackendPreference } from './backend-choice';

/** Sends an event from a worker, transferring the listed buffers. */
export type Post<E> = (event: E, transfer?: Transferable[]) => void;

// ---- dataset worker: parses a CSV file or image folders, or generates the demo set ----

/** A file of a dragged folder, with its path inside what was dropped ('faces/train/happy/1.jpg'). */
export interface FolderFile {
  path: string;
  file: Blob;
}

export type DatasetRequest =
  /** A CSV (plain or packed) or a ZIP of image folders; skipFolders: class folders the user agreed to leave out. */
  | { type: 'parse'; runId: string; file: Blob; name: string; skipFolders?: string[] }
  /** A dragged or picked folder of images in class folders. */
  | { type: 'folder'; runId: string; files: FolderFile[]; name: string; skipFolders?: string[] }
  | { type: 'demo'; runId: string; options: DemoOptions }
  /** Bring back the data set loaded last time (kept in IndexedDB). */
  | { type: 'restore'; runId: string };

export type DatasetStage = 'reading' | 'decoding' | 'generating' | 'standardising';

export type DatasetEvent =
  | { type: 'progress'; runId: string; stage: DatasetStage; progress: ParseProgress; elapsedMs: number }
  /** dataset's typed arrays are transferred. */
  | { type: 'loaded'; runId: string; dataset: LoadedDataset }
  /** The loaded data set could not be stored for the next visit (after 'loaded'; the data set is in use). */
  | { type: 'not-kept'; runId: string; message: string }
  /** restore found nothing stored. */
  | { type: 'empty'; runId: string }
  /** Sent by the client when it stops a run (the worker is terminated, so it cannot say so itself). */
  | { type: 'cancelled'; runId: string }
  /** unknownFolders: class folders not named after an emotion; loading again with them in skipFolders goes on. */
  | { type: 'error'; runId: string | null; message: string; unknownFolders?: { folder: string; files: number }[] };


// ---- training worker: trains, checkpoints and saves models ----

/** The rows and statistics a run trains on. The arrays are copies the worker owns. */
export interface TrainDataset {
  name: string;
  fingerprint: string;
  synthetic: boolean;
  buffers: DatasetBuffers;
  train: Uint32Array;
  validation: Uint32Array;
  stats: PixelStats;
}

export type TrainRequest =
  | { type: 'start'; runId: string; config: TrainConfig; dataset: TrainDataset; backend: BackendPreference }
  /** Continue an unfinished run from its last checkpoint (after a reload or a crash). */
  | { type: 'resume-run'; runId: string; dataset: TrainDataset; backend: BackendPreference }
  /** Times a few training steps of `config`'s network on the chosen backend (the time-budget estimate). */
  | { type: 'measure'; runId: string; config: TrainConfig; backend: BackendPreference }
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
