// The one point where a tfjs backend plugs training extras into core, without core importing the backend.
// Pure tfjs; no DOM.
//
// Custom kernels: core names them and states their inputs and outputs here; a backend that implements one
// registers a kernel under that name (tf.registerKernel), and core runs it where the active backend has it,
// else the plain tfjs ops. Hooks: per-backend work the training loop calls between steps (today, WASM's
// subnormal flush), registered by the backend's own module (src/wasm-training/register.ts).
import * as tf from '@tensorflow/tfjs';

/** inputs {x [..., c], gamma [c], beta [c]}, attrs {varianceEpsilon} -> [y (x's shape), mean [c], variance [c]]. */
export const BATCH_NORM_TRAINING = 'FerBatchNormTraining';
/**
 * inputs {w, m, v, g} (same shape, float32), attrs {beta1, beta2, learningRate, epsilon, correction1,
 * correction2 (1 - beta^t, as float32)} -> [w', m', v'].
 */
export const ADAM_UPDATE = 'FerAdamUpdate';
/** inputs {w, a, g} (same shape, float32), attrs {momentum, learningRate, nesterov} -> [w', a']. */
export const MOMENTUM_UPDATE = 'FerMomentumUpdate';

/** Whether the active backend registered the custom kernel `name`. */
export function backendHasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** What a backend may ask the training loop to do. */
export interface BackendTrainingHooks {
  /** After every optimizer step; `step` counts steps of this run from 1. Keep it cheap: it runs per batch. */
  afterStep?(step: number): void;
  /**
   * Throws when the backend can no longer compute (a GPU context or device lost): called after every step, after
   * validation and after the checkpoint's weights are read, before they are handed on, so that numbers read
   * from a lost GPU never reach a checkpoint or a saved model. Keep it cheap.
   */
  check?(): void;
  /**
   * What an error thrown while training means on this backend: the error to report instead (a lost GPU, whose
   * loss `check` had not seen yet: reading from a destroyed WebGPU device fails before its `lost` promise
   * settles), or undefined to keep the error as it is.
   */
  explain?(error: unknown): Promise<Error | undefined>;
}

const hooksByBackend = new Map<string, BackendTrainingHooks>();

/** Sets the hooks the training loop calls while `backendName` is the active backend (replacing earlier ones). */
export function registerBackendTrainingHooks(backendName: string, hooks: BackendTrainingHooks): void {
  hooksByBackend.set(backendName, hooks);
}

/** The active backend's hooks (none registered: an empty set). */
export function backendTrainingHooks(): BackendTrainingHooks {
  return hooksByBackend.get(tf.getBackend()) ?? {};
}
