// Runs on the page: the training worker's client, created lazily outside React so StrictMode's double effects
// neither spawn two workers nor kill a run on remount.
import type { TrainConfig } from '../core/training/train-config';
import type { BackendPreference } from './backend-choice';
import { isFinalTrainEvent, type TrainDataSource, type TrainEvent, type TrainRequest } from './train-protocol';
import { WorkerBridge } from './worker-bridge';
import { listenForTestStall, TEST_HANG_MESSAGE } from './train-test-seam';

/** The typed arrays of a copied training data set, to transfer (they are copies made for the worker). */
function trainTransferables(data: TrainDataSource): ArrayBuffer[] {
  if (data.from === 'storage') return [];
  const { dataset } = data;
  const arrays: ArrayBufferView[] = [dataset.buffers.pixels, dataset.buffers.labels, dataset.buffers.usage, dataset.train, dataset.validation];
  if (dataset.buffers.votes) arrays.push(dataset.buffers.votes);
  if (dataset.soft) arrays.push(dataset.soft.targets, dataset.soft.labels);
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))];
}

class TrainClient {
  private readonly bridge = new WorkerBridge<TrainRequest, TrainEvent>(
    () => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
    // No idle shutdown: the worker keeps the backend and its compiled kernels between runs.
    { what: 'training', isFinal: isFinalTrainEvent },
  );

  subscribe(listener: (event: TrainEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /**
   * Starts a run on a stored data set (by fingerprint) or on copies, which are transferred to the worker.
   * Aborting `signal` stops it as the Stop button does (the best epoch so far is kept).
   */
  start(runId: string, config: TrainConfig, data: TrainDataSource, backend: BackendPreference, signal?: AbortSignal): void {
    this.bridge.send({ type: 'start', runId, config, data, backend }, { transfer: trainTransferables(data), signal, onAbort: () => this.stop(runId) });
  }

  /** Continues an unfinished run from its last checkpoint. */
  resumeRun(runId: string, data: TrainDataSource, backend: BackendPreference, signal?: AbortSignal): void {
    this.bridge.send({ type: 'resume-run', runId, data, backend }, { transfer: trainTransferables(data), signal, onAbort: () => this.stop(runId) });
  }

  /** Times a few training steps of the config's network (answered by a 'measured' or 'error' event). */
  measure(runId: string, config: TrainConfig, backend: BackendPreference, classes: number, signal?: AbortSignal): void {
    this.bridge.send({ type: 'measure', runId, config, backend, classes }, { signal, onAbort: () => this.stop(runId) });
  }

  pause(runId: string): void {
    this.bridge.post({ type: 'pause', runId });
  }

  play(runId: string): void {
    this.bridge.post({ type: 'play', runId });
  }

  stop(runId: string): void {
    this.bridge.post({ type: 'stop', runId });
  }

  /**
   * Ends the worker at once, for a run that no longer answers (Stop waits for the current batch): the run ends
   * with an 'error' event carrying `message`. Its stored checkpoint stays, and a new worker starts on the next request.
   */
  endWorker(message: string): void {
    this.bridge.terminate((runId) => ({ type: 'error', runId, message }));
  }

  /** Test seam (see train-test-seam.ts): the worker blocks at its next batch. */
  postTestHang(): void {
    this.bridge.post(TEST_HANG_MESSAGE as unknown as TrainRequest);
  }
}

export const trainClient = new TrainClient();
listenForTestStall(() => trainClient.postTestHang());
