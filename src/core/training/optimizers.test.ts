import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyWeightDecay, createOptimizer, decayedWeights, disposeOptimizer, setLearningRate } from './optimizers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizers', () => {
  it('SGD-Nesterov and Adam take a new learning rate for the next step, without leaking tensors', () => {
    for (const name of ['sgd-nesterov', 'adam'] as const) {
      const start = tf.memory().numTensors;
      const initial = tf.scalar(1);
      const weight = tf.variable(initial);
      initial.dispose();
      const optimizer = createOptimizer(name, 0.1);
      const step = () => optimizer.minimize(() => tf.mul(weight, 1) as tf.Scalar, false, [weight]);
      step();
      const before = weight.dataSync()[0];
      const tensors = tf.memory().numTensors;
      setLearningRate(optimizer, 0);
      step();
      expect(tf.memory().numTensors).toBe(tensors);
      // A zero learning rate leaves the weight where it was (Nesterov's momentum is scaled by it too).
      expect(weight.dataSync()[0]).toBeCloseTo(before, 6);
      expect(before).toBeLessThan(1);
      disposeOptimizer(optimizer);
      weight.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });

  it('decays kernels only, by lr x decay per step', () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.flatten());
    model.add(tf.layers.dense({ units: 7 }));
    const decayed = decayedWeights(model);
    expect(decayed.map((w) => w.shape.length)).toEqual([4, 2]);
    const kernel = model.layers[0].getWeights()[0];
    const bias = model.layers[0].getWeights()[1];
    const kernelBefore = kernel.dataSync()[0];
    const biasBefore = Array.from(bias.dataSync());
    const tensors = tf.memory().numTensors;
    applyWeightDecay(decayed, 0.1, 0.5);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(model.layers[0].getWeights()[0].dataSync()[0]).toBeCloseTo(kernelBefore * 0.95, 6);
    expect(Array.from(model.layers[0].getWeights()[1].dataSync())).toEqual(biasBefore);
    model.dispose();
  });
});
