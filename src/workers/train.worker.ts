// Training worker entry: trains models off the main thread so the page never freezes.
import { selectBackend } from './backends';
import type { TrainRequest } from './train-protocol';
import { createTrainHandler } from './train-handler';

const handle = createTrainHandler((event, transfer = []) => self.postMessage(event, { transfer }), { selectBackend });
self.onmessage = (e: MessageEvent<TrainRequest>) => void handle(e.data);
