// Runs in a dedicated worker of bench/browser/train-bench.html: initialises one tfjs backend and measures one
// architecture on it (bench/browser/train-measure.ts). A fresh worker per run, so no state carries over.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { useWinograd } from '../../src/wasm-training/conv2d-simd';
import { kernelsBuild, useRelaxedSimd } from '../../src/wasm-training/simd-module';
import { registerWasmTrainingKernels, startWasmTrainingThreads } from '../../src/wasm-training/register';
import type { BenchReply, BenchRequest } from './train-bench-protocol';
import { measureArchitecture } from './train-measure';

const post = (reply: BenchReply) => self.postMessage(reply);

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
});

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

async function describeDevice(request: BenchRequest): Promise<string> {
  switch (request.backend) {
    case 'wasm':
      return `${getThreadsCount()} thread(s), crossOriginIsolated=${self.crossOriginIsolated}, hardwareConcurrency=${navigator.hardwareConcurrency}`;
    case 'webgl': {
      const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
      const debug = gl?.getExtension('WEBGL_debug_renderer_info');
      return gl ? String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) : 'no WebGL 2';
    }
    case 'webgpu': {
      const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
      const info: NonNullable<AdapterLike['info']> = (await gpu?.requestAdapter())?.info ?? {};
      return [info.vendor, info.architecture, info.description, info.isFallbackAdapter ? '(fallback adapter)' : ''].filter(Boolean).join(' ');
    }
    default:
      return 'JavaScript';
  }
}

self.onmessage = async (event: MessageEvent<BenchRequest>) => {
  const request = event.data;
  try {
    if (request.backend === 'wasm') {
      if (request.wasmThreads) {
        // IMPORTANT: tfjs-wasm sizes XNNPACK's thread pool as min(setThreadsCount, hardwareConcurrency / 2),
        // read when the module starts, so a 2-core machine gets 1 thread. Claiming twice the wanted threads
        // before setBackend lifts that cap (the pool has 8 workers ready).
        Object.defineProperty(navigator, 'hardwareConcurrency', { value: request.wasmThreads * 2, configurable: true });
        setThreadsCount(request.wasmThreads);
      }
      registerWasmTrainingKernels();
      useWinograd(request.winograd ?? true);
      useRelaxedSimd(request.relaxedSimd ?? true);
    }
    if (!(await tf.setBackend(request.backend))) throw new Error(`tf.setBackend('${request.backend}') failed`);
    await tf.ready();
    const kernelThreads = request.backend === 'wasm' ? await startWasmTrainingThreads() : 0;
    const device = `${await describeDevice(request)}${kernelThreads ? `, our SIMD kernels (${kernelsBuild()} build) on ${kernelThreads} thread(s)` : ''}`;
    post({ type: 'log', text: `${request.backend} ready: ${device}` });
    const record = await measureArchitecture(request.options);
    post({ type: 'result', record, device });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err) });
  }
};
