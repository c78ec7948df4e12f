// Runs on the page: the app's worker clients, created lazily outside React so StrictMode's double effects
// neither spawn two workers nor kill a run on remount.
import type { DemoOptions } from '../core/demo/synthetic-faces';
import type { TrainConfig } from '../core/model/train-config';
import type { BackendPreference } from './backend-choice';
import type { DatasetEvent, DatasetRequest, FolderFile, TrainDataset, TrainEvent, TrainRequest } from './protocol';
import { WorkerBridge } from './worker-bridge';

export function newRunId(): string {
  return crypto.randomUUID();
}

class DatasetClient {
  private readonly bridge = new WorkerBridge<DatasetRequest, DatasetEvent>(
    () => new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' }),
    'data loading',
  );

  subscribe(listener: (event: DatasetEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /**
   * Parses a file (a CSV, plain or packed, or a ZIP of image folders); a run already going is cancelled first
   * (the newest request wins). skipFolders: class folders to leave out.
   */
  parseFile(file: File, runId = newRunId(), skipFolders: string[] = []): void {
    this.start({ type: 'parse', runId, file, name: file.name, skipFolders });
  }

  /** Loads a dragged or picked folder of images in class folders. */
  parseFolder(name: string, files: FolderFile[], runId = newRunId(), skipFolders: string[] = []): void {
    this.start({ type: 'folder', runId, files, name, skipFolders });
  }

  generateDemo(options: DemoOptions, runId = newRunId()): void {
    this.start({ type: 'demo', runId, options });
  }

  /** Asks for the data set kept from the last visit ('loaded', or 'empty' when there is none). */
  restore(runId = newRunId()): void {
    this.start({ type: 'restore', runId });
  }

  /** Starts the worker ahead of the first request, so a drop does not wait for it to load. */
  warmUp(): void {
    this.bridge.warmUp();
  }

  /** True while a parse, demo or restore is running. */
  get busy(): boolean {
    return this.bridge.activeRun !== null;
  }

  cancel(): void {
    const runId = this.bridge.activeRun;
    if (runId) this.bridge.terminate({ type: 'cancelled', runId });
  }

  private start(request: DatasetRequest): void {
    this.cancel();
    this.bridge.send(request);
  }
}

export const datasetClient = new DatasetClient();

/** The typed arrays of a training data set, to transfer (they are copies made for the worker). */
function trainTransferables(dataset: TrainDataset): ArrayBuffer[] {
  const arrays = [dataset.buffers.pixels, dataset.buffers.labels, dataset.buffers.usage, dataset.train, dataset.validation];
  return [...new Set(arrays.map((array) => array.buffer as ArrayBuffer))];
}

class TrainClient {
  private readonly bridge = new WorkerBridge<TrainRequest, TrainEvent>(
    () => new Worker(new URL('./train.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
    'training',
  );

  subscribe(listener: (event: TrainEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /** Starts a run; `dataset` must hold copies, which are transferred to the worker. */
  start(runId: string, config: TrainConfig, dataset: TrainDataset, backend: BackendPreference): void {
    this.bridge.send({ type: 'start', runId, config, dataset, backend }, trainTransferables(dataset));
  }

  /** Continues an unfinished run from its last checkpoint. */
  resumeRun(runId: string, dataset: TrainDataset, backend: BackendPreference): void {
    this.bridge.send({ type: 'resume-run', runId, dataset, backend }, trainTransferables(dataset));
  }

  /** Times a few training steps of the config's network (answered by a 'measured' or 'error' event). */
  measure(runId: string, config: TrainConfig, backend: BackendPreference): void {
    this.bridge.send({ type: 'measure', runId, config, backend });
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
}

export const trainClient = new TrainClient();
