import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from './fused-optimizers';
import { disposeOptimizer, setLearningRate } from './optimizers';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from './wasm/optimizer-update';
import { initCpuAndWasm, randomInput } from './wasm/wasm-test-utils';

beforeAll(initCpuAndWasm);

/** Shapes of the variables: a conv kernel, a vector whose length is no multiple of 4, a big one (threads split it). */
const SHAPES = [[3, 3, 4, 5], [7], [40_000]];

const optimizers = {
  adam: { fused: () => new FusedAdamOptimizer(0.01, 0.9, 0.999, 1e-7), tfjs: () => tf.train.adam(0.01, 0.9, 0.999, 1e-7), kernel: ADAM_UPDATE },
  nesterov: { fused: () => new FusedMomentumOptimizer(0.01, 0.9, true), tfjs: () => tf.train.momentum(0.01, 0.9, true), kernel: MOMENTUM_UPDATE },
  momentum: { fused: () => new FusedMomentumOptimizer(0.01, 0.9, false), tfjs: () => tf.train.momentum(0.01, 0.9, false), kernel: MOMENTUM_UPDATE },
};

/**
 * Variables and optimizer state after `steps` updates with seeded gradients (the learning rate changes halfway,
 * as schedules do), as arrays; everything made is disposed.
 */
async function train(optimizer: tf.Optimizer, steps: number): Promise<{ names: string[]; values: Float32Array[] }> {
  const variables = SHAPES.map((shape, i) => tf.variable(tf.tensor(randomInput(shape, 60 + i).values as Float32Array, shape), true, `w${i}-${Math.random()}`));
  for (let step = 0; step < steps; step++) {
    if (step === Math.floor(steps / 2)) setLearningRate(optimizer, 0.003);
    const grads = Object.fromEntries(variables.map((v, i) => [v.name, tf.tensor(randomInput(v.shape, 70 + step * 10 + i).values as Float32Array, v.shape)]));
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const state = await optimizer.getWeights();
  const result = {
    names: state.map((s) => s.name.replace(/w(\d)-[\d.]+/, 'w$1')),
    values: [...variables.map((v) => v.dataSync() as Float32Array), ...state.map((s) => s.tensor.dataSync() as Float32Array)],
  };
  tf.dispose(variables);
  disposeOptimizer(optimizer);
  return result;
}

describe('fused optimizers on wasm', () => {
  it.each(Object.keys(optimizers) as (keyof typeof optimizers)[])('%s: weights and state match tfjs own optimizer after 6 steps', async (name) => {
    await tf.setBackend('wasm');
    const count = () => tf.memory().numTensors;
    const start = count();
    const fused = await train(optimizers[name].fused(), 6);
    const afterFused = count();
    const theirs = await train(optimizers[name].tfjs(), 6);
    // Whatever tfjs itself leaves behind (the iterations scalar getWeights makes), the fused update adds nothing.
    expect(afterFused - start).toBe(count() - afterFused);
    expect(fused.names).toEqual(theirs.names);
    expect(fused.values).toHaveLength(theirs.values.length);
    fused.values.forEach((values, i) => {
      const scale = Math.max(...theirs.values[i].map(Math.abs));
      values.forEach((v, j) => expect(Math.abs(v - theirs.values[i][j])).toBeLessThanOrEqual(1e-6 * scale));
    });
  });

  it.each(Object.keys(optimizers) as (keyof typeof optimizers)[])('%s: one kernel call per variable', async (name) => {
    await tf.setBackend('wasm');
    const optimizer = optimizers[name].fused();
    const variables = SHAPES.map((shape) => tf.variable(tf.ones(shape)));
    const grads = Object.fromEntries(variables.map((v) => [v.name, tf.onesLike(v)]));
    optimizer.applyGradients(grads); // creates the state
    const profile = await tf.profile(() => optimizer.applyGradients(grads));
    const kernels = profile.kernels.map((k) => k.name);
    expect(kernels.filter((k) => k === optimizers[name].kernel)).toHaveLength(SHAPES.length);
    expect(kernels).not.toContain('Sqrt');
    tf.dispose([...variables, ...Object.values(grads)]);
    optimizer.dispose();
  });

  it('falls back to tfjs own update on a backend without the kernel', async () => {
    await tf.setBackend('cpu');
    const fused = await train(optimizers.adam.fused(), 3);
    const theirs = await train(optimizers.adam.tfjs(), 3);
    fused.values.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(theirs.values[i])));
  });
});
