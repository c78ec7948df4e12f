// Runs on the page: owns one Worker's lifetime, typed send/subscribe, and cancel-by-terminate.
import { errorMessage } from '../core/errors';

type RunEvent = { type: string; runId: string | null };
type WorkerError = { type: 'error'; runId: string | null; message: string };

/** Events after which a run is over. */
const FINAL_EVENTS = new Set(['loaded', 'empty', 'cancelled', 'error', 'done', 'measured']);

/**
 * A lazily created worker. Worker-level failures (a script that fails to load, a message that cannot be
 * deserialised) become `{ type: 'error' }` events like any other, so the UI has one path for errors.
 */
export class WorkerBridge<Request extends { runId: string }, Event extends RunEvent> {
  private worker: Worker | null = null;
  private readonly listeners = new Set<(event: Event | WorkerError) => void>();
  private currentRun: string | null = null;
  private readonly createWorker: () => Worker;
  /** What the worker does, for messages ("evaluation and import"). */
  private readonly what: string;

  constructor(createWorker: () => Worker, what = 'background') {
    this.createWorker = createWorker;
    this.what = what;
  }

  /** The run the worker is busy with, if any. */
  get activeRun(): string | null {
    return this.currentRun;
  }

  subscribe(listener: (event: Event | WorkerError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a run in the worker (it becomes the active run). */
  send(request: Request, transfer: Transferable[] = []): void {
    this.currentRun = request.runId;
    this.ensureWorker().postMessage(request, transfer);
  }

  /** Sends a control message about a run already going (pause, stop…). */
  post(request: Request): void {
    this.worker?.postMessage(request);
  }

  warmUp(): void {
    this.ensureWorker();
  }

  /** Stops the worker at once (it is recreated on the next send) and reports the run as cancelled. */
  terminate(cancelledEvent?: Event): void {
    this.worker?.terminate();
    this.worker = null;
    this.currentRun = null;
    if (cancelledEvent) {
      this.emit(cancelledEvent);
      this.ensureWorker(); // a fresh one, ready for the next request
    }
  }

  emit(event: Event | WorkerError): void {
    if (FINAL_EVENTS.has(event.type) && event.runId === this.currentRun) this.currentRun = null;
    for (const listener of this.listeners) listener(event);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (e: MessageEvent<Event>) => this.emit(e.data);
    const fail = (message: string) => {
      console.error(message);
      this.emit({ type: 'error', runId: this.currentRun, message });
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      // A worker whose script never loaded fires a plain Event, without a message: the page loads each
      // worker's code on first use, so with the network off that is where it shows.
      fail(
        e.message
          ? `the ${this.what} worker crashed: ${e.message}`
          : `the ${this.what} worker's code could not be loaded (the network seems to be off, or the site changed since this page was opened). Reconnect and reload the page, then try again`,
      );
      this.terminate();
    };
    worker.onmessageerror = (e: MessageEvent) => fail(`a worker message could not be read: ${errorMessage(e.data)}`);
    this.worker = worker;
    return worker;
  }
}
