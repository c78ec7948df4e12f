// Runs in Node only (tests, benchmarks, CLIs): points tfjs-backend-wasm at its .wasm files on disk. In the
// browser the app passes Vite `?url` imports to setWasmPaths instead. No DOM, no Node APIs.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * The folder holding tfjs-backend-wasm's .wasm files: node_modules/@tensorflow/tfjs-backend-wasm/dist/,
 * found relative to this source file (a file path with a trailing slash, as setWasmPaths wants).
 */
export function nodeWasmDir(): string {
  const url = new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url);
  if (url.protocol !== 'file:') throw new Error(`setWasmPathsForNode runs in Node only (module URL ${url.href})`);
  return decodeURIComponent(url.pathname);
}

/** Call once before `tf.setBackend('wasm')` in Node. In Node the backend is single-threaded. */
export function setWasmPathsForNode(dir: string = nodeWasmDir()): void {
  setWasmPaths(dir.endsWith('/') ? dir : `${dir}/`);
}
