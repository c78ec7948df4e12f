// Training worker entry: trains models off the main thread so the page never freezes.
import { registerWasmTrainingKernels } from '../core/model/wasm/register';
import { selectBackend } from './backends';
import type { TrainRequest } from './protocol';
import { createTrainHandler } from './train-handler';

// tfjs-backend-wasm 4.22 cannot train conv nets on its own (no Conv2DBackpropFilter): add our kernels.
registerWasmTrainingKernels();

const handle = createTrainHandler((event, transfer = []) => self.postMessage(event, { transfer }), { selectBackend });
self.onmessage = (e: MessageEvent<TrainRequest>) => void handle(e.data);
