// Training worker entry: trains models off the main thread so the page never freezes.
import { selectBackend } from './backends';
import type { TrainEvent, TrainRequest } from './train-protocol';
import { createTrainHandler } from './train-handler';
import { TEST_HANG_MESSAGE } from './train-test-seam';

/**
 * Test seam, in the end-to-end tests' build only: after TEST_HANG_MESSAGE the thread blocks for good when it is
 * about to report its next batch, as a training thread stuck in a native wait would (e2e/training-stall.spec.ts).
 */
let hangAtNextBatch = false;

const handle = createTrainHandler(
  (event: TrainEvent, transfer: Transferable[] = []) => {
    if (hangAtNextBatch && event.type === 'batch') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    self.postMessage(event, { transfer });
  },
  { selectBackend },
);
self.onmessage = (e: MessageEvent<TrainRequest | typeof TEST_HANG_MESSAGE>) => {
  if (e.data === TEST_HANG_MESSAGE) {
    if (import.meta.env.MODE === 'e2e') hangAtNextBatch = true;
    return;
  }
  void handle(e.data);
};
