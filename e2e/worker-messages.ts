// Playwright helper: what the app's workers tell the page, seen from the page, with no clock assertion needed.
import type { Page } from '@playwright/test';

/** One message from a worker: its type, when it arrived (performance.now()) and, for training batches, the step. */
export interface WorkerMessage {
  type: string;
  timeMs: number;
  metrics?: { epoch: number; batch: number; batchesPerEpoch: number };
}

declare global {
  interface Window {
    /** Filled by recordWorkerMessages' init script. */
    __workerMessages?: WorkerMessage[];
  }
}

/**
 * From the next page load on, records in `window.__workerMessages` each message of the given types that any
 * worker of the page sends. The page's Worker is wrapped to add this listener once the code that created the
 * worker has set its own (a microtask later, before any message can arrive): its time is taken just after the
 * app's listener has run, in the same task.
 */
export async function recordWorkerMessages(page: Page, types: string[]): Promise<void> {
  await page.addInitScript((wanted) => {
    const log: WorkerMessage[] = [];
    window.__workerMessages = log;
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        const record = (event: MessageEvent<{ type?: string; metrics?: WorkerMessage['metrics'] }>) => {
          const type = event.data?.type;
          if (type === undefined || !wanted.includes(type)) return;
          const metrics = event.data.metrics;
          log.push({
            type,
            timeMs: performance.now(),
            ...(metrics ? { metrics: { epoch: metrics.epoch, batch: metrics.batch, batchesPerEpoch: metrics.batchesPerEpoch } } : {}),
          });
        };
        queueMicrotask(() => this.addEventListener('message', record));
      }
    };
  }, types);
}
