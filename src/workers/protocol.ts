// Message types for every worker, both directions. Types and constants only: both sides use `import type`.
import type { ParseProgress } from '../core/csv/parse-fer-blob';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import type { DemoOptions } from '../core/demo/synthetic-faces';

/** Sends an event from a worker, transferring the listed buffers. */
export type Post<E> = (event: E, transfer?: Transferable[]) => void;

// ---- dataset worker: parses a CSV file or generates the demo set ----

export type DatasetRequest =
  | { type: 'parse'; runId: string; file: Blob; name: string }
  | { type: 'demo'; runId: string; options: DemoOptions };

export type DatasetStage = 'reading' | 'generating' | 'standardising';

export type DatasetEvent =
  | { type: 'progress'; runId: string; stage: DatasetStage; progress: ParseProgress; elapsedMs: number }
  /** dataset's typed arrays are transferred. */
  | { type: 'loaded'; runId: string; dataset: LoadedDataset }
  /** Sent by the client when it stops a run (the worker is terminated, so it cannot say so itself). */
  | { type: 'cancelled'; runId: string }
  | { type: 'error'; runId: string | null; message: string };

