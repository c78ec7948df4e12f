// Runs in a worker: chooses and initialises the tfjs backend (WebGPU -> WebGL -> WASM -> CPU), saying why.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { claimWasmThreads } from '../core/model/tfjs-internals';
import { registerWasmTrainingKernels, startWasmTrainingThreads } from '../core/model/wasm/register';
import { chooseBackend, type BackendInfo, type BackendName, type BackendPreference, type Probe } from './backend-choice';

// IMPORTANT: import this module only in workers: it changes navigator.hardwareConcurrency and registers
// kernels at load. Types and the list of backends come from backend-choice.ts.
import './wasm-paths';

/** Threads for the WASM backend: every core, up to 4. */
const WASM_THREADS = Math.max(1, Math.min(4, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1));
// IMPORTANT: before the backend starts (see claimWasmThreads).
if (typeof navigator !== 'undefined') claimWasmThreads(WASM_THREADS, setThreadsCount, navigator);
// tfjs-backend-wasm 4.22 cannot train conv nets by itself (no Conv2DBackpropFilter), and several of its
// kernels are slow: ours (src/core/model/wasm) replace them while 'wasm' is the backend.
registerWasmTrainingKernels();

/** Threads our SIMD kernels got (set when the WASM backend starts). */
let kernelThreads = 1;

/** Hooks run once a backend is set, before it is used. */
const afterInit: Partial<Record<BackendName, () => Promise<void>>> = {
  // Our kernels' threads join only while this thread's event loop is free: start them before training.
  wasm: async () => {
    kernelThreads = await startWasmTrainingThreads();
  },
};

/** Looks at what the machine offers before committing to a backend. */
async function probe(backend: BackendName, auto: boolean): Promise<Probe> {
  switch (backend) {
    case 'webgpu': {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean } } | null> } }).gpu;
      if (!gpu) return { skipReason: 'this browser has no WebGPU', device: '' };
      const adapter = await gpu.requestAdapter();
      if (!adapter) return { skipReason: 'no WebGPU adapter (GPU blocked or absent)', device: '' };
      const info = adapter.info ?? {};
      const device = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
      if (auto && info.isFallbackAdapter) return { skipReason: `only a software WebGPU adapter (${device}), slower than WASM`, device };
      return { skipReason: null, device };
    }
    case 'webgl': {
      if (typeof OffscreenCanvas === 'undefined') return { skipReason: 'no OffscreenCanvas in workers here', device: '' };
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      if (!gl) return { skipReason: 'no WebGL 2', device: '' };
      const debug = gl.getExtension('WEBGL_debug_renderer_info');
      const device = String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      if (auto && /swiftshader|llvmpipe|software/i.test(device)) return { skipReason: `only a software renderer (${device}), slower than WASM`, device };
      return { skipReason: null, device };
    }
    case 'wasm':
      return { skipReason: null, device: '' };
    case 'cpu':
      return { skipReason: null, device: 'plain JavaScript' };
    default:
      backend satisfies never;
      return { skipReason: 'unknown backend', device: '' };
  }
}

function describeWasm(): string {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const threads = getThreadsCount();
  return `WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'} for XNNPACK and ${kernelThreads} for our training kernels` +
    (isolated ? '' : ' (the page is not cross-origin isolated, so no threads)');
}

/**
 * Sets the first backend that initialises and passes `smokeTest` (e.g. one training step), in the order
 * WebGPU, WebGL, WASM, CPU (or the preferred one first). In auto mode software GPU renderers are skipped:
 * on such machines WASM trains faster.
 */
export function selectBackend(preference: BackendPreference, smokeTest: () => Promise<void>): Promise<BackendInfo> {
  return chooseBackend(preference, smokeTest, {
    probe,
    start: async (backend) => {
      if (!(await tf.setBackend(backend))) throw new Error('it did not initialise');
      await tf.ready();
      await afterInit[backend]?.();
    },
    describe: (backend, probed) => (backend === 'wasm' ? describeWasm() : probed),
  });
}
