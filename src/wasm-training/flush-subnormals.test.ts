import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedBatchNormalization } from '../core/nets/batch-norm-layer';
import { backendTrainingHooks } from '../core/training/backend-extensions';
import { flushSubnormalVariables } from './flush-subnormals';
import { registerWasmTrainingKernels } from './register';
import { forEachBuild, initCpuAndWasm } from './wasm-test-utils';

beforeAll(initCpuAndWasm);

// 2^-130 and -2^-149 are subnormal float32 values; 2^-126 is the smallest normal one.
const values = [1.5, 2 ** -130, -(2 ** -149), 2 ** -126, -3, 0, 2 ** -127, 7, 1e-30];
const flushed = Array.from(Float32Array.from([1.5, 0, 0, 2 ** -126, -3, 0, 0, 7, 1e-30]));

// flush_subnormals and the kernels' own flushing (relu_grad, bn_input_grad) on both builds of kernels.c.
forEachBuild(() => {
  describe('flushSubnormalVariables', () => {
    it('sets subnormal values of every variable (weights and optimizer state) to zero on WASM, and nothing else', async () => {
      await tf.setBackend('wasm');
      const weights = tf.variable(tf.tensor1d(values));
      const state = tf.variable(tf.tensor2d([values, values]));
      const counts = tf.variable(tf.tensor1d([1, 2, 3], 'int32'));
      flushSubnormalVariables();
      expect(Array.from(weights.dataSync())).toEqual(flushed);
      expect(Array.from(state.dataSync())).toEqual([...flushed, ...flushed]);
      expect(Array.from(counts.dataSync())).toEqual([1, 2, 3]);
      tf.dispose([weights, state, counts]);
    });
  });

  describe('the training hook registerWasmTrainingKernels leaves for the loop', () => {
    it('sweeps subnormals every 20th step while WASM is active, and not between', async () => {
      registerWasmTrainingKernels();
      await tf.setBackend('wasm');
      const weights = tf.variable(tf.tensor1d(values));
      const { afterStep } = backendTrainingHooks();
      afterStep!(19);
      expect(Array.from(weights.dataSync())).toEqual(Array.from(Float32Array.from(values)));
      afterStep!(20);
      expect(Array.from(weights.dataSync())).toEqual(flushed);
      weights.dispose();
      await tf.setBackend('cpu');
      expect(backendTrainingHooks()).toEqual({});
    });
  });

  // Gradients late in a run: tiny dy values multiplied on by later kernels give subnormal products (slow on x86).
  describe('gradients below 2^-64 read and written as zero', () => {
    // 2^-64 itself and larger magnitudes pass; 2^-65, 1e-30 and a subnormal are zeroed.
    const dyValues = [2 ** -64, -(2 ** -65), 1e-30, 2 ** -130, 1e-10, -3, 0.25, -(2 ** -63)];
    const kept = dyValues.map((v) => (Math.abs(v) < 2 ** -64 ? 0 : v));

    it('ReLU gradient', async () => {
      await tf.setBackend('wasm');
      const x = tf.tensor1d(dyValues.map((_, i) => (i === 6 ? -1 : 1))); // one input below 0: its gradient is 0
      const dy = tf.tensor1d(dyValues);
      const dx = tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.relu(input), dy)))(x));
      expect(Array.from(dx.dataSync())).toEqual(Array.from(Float32Array.from(kept.map((v, i) => (i === 6 ? 0 : v)))));
      tf.dispose([x, dy, dx]);
    });

    it('BatchNorm input gradient: tiny dy contributes nothing, and a tiny result is written as 0', async () => {
      await tf.setBackend('wasm');
      const layer = new FusedBatchNormalization({ momentum: 0.9, epsilon: 1e-3 });
      layer.build([null, 1]);
      // The gradient with the tiny dy values is the one with them set to 0 beforehand.
      const x = tf.tensor2d(dyValues.map((_, i) => [i * 0.5]));
      const gradFor = (values: number[]) =>
        tf.tidy(() => {
          const dy = tf.tensor2d(values.map((v) => [v]));
          return Array.from(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dy)))(x).dataSync());
        });
      expect(gradFor(dyValues)).toEqual(gradFor(kept));
      const allTiny = gradFor(dyValues.map(() => 2 ** -70));
      expect(allTiny).toEqual(allTiny.map(() => 0));
      tf.dispose([x, ...layer.weights.map((w) => w.read())]);
    });
  });
});

describe('flushSubnormalVariables elsewhere', () => {
  it('leaves other backends alone (GPUs flush subnormals themselves; the CPU backend computes in doubles)', async () => {
    await tf.setBackend('cpu');
    const weights = tf.variable(tf.tensor1d(values));
    flushSubnormalVariables();
    expect(Array.from(weights.dataSync())).toEqual(Array.from(Float32Array.from(values)));
    weights.dispose();
  });
});

