// Pure tfjs helpers (no DOM) for kernels registered on the 'wasm' backend: heap access, calls to the
// backend's own kernels, scratch memory and disposal of intermediate results. Runs in workers, pages and Node.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { emscripten, heapOffset } from './tfjs-wasm-internals';

export type { BackendWasm };

export { emscripten, type EmscriptenModule } from './tfjs-wasm-internals';

/**
 * The backend's kernels as they were before registerWasmTrainingKernels() replaced some of them, so a
 * replacement can still fall back to (or build on) the original.
 */
const originals = new Map<string, KernelConfig>();

/**
 * Remembers the built-in wasm kernel `name` (once) before it is overridden, and returns it. Its setupFunc
 * must stay with the replacement: it binds the C++ function the original kernelFunc calls.
 */
export function rememberOriginal(name: string): KernelConfig | undefined {
  if (!originals.has(name)) {
    const config = getKernel(name, 'wasm');
    if (config) originals.set(name, config);
  }
  return originals.get(name);
}

/**
 * Runs a wasm kernel by name: the built-in one when it was overridden, else whatever is registered.
 * The result belongs to the caller (dispose it with disposeInfo unless it is returned from a kernel).
 */
export function runKernel(
  backend: BackendWasm,
  name: string,
  inputs: Record<string, TensorInfo | null | undefined>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernelFunc = (originals.get(name) ?? getKernel(name, 'wasm'))?.kernelFunc;
  if (!kernelFunc) throw new Error(`wasm kernel ${name} is not registered`);
  const out = kernelFunc({ inputs: inputs as Record<string, TensorInfo>, backend, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned ${out.length} outputs, expected 1`);
  return out;
}

/** Releases intermediate results created inside a kernel (not tracked by the engine). */
export function disposeInfo(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Byte offset of a tensor's data in the wasm heap. */
export function ptr(backend: BackendWasm, info: TensorInfo): number {
  return heapOffset(backend, info);
}

/** A TensorInfo that shares `info`'s data with another shape (a free reshape; do not dispose it). */
export function reshapeInfo(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, dtype: info.dtype, shape };
}

/**
 * Float32 scratch memory on the wasm heap: `floats` values, written from JS, freed by the returned
 * function. Used for per-channel parameter vectors.
 */
export function scratchF32(backend: BackendWasm, values: ArrayLike<number>): { offset: number; free: () => void } {
  const module = emscripten(backend);
  const offset = module._malloc(Math.max(values.length, 1) * 4) >>> 0;
  new Float32Array(module.HEAPU8.buffer, offset, values.length).set(values);
  return { offset, free: () => module._free(offset) };
}

/** Values of a small tensor (e.g. per-channel parameters) read from the heap. */
export function readF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}
