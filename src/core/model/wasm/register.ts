// Registers the training kernels the 'wasm' backend lacks or runs slowly. Pure tfjs; no DOM.
import { registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { castConfig } from './cast';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-backprop';
import { fusedBatchNormConfig } from './fused-batch-norm';
import { registerWasmGradients } from './gradients';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './max-pool-grad';
import { meanConfig, sumConfig } from './reduce';
import { tileConfig } from './tile';
import { rememberOriginal } from './wasm-backend';

/** Every kernel this module registers for 'wasm', by kernel name. */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  castConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  fusedBatchNormConfig,
  identityConfig,
  maxPoolGradConfig,
  meanConfig,
  sumConfig,
  tileConfig,
];

let registered = false;

/**
 * Makes training work and run fast on tfjs-backend-wasm 4.22: registers the missing gradient kernels and
 * replaces slow built-in ones; swaps in cheaper Sum/Mean gradients while 'wasm' is the active backend.
 * Idempotent; call it before or after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerWasmGradients();
  for (const config of WASM_TRAINING_KERNELS) {
    const original = rememberOriginal(config.kernelName);
    if (original) unregisterKernel(config.kernelName, 'wasm');
    // The original's setup (run when the backend initialises) binds the C++ function our fallbacks call.
    registerKernel({ ...config, setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc });
  }
}
