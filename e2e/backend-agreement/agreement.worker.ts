// Runs in a worker of e2e/backend-agreement/index.html, one per backend (as the app trains in a worker, WebGL on
// an OffscreenCanvas): the steps of one case on one tfjs backend, from the weights and faces the page sends.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { runSteps, type AgreementCase, type NamedValues, type StepsRun } from '../../src/core/testing/backend-agreement';

export interface StepsRequest {
  backend: string;
  c: AgreementCase;
  initial: NamedValues[];
  faces: { pixels: Float32Array; labels: Int32Array };
  options: { firstState: boolean; finalState: boolean };
}

export type StepsReply = { ok: true; run: StepsRun } | { ok: false; error: string; started: boolean };

self.onmessage = async (event: MessageEvent<StepsRequest>) => {
  const { backend, c, initial, faces, options } = event.data;
  let started = false;
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    await tf.ready();
    started = true;
    const run = await runSteps(c, initial, faces, options);
    const buffers = [...run.weights, ...run.optimizer, ...run.firstOptimizer].map((w) => w.values.buffer as ArrayBuffer);
    (self as unknown as Worker).postMessage({ ok: true, run } satisfies StepsReply, buffers);
  } catch (error) {
    (self as unknown as Worker).postMessage({ ok: false, error: error instanceof Error ? error.message : String(error), started } satisfies StepsReply);
  }
};
