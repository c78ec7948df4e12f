// Runs in workers: what each tfjs backend needs on this machine (probes), starting one, and how a started
// WASM backend is described. Shared by the training/evaluation picker (backends.ts) and the inference worker
// (inference-backend.ts); no side effects at load.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendName, Probe } from './backend-choice';

/** Looks at what the machine offers before committing to a backend. */
export async function probeBackend(backend: BackendName, auto: boolean): Promise<Probe> {
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

/** Makes `backend` the active one; throws when it does not start. */
export async function startBackend(backend: BackendName): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error('it did not initialise');
  await tf.ready();
}

/**
 * The device line of a started WASM backend: SIMD, its threads, and our training kernels when they run (their
 * threads, and whether they run the fused multiply-add build).
 */
export function describeWasm(kernels: { threads: number; fusedMultiplyAdd: boolean } | null = null): string {
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  const threads = getThreadsCount();
  return (
    `WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'}${kernels === null ? '' : ` for XNNPACK and ${kernels.threads} for our training kernels${kernels.fusedMultiplyAdd ? ' (fused multiply-add)' : ''}`}` +
    (isolated || threads > 1 ? '' : ' (the page is not cross-origin isolated, so no threads)')
  );
}
