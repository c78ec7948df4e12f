// Runs on the page: the app's worker clients, created lazily outside React so StrictMode's double effects
// neither spawn two workers nor kill a run on remount.
import type { DemoOptions } from '../core/demo/synthetic-faces';
import type { DatasetEvent, DatasetRequest } from './protocol';
import { WorkerBridge } from './worker-bridge';

export function newRunId(): string {
  return crypto.randomUUID();
}

class DatasetClient {
  private readonly bridge = new WorkerBridge<DatasetRequest, DatasetEvent>(
    () => new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' }),
  );

  subscribe(listener: (event: DatasetEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /** Parses a file; a run already going is cancelled first (the newest request wins). */
  parseFile(file: File, runId = newRunId()): void {
    this.start({ type: 'parse', runId, file, name: file.name });
  }

  generateDemo(options: DemoOptions, runId = newRunId()): void {
    this.start({ type: 'demo', runId, options });
  }

  /** Starts the worker ahead of the first request, so a drop does not wait for it to load. */
  warmUp(): void {
    this.bridge.warmUp();
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
