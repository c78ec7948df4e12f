// Runs on e2e/backend-agreement/index.html (built and served by e2e/backend-agreement.spec.ts): exposes
// window.backendAgreement, which trains one of the app's nets for a few steps on the CPU backend and on the GPU
// backends at once, each in its own worker, from the same weights and faces, and compares the results here (the
// weights never cross to Node).
import * as tf from '@tensorflow/tfjs';
import {
  compareRuns,
  initialWeights,
  testFaces,
  type AgreementCase,
  type NamedValues,
  type RunComparison,
  type StepsRun,
  type Tolerance,
} from '../../src/core/testing/backend-agreement';
import type { StepsReply, StepsRequest } from './agreement.worker';
import type { GpuLossReply } from './gpu-loss.worker';

export interface AgreementReply {
  comparisons: RunComparison[];
  /** The CPU reference's step times, ms. */
  refStepMs: number[];
  /** GPU backends that did not start here, with the error. */
  unavailable: Record<string, string>;
  /** Errors a WebGPU device raised and nobody caught, by backend (none expected). */
  deviceErrors: Record<string, string[]>;
  /** Wall time of the whole comparison, ms. */
  ms: number;
}

export interface BackendAgreementApi {
  /** What each GPU backend runs on here (adapter / renderer), or why there is none. */
  devices(): Promise<Record<'webgpu' | 'webgl', string>>;
  /**
   * `c` on the CPU backend and on each of `backends` (at once, one worker each), compared. The GPU backends run
   * `gpuSteps` steps in all when that is more than c.steps (a longer memory trace; only c.steps are compared).
   */
  compare(c: AgreementCase, backends: string[], tolerance: Tolerance, gpuSteps?: number): Promise<AgreementReply>;
  /** The training loop on `backend` losing its GPU after epoch 1's checkpoint, in a worker of its own. */
  gpuLoss(backend: 'webgl' | 'webgpu'): Promise<GpuLossReply>;
}

class BackendUnavailable extends Error {}

/**
 * One worker per backend for the whole page: a backend compiles each kernel once, and WebGPU's kernels mostly take
 * their shapes as uniforms, so the nets after the first reuse many of them (SwiftShader compiles slowly).
 */
const workers = new Map<string, Worker>();

const deviceErrors: Record<string, string[]> = {};

/** Runs the steps in the worker of `request.backend`, one request at a time per worker. */
function runInWorker(request: StepsRequest): Promise<StepsRun> {
  let worker = workers.get(request.backend);
  if (!worker) {
    worker = new Worker(new URL('./agreement.worker.ts', import.meta.url), { type: 'module' });
    workers.set(request.backend, worker);
  }
  const target = worker;
  return new Promise((resolve, reject) => {
    target.onmessage = (event: MessageEvent<StepsReply>) => {
      if (event.data.deviceErrors.length > 0) deviceErrors[request.backend] = event.data.deviceErrors;
      if (event.data.ok) resolve(event.data.run);
      else reject(event.data.started ? new Error(`${request.backend}: ${event.data.error}`) : new BackendUnavailable(event.data.error));
    };
    target.onerror = (event) => {
      target.terminate();
      workers.delete(request.backend);
      reject(new Error(`${request.backend} worker: ${event.message}`));
    };
    // The page keeps its copies: each worker gets its own.
    target.postMessage(request);
  });
}

async function inputs(c: AgreementCase): Promise<{ initial: NamedValues[]; faces: ReturnType<typeof testFaces> }> {
  if (tf.getBackend() !== 'cpu' && !(await tf.setBackend('cpu'))) throw new Error('no CPU backend');
  return { initial: await initialWeights(c.arch, c.seed, c.inputSize), faces: testFaces(c.batch * c.steps, c.seed) };
}

const api: BackendAgreementApi = {
  async devices() {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: unknown } | null> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    const info = (adapter?.info ?? {}) as Record<string, unknown>;
    const webgpu = adapter
      ? `${[info.vendor, info.architecture, info.description].filter(Boolean).join(' ')}${info.isFallbackAdapter ? ' (fallback adapter)' : ''}`
      : gpu
        ? 'no adapter'
        : 'no navigator.gpu';
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    const debug = gl?.getExtension('WEBGL_debug_renderer_info');
    const webgl = gl ? String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) : 'no WebGL 2';
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
    return { webgpu, webgl };
  },

  async compare(c, backends, tolerance, gpuSteps = c.steps) {
    const started = performance.now();
    for (const backend of Object.keys(deviceErrors)) delete deviceErrors[backend];
    const { initial, faces } = await inputs(c);
    const runs = await Promise.allSettled(
      ['cpu', ...backends].map((backend) =>
        runInWorker({ backend, c, initial, faces, options: { firstState: true, finalState: true, totalSteps: backend === 'cpu' ? c.steps : gpuSteps } }),
      ),
    );
    if (runs[0].status === 'rejected') throw runs[0].reason;
    // (After every run has settled, so each one's device errors are in.)
    const ref = runs[0].value;
    const reply: AgreementReply = { comparisons: [], refStepMs: ref.stepMs.map(Math.round), unavailable: {}, deviceErrors: { ...deviceErrors }, ms: 0 };
    backends.forEach((backend, i) => {
      const run = runs[i + 1];
      if (run.status === 'fulfilled') reply.comparisons.push(compareRuns(c.arch, ref, run.value, initial, tolerance));
      else if (run.reason instanceof BackendUnavailable) reply.unavailable[backend] = run.reason.message;
      else throw run.reason;
    });
    reply.ms = Math.round(performance.now() - started);
    return reply;
  },

  gpuLoss(backend) {
    const worker = new Worker(new URL('./gpu-loss.worker.ts', import.meta.url), { type: 'module' });
    return new Promise<GpuLossReply>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<GpuLossReply>) => resolve(event.data);
      worker.onerror = (event) => reject(new Error(`${backend} GPU-loss worker: ${event.message}`));
      worker.postMessage({ backend });
    }).finally(() => worker.terminate());
  },
};

(window as unknown as { backendAgreement: BackendAgreementApi }).backendAgreement = api;
