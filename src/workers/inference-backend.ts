// Runs in a worker or on the page: readies tfjs for inference, the WASM backend first (its .wasm files are
// served by the app through Vite `?url` imports), then WebGL, then plain JS.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo } from './inference-protocol';
import { disableWasmThreads } from '../core/model/tfjs-internals';
import './wasm-paths';

// One WASM thread: the compact net and the detector run a webcam frame in ~25 ms on one, and the training
// worker, which may run at the same time, keeps the other core.
disableWasmThreads();

/**
 * Sets the first backend that starts. WASM (XNNPACK) beat WebGL on SwiftShader by far in headless Chromium
 * here; on a laptop with a GPU, WebGL may be faster for big models, but the compact net is small enough that
 * upload/readback latency dominates. `preferred` overrides the order (e.g. from a ?backend= URL parameter).
 */
export async function initInferenceBackend(preferred?: string): Promise<BackendInfo> {
  const order = [...new Set([preferred, 'wasm', 'webgl', 'cpu'].filter((name): name is string => !!name))];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, threads: name === 'wasm' ? getThreadsCount() : 1 };
      }
    } catch (error) {
      console.warn(`tfjs backend ${name} did not start`, error);
    }
  }
  throw new Error('no tfjs backend could start in this browser');
}
