// Pure tfjs: the optimizers a training config names, their learning rate, and decoupled weight decay. No DOM.
import * as tf from '@tensorflow/tfjs';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from './fused-optimizers';
import { sgdRateScalar, setOptimizerLearningRate } from '../tfjs-internals';
import { ADAM, type OptimizerName } from './train-config';

/** Nesterov momentum for 'sgd-nesterov' (as in the best published FER2013 VGG recipe). */
export const SGD_MOMENTUM = 0.9;

/** tfjs' Adam or Nesterov momentum, whose update runs as one kernel per variable on our 'wasm' backend. */
export function createOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (name === 'sgd-nesterov') return new FusedMomentumOptimizer(learningRate, SGD_MOMENTUM, true);
  return new FusedAdamOptimizer(learningRate, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
}

/** Sets the learning rate for the next step (see tfjs-internals). */
export const setLearningRate = setOptimizerLearningRate;

/**
 * Frees an optimizer and its state. tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate scalar
 * its SGD base class keeps (`c`): one tensor per optimizer would leak.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const rate = sgdRateScalar(optimizer);
  if (rate && !rate.isDisposed) rate.dispose();
}

/** The weights decoupled weight decay shrinks: conv, depthwise, pointwise and dense kernels (rank ≥ 2). */
export function decayedWeights(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.filter((weight) => weight.shape.length >= 2).map((weight) => weight.read() as tf.Variable);
}

/** w ← w · (1 − lr · decay) for each weight, after the optimizer's step (AdamW / SGDW). */
export function applyWeightDecay(weights: tf.Variable[], learningRate: number, decay: number): void {
  if (decay <= 0 || weights.length === 0) return;
  const keep = 1 - learningRate * decay;
  tf.tidy(() => {
    const factor = tf.scalar(keep);
    for (const weight of weights) weight.assign(tf.mul(weight, factor));
  });
}
