// Pure: every place core reaches past tfjs' public API, in one file, for tfjs 4.22 only (the WASM backend's
// internals: src/wasm-training/tfjs-wasm-internals.ts). A tfjs upgrade
// must come through here: assertKnownTfjs() (called when our kernels register) and its test fail loudly on a
// version this file was not checked against. No DOM.
import * as tf from '@tensorflow/tfjs';

/** The tfjs version whose internals the functions below were read from. */
export const KNOWN_TFJS_VERSION = '4.22.0';

/** Throws, naming both, when the tfjs in use is not the version this adapter knows. */
export function assertKnownTfjs(version: string = tf.version_core): void {
  if (version !== KNOWN_TFJS_VERSION) {
    throw new Error(
      `tfjs ${version} is not the version the app's tfjs adapters (src/core/tfjs-internals.ts, src/wasm-training/tfjs-wasm-internals.ts) were written for (${KNOWN_TFJS_VERSION}): check each internal it uses, then update KNOWN_TFJS_VERSION`,
    );
  }
}

// ---- optimizers ----

/**
 * Sets an optimizer's learning rate for the next step. Adam reads its `learningRate` field on every step;
 * SGD and momentum keep it as a scalar tensor that their setLearningRate replaces. (Not `instanceof
 * tf.SGDOptimizer`: tfjs' optimizers answer instanceof by duck typing, so Adam passes it too.)
 */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const sgd = optimizer as Partial<Pick<tf.SGDOptimizer, 'setLearningRate'>>;
  if (typeof sgd.setLearningRate === 'function') sgd.setLearningRate(learningRate);
  else (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}

/** The learning-rate scalar SGD keeps (`c`), which MomentumOptimizer.dispose forgets to free. */
export function sgdRateScalar(optimizer: tf.Optimizer): tf.Tensor | undefined {
  return (optimizer as unknown as { c?: tf.Tensor }).c;
}

/** Every live variable: model weights and optimizer state alike (tfjs keeps them in its engine). */
export function allVariables(): tf.Variable[] {
  return Object.values(tf.engine().registeredVariables);
}

/** One slot of an optimizer's state, as tfjs keeps it (per variable, by position in the gradient list). */
export interface OptimizerSlot {
  originalName: string;
  variable: tf.Variable;
}

/** The fields of tfjs' AdamOptimizer (protected or private in its types) that its update step uses. */
export interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** beta1^t and beta2^t, as tfjs multiplies them up in float32. */
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: (OptimizerSlot | undefined)[];
  accumulatedSecondMoment: (OptimizerSlot | undefined)[];
  incrementIterations(): void;
}

export function adamFields(optimizer: tf.AdamOptimizer): AdamFields {
  return optimizer as unknown as AdamFields;
}

/** The fields of tfjs' MomentumOptimizer that its update step uses (learningRate follows setLearningRate). */
export interface MomentumFields {
  learningRate: number;
  momentum: number;
  useNesterov: boolean;
  accumulations: (OptimizerSlot | undefined)[];
  incrementIterations(): void;
}

export function momentumFields(optimizer: tf.MomentumOptimizer): MomentumFields {
  return optimizer as unknown as MomentumFields;
}

// ---- layers ----

/** The fields of tfjs-layers' BatchNormalization (all private in its types) that a faster call() needs. */
export interface BatchNormalizationFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor } | null;
  beta: { read(): tf.Tensor } | null;
  movingMean: { read(): tf.Tensor; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(value: tf.Tensor): void };
}

export function batchNormalizationFields(layer: ReturnType<typeof tf.layers.batchNormalization>): BatchNormalizationFields {
  return layer as unknown as BatchNormalizationFields;
}

/** tfjs-layers' BatchNormalization class (not exported by tfjs), to extend. */
export const BatchNormalizationLayer = Object.getPrototypeOf(tf.layers.batchNormalization()).constructor as new (
  args?: Parameters<typeof tf.layers.batchNormalization>[0],
) => ReturnType<typeof tf.layers.batchNormalization>;

/** The fields of tfjs-layers' Conv2D (private in its types) that a plain conv call needs. */
export interface Conv2DFields {
  rank: number;
  kernel: { read(): tf.Tensor4D };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
  strides: [number, number];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: [number, number];
}

export function conv2DFields(layer: ReturnType<typeof tf.layers.conv2d>): Conv2DFields {
  return layer as unknown as Conv2DFields;
}

/** tfjs-layers' Conv2D class (not exported by tfjs), to extend. */
export const Conv2DLayer = Object.getPrototypeOf(tf.layers.conv2d({ filters: 1, kernelSize: 1 })).constructor as new (
  args: Parameters<typeof tf.layers.conv2d>[0],
) => ReturnType<typeof tf.layers.conv2d>;
