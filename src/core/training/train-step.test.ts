import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countCorrect, crossEntropy, predictBatched, trainStep } from './train-step';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A tiny conv net with BatchNorm and dropout, enough to exercise training on the CPU backend. */
function tinyModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [48, 48, 1], filters: 4, kernelSize: 3, strides: 4, kernelRegularizer: tf.regularizers.l2({ l2: 0.001 }) }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.reLU());
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.1 }));
  model.add(tf.layers.dense({ units: 7, activation: 'softmax' }));
  return model;
}

describe('crossEntropy', () => {
  it('equals -log(p_true) averaged, and weights samples by class', () => {
    const probs = tf.tensor2d([
      [0.7, 0.3, 0, 0, 0, 0, 0],
      [0.2, 0.8, 0, 0, 0, 0, 0],
    ]);
    const labels = tf.tensor1d([0, 1], 'int32');
    expect(crossEntropy(probs, labels, null).dataSync()[0]).toBeCloseTo((-Math.log(0.7) - Math.log(0.8)) / 2, 5);
    const weights = tf.tensor1d([2, 1, 1, 1, 1, 1, 1]);
    expect(crossEntropy(probs, labels, weights).dataSync()[0]).toBeCloseTo((-2 * Math.log(0.7) - Math.log(0.8)) / 2, 5);
    expect(countCorrect(probs, tf.tensor1d([0, 0], 'int32')).dataSync()[0]).toBe(1);
  });

  it('smooths labels: the target is (1 - s) one-hot + s / 7', () => {
    const row = [0.7, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03];
    const probs = tf.tensor2d([row]);
    const labels = tf.tensor1d([0], 'int32');
    const s = 0.1;
    const expected = -row.reduce((sum, p, k) => sum + ((k === 0 ? 1 - s : 0) + s / 7) * Math.log(p), 0);
    expect(crossEntropy(probs, labels, null, s).dataSync()[0]).toBeCloseTo(expected, 5);
    expect(crossEntropy(probs, labels, null, 0).dataSync()[0]).toBeCloseTo(-Math.log(0.7), 5);
  });
});

describe('trainStep', () => {
  it('lowers the loss on a small batch and leaves no tensors behind', () => {
    const model = tinyModel();
    const optimizer = tf.train.adam(0.01);
    // Two classes that differ in brightness: easy to learn.
    const xs = tf.tidy(() => tf.concat([tf.randomNormal([8, 48, 48, 1], -1, 0.5, 'float32', 1), tf.randomNormal([8, 48, 48, 1], 1, 0.5, 'float32', 2)]) as tf.Tensor4D);
    const labels = tf.tensor1d([0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3], 'int32');
    const first = trainStep(model, optimizer, xs, labels);
    const firstLoss = first.loss.dataSync()[0];
    tf.dispose([first.loss, first.correct]);
    const before = tf.memory().numTensors;
    let last = firstLoss;
    for (let i = 0; i < 30; i++) {
      const step = trainStep(model, optimizer, xs, labels);
      last = step.loss.dataSync()[0];
      tf.dispose([step.loss, step.correct]);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(firstLoss * 0.7);
    const probs = predictBatched(model, xs, 5);
    expect(probs.shape).toEqual([16, 7]);
    expect(countCorrect(probs, labels).dataSync()[0]).toBeGreaterThanOrEqual(14);
    tf.dispose([probs, xs, labels]);
    model.dispose();
    optimizer.dispose();
  });

  it('updates BatchNorm moving statistics in training mode', () => {
    const model = tinyModel();
    const movingMean = () => Array.from(model.layers[1].getWeights()[2].dataSync());
    const before = movingMean();
    const xs = tf.randomNormal([4, 48, 48, 1], 3, 1) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1, 2, 3], 'int32');
    const step = trainStep(model, tf.train.adam(0.001), xs, labels);
    tf.dispose([step.loss, step.correct]);
    expect(movingMean()).not.toEqual(before);
    tf.dispose([xs, labels]);
    model.dispose();
  });
});
