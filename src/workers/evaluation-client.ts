// Runs on the page: the evaluation worker's client, created lazily outside React (one worker for the app).
import type { BackendPreference } from './backend-choice';
import { isFinalEvaluationEvent, type EvaluationData, type EvaluationEvent, type EvaluationRequest } from './evaluation-protocol';
import { WorkerBridge } from './worker-bridge';

/** Evaluations and imports are occasional; the worker starts again in about a second. */
const IDLE_MS = 120_000;

class EvaluationClient {
  private readonly bridge = new WorkerBridge<EvaluationRequest, EvaluationEvent>(
    () => new Worker(new URL('./evaluation.worker.ts', import.meta.url), { type: 'module', name: 'evaluation' }),
    { what: 'evaluation and import', isFinal: isFinalEvaluationEvent, idleMs: IDLE_MS },
  );

  subscribe(listener: (event: EvaluationEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /**
   * Evaluates a saved model; `data` must hold copies, which are transferred. A run already going is stopped.
   * Aborting `signal` cancels it after its current batch.
   */
  evaluate(runId: string, modelId: string, data: EvaluationData, tta: { mirror: boolean; tenCrop: boolean }, backend: BackendPreference = 'auto', signal?: AbortSignal): void {
    const transfer = [...new Set([data.pixels.buffer, data.labels.buffer])] as ArrayBuffer[];
    this.bridge.send({ type: 'evaluate', runId, modelId, data, tta: tta.mirror, tenCrop: tta.tenCrop, backend }, { transfer, signal, onAbort: () => this.cancel(runId) });
  }

  /** Stops an evaluation after its current batch (the worker answers 'cancelled'). */
  cancel(runId: string): void {
    this.bridge.post({ type: 'cancel', runId });
  }

  /** Checks and saves exported model files (File objects are cloned, not read on the page). */
  importFiles(runId: string, files: File[]): void {
    this.bridge.send({ type: 'import', runId, files: files.map((file) => ({ name: file.name, data: file })) });
  }
}

export const evaluationClient = new EvaluationClient();
