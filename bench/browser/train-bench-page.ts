// Runs on bench/browser/train-bench.html: exposes window.benchTrain(request) to the Node driver, running each
// request in a fresh worker and relaying its log lines to the console.
import type { BenchReply, BenchWindow } from './train-bench-protocol';

(window as unknown as BenchWindow).benchTrain = (request) =>
  new Promise<BenchReply>((resolve) => {
    const worker = new Worker(new URL('./train-bench.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<BenchReply>) => {
      if (event.data.type === 'log') {
        console.log(event.data.text);
        return;
      }
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      resolve({ type: 'error', message: event.message || 'worker error' });
    };
    worker.postMessage(request);
  });
