// Pure tfjs: keeps subnormal floats out of training state on the WASM backend. No DOM.
//
// x86 computes with subnormal operands (|v| < 2^-126) through microcode assists, ~100x slower, and WebAssembly
// has no flush-to-zero mode. A long run drives some weights and much Adam state subnormal (they decay
// geometrically); every kernel that reads them then slows down. Our conv packers flush weights as they pack;
// this sets the values themselves to zero, in place, for everything else. GPUs flush subnormals themselves and
// the CPU backend computes in doubles, so other backends need nothing.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { allVariables } from '../core/tfjs-internals';
import { simdKernels } from './simd-module';
import { ptr } from './wasm-backend';

/** Sets every subnormal value of every float32 variable to 0 (WASM backend only; elsewhere nothing). */
export function flushSubnormalVariables(): void {
  if (tf.getBackend() !== 'wasm') return;
  const backend = tf.backend() as BackendWasm;
  const kernels = simdKernels(backend);
  for (const variable of allVariables()) {
    if (variable.dtype === 'float32' && !variable.isDisposed && variable.size > 0) kernels.flush_subnormals(ptr(backend, variable), variable.size);
  }
}
