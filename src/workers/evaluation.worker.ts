// Evaluation worker entry: evaluates saved models and imports model files off the main thread.
import { selectBackend } from './backends';
import { createEvaluationHandler } from './evaluation-handler';
import type { EvaluationRequest } from './evaluation-protocol';

const handle = createEvaluationHandler((event, transfer = []) => self.postMessage(event, { transfer }), { selectBackend });
self.onmessage = (e: MessageEvent<EvaluationRequest>) => void handle(e.data);
