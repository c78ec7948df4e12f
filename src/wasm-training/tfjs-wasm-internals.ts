// Pure: where our WASM training backend reaches past tfjs-backend-wasm's public API (its emscripten heap, its
// thread count), for tfjs 4.22 only, checked with the rest by assertKnownTfjs (core/tfjs-internals.ts). No DOM.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { TensorInfo } from '@tensorflow/tfjs-core';

// ---- the WASM backend's heap ----

/**
 * The parts of the emscripten module behind the WASM backend that we use; tfjs types them through
 * @types/emscripten, which this project does not install.
 */
export interface EmscriptenModule {
  HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(offset: number): void;
  /** The threaded build's (shared) memory. */
  wasmMemory?: WebAssembly.Memory;
  /** The plain build's exports, memory among them. */
  asm?: { memory?: WebAssembly.Memory };
}

export function emscripten(backend: BackendWasm): EmscriptenModule {
  return backend.wasm as unknown as EmscriptenModule;
}

/** Byte offset of a tensor's data in the WASM heap. */
export function heapOffset(backend: BackendWasm, info: TensorInfo): number {
  return backend.dataIdMap.get(info.dataId)!.memoryOffset;
}

// ---- WASM threads (set before the backend starts) ----

/**
 * Asks for `threads` XNNPACK threads. tfjs-wasm sizes its pool as min(setThreadsCount, hardwareConcurrency / 2),
 * read when its module starts, so a 2-core machine would get 1: claiming twice the threads as the core count
 * lifts that cap (measured: a conv 80 ms on 1 thread, 39 ms on 2). Threads need cross-origin isolation.
 */
export function claimWasmThreads(threads: number, setThreadsCount: (count: number) => void, workerNavigator: { hardwareConcurrency: number }): void {
  if (threads <= 1) return;
  Object.defineProperty(workerNavigator, 'hardwareConcurrency', { value: threads * 2, configurable: true });
  setThreadsCount(threads);
}

/** Keeps the WASM backend on one thread (its threaded build is not loaded). */
export function disableWasmThreads(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
}
