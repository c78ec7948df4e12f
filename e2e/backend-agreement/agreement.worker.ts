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

/** deviceErrors: WebGPU errors nobody caught (validation, out of memory) while the case ran. */
export type StepsReply = { ok: true; run: StepsRun; deviceErrors: string[] } | { ok: false; error: string; started: boolean; deviceErrors: string[] };

/** The WebGPU device's uncaught errors since the last reply (the device is tfjs' own, made when the backend starts). */
let deviceErrors: string[] = [];
let listening = false;

function listenForDeviceErrors(): void {
  if (listening || tf.getBackend() !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device: EventTarget }).device;
  device.addEventListener('uncapturederror', (event) => deviceErrors.push((event as Event & { error: { message: string } }).error.message));
  listening = true;
}

function takeDeviceErrors(): string[] {
  const errors = deviceErrors;
  deviceErrors = [];
  return errors;
}

self.onmessage = async (event: MessageEvent<StepsRequest>) => {
  const { backend, c, initial, faces, options } = event.data;
  let started = false;
  try {
    if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    await tf.ready();
    started = true;
    listenForDeviceErrors();
    const run = await runSteps(c, initial, faces, options);
    const buffers = [...run.weights, ...run.optimizer, ...run.firstOptimizer].map((w) => w.values.buffer as ArrayBuffer);
    (self as unknown as Worker).postMessage({ ok: true, run, deviceErrors: takeDeviceErrors() } satisfies StepsReply, buffers);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    (self as unknown as Worker).postMessage({ ok: false, error: message, started, deviceErrors: takeDeviceErrors() } satisfies StepsReply);
  }
};
