import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdamOptimizer, FusedMomentumOptimizer } from './fused-optimizers';
import { disposeOptimizer, setLearningRate } from './optimizers';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from './backend-extensions';
import { expectClose, forEachBuild, initCpuAndWasm, randomInput } from '../../wasm-training/wasm-test-utils';

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

type TrainResult = Awaited<ReturnType<typeof train>>;

/** tfjs' own optimizer on wasm (no kernels.c code), 6 steps, and the tensors it left behind: once per optimizer for both builds. */
const references = new Map<keyof typeof optimizers, Promise<{ result: TrainResult; leaked: number }>>();
function reference(name: keyof typeof optimizers) {
  if (!references.has(name))
    references.set(
      name,
      (async () => {
        await tf.setBackend('wasm');
        const before = tf.memory().numTensors;
        const result = await train(optimizers[name].tfjs(), 6);
        return { result, leaked: tf.memory().numTensors - before };
      })(),
    );
  return references.get(name)!;
}

// adam_update and momentum_update on both builds of kernels.c.
forEachBuild(() => {
  describe('fused optimizers on wasm', () => {
    it.each(Object.keys(optimizers) as (keyof typeof optimizers)[])('%s: weights and state match tfjs own optimizer after 6 steps (within 1e-6 x the largest value)', async (name) => {
      const theirs = await reference(name);
      await tf.setBackend('wasm');
      const start = tf.memory().numTensors;
      const fused = await train(optimizers[name].fused(), 6);
      // Whatever tfjs itself leaves behind (the iterations scalar getWeights makes), the fused update adds nothing.
      expect(tf.memory().numTensors - start).toBe(theirs.leaked);
      expect(fused.names).toEqual(theirs.result.names);
      expect(fused.values).toHaveLength(theirs.result.values.length);
      // Norm-wise: the same float32 operations in the same order, but for rounding where the relaxed build fuses.
      const labels = [...SHAPES.map((_, i) => `w${i}`), ...theirs.result.names];
      fused.values.forEach((values, i) => expectClose(values, theirs.result.values[i], 1e-6, labels[i]));
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
  });
});

describe('fused optimizers elsewhere', () => {
  it('falls back to tfjs own update on a backend without the kernel', async () => {
    await tf.setBackend('cpu');
    const fused = await train(optimizers.adam.fused(), 3);
    const theirs = await train(optimizers.adam.tfjs(), 3);
    fused.values.forEach((values, i) => expect(Array.from(values)).toEqual(Array.from(theirs.values[i])));
  });
});
