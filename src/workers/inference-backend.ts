// Runs in a worker or on the page: readies tfjs for inference with the same picker as training (backend-choice),
// in inference's own order: WASM first (its .wasm files are served by the app through Vite `?url` imports),
// then WebGL, then plain JS.
import { disableWasmThreads } from '../wasm-training/tfjs-wasm-internals';
import { BACKENDS, chooseBackend, type BackendInfo, type BackendName } from './backend-choice';
import { describeWasm, probeBackend, startBackend } from './backend-probes';
import './wasm-paths';

// One WASM thread: the compact net and the detector run a webcam frame in ~25 ms on one, and the training
// worker, which may run at the same time, keeps the other core.
disableWasmThreads();

/**
 * WASM (XNNPACK) beat WebGL on SwiftShader by far in headless Chromium here; on a laptop with a GPU, WebGL may be
 * faster for big models, but the compact net is small enough that upload/readback latency dominates.
 */
const INFERENCE_ORDER: BackendName[] = ['wasm', 'webgl', 'cpu'];

/** Sets the first backend that starts; `preferred` (e.g. from a ?backend= URL parameter) is tried first. */
export function initInferenceBackend(preferred?: string): Promise<BackendInfo> {
  const preference = BACKENDS.find((name) => name === preferred) ?? 'auto';
  return chooseBackend(preference, async () => undefined, { probe: probeBackend, start: startBackend, describe: (backend, probed) => (backend === 'wasm' ? describeWasm() : probed) }, INFERENCE_ORDER);
}
