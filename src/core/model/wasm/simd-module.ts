// Instantiates kernels.c (SIMD) on tfjs-backend-wasm's own memory, once per backend. Pure; no DOM.
import { KERNELS_PLAIN_BASE64, KERNELS_SHARED_BASE64 } from './simd/kernels-binary';
import { type BackendWasm, emscripten } from './wasm-backend';

/** Exports of kernels.c; every pointer argument is a byte offset into the tfjs heap. See kernels.c for shapes. */
export interface SimdKernels extends SimdDepthwiseKernels {
  sum_rows(x: number, rows: number, cols: number, out: number, scale: number): void;
  normalize_cols(x: number, rows: number, cols: number, m: number, a: number, b: number, out: number): void;
  swap_outer(src: number, dst: number, outer: number, inner: number, len: number): void;
  transpose_batched(src: number, dst: number, batch: number, rows: number, cols: number, sbs: number, srs: number, dbs: number, drs: number): void;
  max_pool_grad(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    ch: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    padTop: number,
    padLeft: number,
  ): void;
}

/** Depthwise conv shape, NHWC with multiplier 1: n, h, w, ch, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft. */
type DepthwiseShape = [number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Exports of kernels.c that take a DepthwiseShape after their pointers. */
export interface SimdDepthwiseKernels {
  depthwise_filter_grad(x: number, dy: number, dfilter: number, ...shape: DepthwiseShape): void;
  depthwise_input_grad(dy: number, filter: number, dx: number, ...shape: DepthwiseShape): void;
}

const instances = new WeakMap<object, SimdKernels>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The WebAssembly.Memory behind tfjs' heap (shared in the threaded build). */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory {
  const module = emscripten(backend);
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) throw new Error('cannot find the memory of the tfjs wasm module');
  return memory;
}

/**
 * kernels.c instantiated on the backend's memory (compiled synchronously on first use: ~8 KB, so fine in a
 * worker, where training runs).
 */
export function simdKernels(backend: BackendWasm): SimdKernels {
  const key = backend.wasm as object;
  let kernels = instances.get(key);
  if (!kernels) {
    const memory = backendMemory(backend);
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(decodeBase64(shared ? KERNELS_SHARED_BASE64 : KERNELS_PLAIN_BASE64));
    kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdKernels;
    instances.set(key, kernels);
  }
  return kernels;
}
