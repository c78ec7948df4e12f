// Runs in a worker of e2e/backend-agreement/index.html, one per backend (as the app trains in a worker, WebGL on
// an OffscreenCanvas): the steps of each case the page sends on that tfjs backend, from the weights and faces it
// sends. Everything but the backend (and its compiled kernels) is freed after each case.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { runSteps, type AgreementCase, type NamedValues, type StepsRun } from '../../src/core/testing/backend-agreement';

export interface StepsRequest {
  backend: string;
  c: AgreementCase;
  initial: NamedValues[];
  faces: { pixels: Float32Array; labels: Int32Array };
  options: Parameters<typeof runSteps>[3];
}

export type StepsReply = { ok: true; run: StepsRun } | { ok: false; error: string; started: boolean };

self.onmessage = async (event: MessageEvent<StepsRequest>) => {
  const { backend, c, initial, faces, options } = event.data;
  let started = false;
  try {
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    await tf.ready();
    started = true;
    const run = await runSteps(c, initial, faces, options);
    const buffers = [...run.weights, ...run.optimizer, ...run.firstOptimizer].map((w) => w.values.buffer as ArrayBuffer);
    (self as unknown as Worker).postMessage({ ok: true, run } satisfies StepsReply, buffers);
  } catch (error) {
    (self as unknown as Worker).postMessage({ ok: false, error: error instanceof Error ? error.message : String(error), started } satisfies StepsReply);
  }
};
