// Test-only helpers (Node, Vitest): run our kernels on a real thread pool in Node. tfjs-wasm runs unthreaded in
// Node (its memory is not shared) and Node has no Web Worker, so the pool of simd-threads.ts never starts in the
// other tests. Here: a BackendWasm over a shared WebAssembly.Memory (kernels.c's shared-memory builds, as in
// a cross-origin isolated page) and a Worker made of worker_threads, so that WorkerPool runs unchanged: the same
// worker source, control block, Atomics protocol and splits as in the browser.
import { resolveObjectURL } from 'node:buffer';
import { Worker as NodeThread } from 'node:worker_threads';
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { vi } from 'vitest';
import { setSimdThreads, simdPool, startSimdThreads } from './simd-threads';
import type { Input } from './wasm-test-utils';

/** What a page's worker has that the pool's worker source uses (self.onmessage, close), on worker_threads. */
const PRELUDE = `
const { parentPort } = require('node:worker_threads');
globalThis.self = globalThis;
globalThis.close = () => parentPort.close();
parentPort.on('message', (data) => self.onmessage({ data }));
`;

/** The part of the Web Worker API WorkerPool uses, on a worker_threads thread, for a blob: URL of this process. */
class NodeWorker {
  onerror: ((event: { message: string }) => void) | null = null;
  private thread: NodeThread | null = null;
  private queued: unknown[] = [];
  private terminated = false;

  constructor(url: string | URL) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`NodeWorker: ${String(url)} is not a blob: URL of this process`);
    // A page's worker also starts asynchronously; messages posted before wait.
    void blob.text().then((source) => {
      if (this.terminated) return;
      const thread = new NodeThread(PRELUDE + source, { eval: true });
      thread.unref();
      thread.on('error', (error) => this.onerror?.({ message: error.message }));
      for (const message of this.queued) thread.postMessage(message);
      this.queued = [];
      this.thread = thread;
    });
    workers.add(this);
  }

  postMessage(message: unknown): void {
    if (this.thread) this.thread.postMessage(message);
    else this.queued.push(message);
  }

  terminate(): void {
    this.terminated = true;
    void this.thread?.terminate();
    workers.delete(this);
  }
}

const workers = new Set<NodeWorker>();

/**
 * Makes `Worker` a worker_threads-backed Web Worker until the returned function is called, which also ends
 * every thread started meanwhile. Pools created in between (simdPool) keep their workers until then.
 */
export function installNodeWorkers(): () => void {
  vi.stubGlobal('Worker', NodeWorker);
  return () => {
    for (const worker of [...workers]) worker.terminate();
    vi.unstubAllGlobals();
  };
}

/**
 * A tfjs-wasm BackendWasm (the real class: makeOutput, typedArrayFromHeap, disposeData) whose module is a stand-in
 * for the threaded emscripten build: a shared WebAssembly.Memory with a bump allocator. Every allocation is
 * filled with 0xff bytes (NaN as float32) first, so a part of an output that no thread writes shows. Nothing is
 * freed (tests allocate a few MB). Only our kernels run on it (their fallbacks to tfjs' built-in kernels need the
 * real module); tfjs' getThreadsCount is 1, so its pool is one thread unless setSimdThreads says otherwise.
 */
export function sharedMemoryBackend(): BackendWasm {
  const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
  let top = 1024; // offset 0 means "no bias" to the kernels
  const module = {
    wasmMemory: memory,
    get HEAPU8() {
      return new Uint8Array(memory.buffer);
    },
    _malloc(bytes: number): number {
      const at = top;
      top = (top + Math.max(bytes, 1) + 15) & ~15;
      if (top > memory.buffer.byteLength) memory.grow(Math.ceil((top - memory.buffer.byteLength) / 65536));
      new Uint8Array(memory.buffer, at, bytes).fill(0xff);
      return at;
    },
    _free() {},
    tfjs: { init() {}, initWithThreadsCount() {}, getThreadsCount: () => 1, registerTensor() {}, disposeData() {}, dispose() {} },
  };
  return new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0]);
}

/**
 * A sharedMemoryBackend whose kernel pool runs `threads` threads (the caller's included), started and ready;
 * call it between installNodeWorkers() and its undo.
 */
export async function threadedBackend(threads: number): Promise<BackendWasm> {
  const backend = sharedMemoryBackend();
  setSimdThreads(threads);
  try {
    simdPool(backend); // this build's pool for this backend: its workers start here
  } finally {
    setSimdThreads(null);
  }
  const running = await startSimdThreads(backend, 20_000);
  if (running !== threads) throw new Error(`the kernel pool runs ${running} threads, not ${threads}`);
  return backend;
}

/**
 * Runs a kernel's kernelFunc directly on `backend` (a real or a sharedMemoryBackend one) with float32 inputs
 * uploaded from `inputs`, and returns copies of its outputs' values; everything it made is disposed.
 */
export function runKernelFunc(backend: BackendWasm, config: KernelConfig, inputs: Record<string, Input>, attrs: object = {}): Float32Array[] {
  const infos: Record<string, TensorInfo> = {};
  for (const [name, input] of Object.entries(inputs)) infos[name] = backend.makeOutput(input.shape, 'float32', undefined, input.values);
  const out = config.kernelFunc({ inputs: infos, backend, attrs: attrs as NamedAttrMap });
  const outs = Array.isArray(out) ? out : [out];
  const values = outs.map((info) => Float32Array.from(backend.typedArrayFromHeap(info) as Float32Array));
  for (const info of [...Object.values(infos), ...outs]) backend.disposeData(info.dataId);
  return values;
}
