// Registers the training kernels the 'wasm' backend lacks or runs slowly. Pure tfjs; no DOM.
import { engine, getBackend, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-mat-mul';
import { batchNormGradSumsConfig, registerBatchNormGradient } from './batch-norm-grad';
import { batchNormInputGradConfig, batchNormTrainingConfig, registerBatchNormTrainingGradient } from './batch-norm-training';
import '../core/nets/batch-norm-layer'; // saved models' BatchNormalization layers load as the fused one
import { castConfig } from './cast';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { conv2DConfig, fusedConv2DConfig } from './conv2d-forward';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';
import { fusedBatchNormConfig } from './fused-batch-norm';
import { registerWasmGradients, reluGradConfig } from './gradients';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { adamUpdateConfig, momentumUpdateConfig } from './optimizer-update';
import { meanConfig, sumConfig } from './reduce';
import { tileConfig } from './tile';
import { transformConfig } from './transform';
import { setSimdThreads, startSimdThreads } from './simd-threads';
import { registerBackendTrainingHooks } from '../core/training/backend-extensions';
import { assertKnownTfjs } from '../core/tfjs-internals';
import { flushSubnormalVariables } from './flush-subnormals';
import { type BackendWasm, rememberOriginal } from './wasm-backend';

/** Every kernel this module registers for 'wasm', by kernel name. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  batchNormGradSumsConfig,
  batchNormTrainingConfig,
  batchNormInputGradConfig,
  castConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  conv2DConfig,
  fusedConv2DConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  fusedBatchNormConfig,
  identityConfig,
  maxPoolGradConfig,
  adamUpdateConfig,
  momentumUpdateConfig,
  reluGradConfig,
  meanConfig,
  sumConfig,
  tileConfig,
  transformConfig,
];

export interface WasmTrainingOptions {
  /**
   * Threads for our own SIMD kernels (the calling thread included). Default: as many as tfjs-wasm gave
   * XNNPACK (see getThreadsCount). More than 1 needs tfjs' threaded build (cross-origin isolation); in Node
   * the backend has no threads and neither do we.
   */
  threads?: number;
}

/** Steps between two sweeps of the training state for subnormal floats (one sweep costs well under 1 ms). */
const FLUSH_SUBNORMALS_EVERY = 20;

let registered = false;

/**
 * Makes training work and run fast on tfjs-backend-wasm 4.22: registers the missing gradient kernels and
 * replaces slow built-in ones; swaps in cheaper Sum, Mean and BatchNorm gradients while 'wasm' is the active
 * backend (other backends keep tfjs' gradients).
 * Idempotent (a later call may still change `threads`); call it before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(options: WasmTrainingOptions = {}): void {
  if (options.threads !== undefined) setSimdThreads(options.threads);
  if (registered) return;
  assertKnownTfjs(); // our kernels and gradients lean on tfjs 4.22's internals
  registered = true;
  registerWasmGradients();
  registerBatchNormGradient();
  registerBatchNormTrainingGradient();
  // x86 WASM has no flush-to-zero mode: the loop sweeps subnormals out of the training state now and then.
  registerBackendTrainingHooks('wasm', {
    afterStep: (step) => {
      if (step % FLUSH_SUBNORMALS_EVERY === 0) flushSubnormalVariables();
    },
  });
  for (const config of WASM_TRAINING_KERNELS) {
    const original = rememberOriginal(config.kernelName);
    if (original) unregisterKernel(config.kernelName, 'wasm');
    // The original's setup (run when the backend initialises) binds the C++ function our fallbacks call.
    registerKernel({ ...config, setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc });
  }
}

/**
 * Starts the threads of our SIMD kernels on the active 'wasm' backend and resolves with how many threads they
 * use (1 where the memory is not shared, e.g. in Node or without cross-origin isolation). IMPORTANT: await
 * it after `tf.setBackend('wasm')`, before training; threads started later only join once the calling
 * thread's event loop turns.
 */
export async function startWasmTrainingThreads(): Promise<number> {
  if (getBackend() !== 'wasm') throw new Error("startWasmTrainingThreads: the active backend is not 'wasm'");
  return startSimdThreads(engine().backend as unknown as BackendWasm);
}
