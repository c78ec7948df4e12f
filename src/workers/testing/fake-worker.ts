// Test helper (unit tests only): a stand-in Worker that records what it is sent and lets a test answer or crash.
export class FakeWorker {
  static created: FakeWorker[] = [];
  sent: { message: unknown; transfer: Transferable[] }[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;

  constructor() {
    FakeWorker.created.push(this);
  }

  postMessage(message: unknown, transfer: Transferable[] = []) {
    this.sent.push({ message, transfer });
  }

  terminate() {
    this.terminated = true;
  }

  /** The worker posts `event` to the page. */
  answer(event: unknown) {
    this.onmessage?.({ data: event } as MessageEvent);
  }

  /** An uncaught error in the worker. */
  crash(message: string) {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}
