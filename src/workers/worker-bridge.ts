// Runs on the page: owns one Worker's lifetime (lazy start, crash, cancel, idle shutdown) and its typed
// messages, the same way for every worker of the app.
import { errorMessage } from '../core/errors';
import type { RunMessage } from './worker-messages';

/** A fresh id for a run (every request and event carries its run's id). */
export function newRunId(): string {
  return crypto.randomUUID();
}

type WorkerError = { type: 'error'; runId: string | null; message: string };

export interface WorkerBridgeOptions<Event> {
  /** What the worker does, for messages ("evaluation and import"). */
  what: string;
  /** Whether a run is over after this event (each protocol's exhaustive isFinal…Event). */
  isFinal: (event: Event) => boolean;
  /** Shut the worker down after this long with no run going (for workers that are cheap to start again). */
  idleMs?: number;
  /**
   * Work the worker goes on doing for a run after its final event (writing a data set to storage): 'starts' and
   * 'ends' bracket it, and the worker is not shut down for idleness in between.
   */
  backgroundWork?: (event: Event) => 'starts' | 'ends' | null;
}

export interface SendOptions {
  transfer?: Transferable[];
  /** Aborting calls onAbort (the client's way to stop the run: a message, or terminate). */
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A lazily created worker. Every run sent is pending until an event the protocol calls final arrives for its
 * runId; a crash (a script that fails to load, an uncaught error, a message that cannot be read) ends every
 * pending run with an `{ type: 'error' }` event of its own, so the UI has one path for errors and each run
 * hears about its own end.
 */
export class WorkerBridge<Request extends { runId: string }, Event extends RunMessage> {
  private worker: Worker | null = null;
  private readonly listeners = new Set<(event: Event | WorkerError) => void>();
  /** Runs sent and not yet over, oldest first. */
  private readonly pending = new Set<string>();
  /** Removes a pending run's abort listener (so a long-lived signal does not keep every run it ever started). */
  private readonly unlisten = new Map<string, () => void>();
  /** Runs that are over but whose background work (see backgroundWork) goes on. */
  private readonly background = new Set<string>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly createWorker: () => Worker;
  private readonly options: WorkerBridgeOptions<Event>;

  constructor(createWorker: () => Worker, options: WorkerBridgeOptions<Event>) {
    this.createWorker = createWorker;
    this.options = options;
  }

  /** The newest run not yet over, if any. */
  get activeRun(): string | null {
    let last: string | null = null;
    for (const runId of this.pending) last = runId;
    return last;
  }

  /** True while a worker exists (started and not shut down). */
  get running(): boolean {
    return this.worker !== null;
  }

  subscribe(listener: (event: Event | WorkerError) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts a run in the worker. */
  send(request: Request, { transfer = [], signal, onAbort }: SendOptions = {}): void {
    if (signal?.aborted) return;
    this.pending.add(request.runId);
    this.cancelIdleTimer();
    this.ensureWorker().postMessage(request, transfer);
    if (signal && onAbort) {
      const abort = () => {
        if (this.pending.has(request.runId)) onAbort();
      };
      signal.addEventListener('abort', abort, { once: true });
      this.unlisten.set(request.runId, () => signal.removeEventListener('abort', abort));
    }
  }

  /**
   * Stops waiting for a run the worker cannot stop (a photo being analysed): it is no longer pending, and what
   * the worker still sends for it reaches listeners that have stopped listening for it.
   */
  abandon(runId: string): void {
    if (this.end(runId)) this.startIdleTimer();
  }

  /** Forgets a run; false when it was not pending. */
  private end(runId: string): boolean {
    this.unlisten.get(runId)?.();
    this.unlisten.delete(runId);
    return this.pending.delete(runId);
  }

  /** Sends a control message about a run already going (pause, stop…). */
  post(request: Request): void {
    this.worker?.postMessage(request);
  }

  /** Starts the worker ahead of the first request, so it does not wait for the worker's code to load. */
  warmUp(): void {
    this.ensureWorker();
    if (this.idleTimer === null) this.startIdleTimer();
  }

  /**
   * Stops the worker at once (it is recreated on the next send). Pending runs end with `ended(runId)`, e.g.
   * a 'cancelled' event, or silently when it is omitted.
   */
  terminate(ended?: (runId: string) => Event): void {
    this.cancelIdleTimer();
    this.worker?.terminate();
    this.worker = null;
    this.background.clear();
    const runs = [...this.pending];
    for (const runId of runs) this.end(runId);
    if (ended) for (const runId of runs) this.emit(ended(runId));
  }

  emit(event: Event | WorkerError): void {
    const work = event.type === 'error' || event.runId === null ? null : this.options.backgroundWork?.(event as Event);
    if (work === 'starts') this.background.add(event.runId!);
    if (work === 'ends' && this.background.delete(event.runId!)) this.startIdleTimer();
    if (event.runId !== null && this.pending.has(event.runId) && (event.type === 'error' || this.options.isFinal(event as Event))) {
      this.end(event.runId);
      this.startIdleTimer();
    }
    for (const listener of this.listeners) listener(event);
  }

  /** Starts the countdown to shutting an idle worker down (none while a run or background work goes on). */
  private startIdleTimer(): void {
    const { idleMs } = this.options;
    if (idleMs === undefined || this.worker === null || !this.idle) return;
    this.cancelIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.idle) this.terminate();
    }, idleMs);
  }

  private get idle(): boolean {
    return this.pending.size === 0 && this.background.size === 0;
  }

  private cancelIdleTimer(): void {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    worker.onmessage = (e: MessageEvent<Event>) => this.emit(e.data);
    /** Ends every pending run with the message (or reports it against no run when none is going). */
    const fail = (message: string) => {
      console.error(message);
      const runs = [...this.pending];
      if (runs.length === 0) this.emit({ type: 'error', runId: null, message });
      for (const runId of runs) this.emit({ type: 'error', runId, message });
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      // A worker whose script never loaded fires a plain Event, without a message: the page loads each
      // worker's code on first use, so with the network off that is where it shows.
      fail(
        e.message
          ? `the ${this.options.what} worker crashed: ${e.message}`
          : `the ${this.options.what} worker's code could not be loaded (the network seems to be off, or the site changed since this page was opened). Reconnect and reload the page, then try again`,
      );
      this.terminate();
    };
    worker.onmessageerror = (e: MessageEvent) => fail(`a worker message could not be read: ${errorMessage(e.data)}`);
    this.worker = worker;
    return worker;
  }
}
