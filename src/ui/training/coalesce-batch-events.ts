// Page-side: training 'batch' events arrive several times a second; each one re-rendered the Train screen and
// painted it, and on a 2-core machine that drawing took CPU from the training threads (measured in the tab:
// the page's main thread busy 14 % of the time). Held back and released together every interval, they make
// one render (React batches the dispatches of one task). Pure; no DOM.

export interface EventCoalescer<E> {
  /** Takes an event: a 'batch' event waits for the next release; any other releases the held ones, then itself. */
  push(event: E): void;
  /** Releases what is held and stops the timer (unsubscribing). */
  dispose(): void;
}

export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const browserTimers: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Delivers events in their order, 'batch' events at most once per `intervalMs` (in one call), others at once. */
export function coalesceBatchEvents<E extends { type: string }>(deliver: (events: E[]) => void, intervalMs: number, timers: Timers = browserTimers): EventCoalescer<E> {
  let held: E[] = [];
  let timer: unknown = null;
  const release = () => {
    if (timer !== null) timers.clear(timer);
    timer = null;
    if (held.length === 0) return;
    const events = held;
    held = [];
    deliver(events);
  };
  return {
    push(event) {
      if (event.type !== 'batch') {
        release();
        deliver([event]);
        return;
      }
      held.push(event);
      if (timer === null) timer = timers.set(release, intervalMs);
    },
    dispose: release,
  };
}
