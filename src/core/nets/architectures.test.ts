import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { architectureCost, ARCHITECTURES, buildModel, modelCost } from './architectures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('architectures', () => {
  it('seed matches the 2018 tutorial: 5,905,863 parameters, 5,902,151 trainable', () => {
    const model = buildModel('seed', 7);
    const cost = modelCost(model);
    expect(cost.params).toBe(5_905_863);
    expect(cost.trainableParams).toBe(5_902_151);
    // Its first conv is 'valid' (48 -> 46) with an L2(0.01) kernel penalty, the rest 'same'.
    expect(model.layers[0].outputShape).toEqual([null, 46, 46, 64]);
    expect(model.calculateLosses()).toHaveLength(1);
    model.dispose();
  });

  it('compact is a few hundred thousand parameters and ~0.17 GFLOP per face', () => {
    const model = buildModel('compact', 7);
    const cost = modelCost(model);
    expect(cost.params).toBeGreaterThan(200_000);
    expect(cost.params).toBeLessThan(400_000);
    expect(cost.flopsPerImage / 1e9).toBeCloseTo(0.171, 2);
    expect(model.layers.some((layer) => layer.getClassName() === 'GlobalAveragePooling2D')).toBe(true);
    model.dispose();
  });

  it.each(ARCHITECTURES)('%s maps [n, 48, 48, 1] to [n, 7] probabilities that sum to 1', (name) => {
    const model = buildModel(name, 7);
    const probs = tf.tidy(() => model.predict(tf.randomNormal([2, 48, 48, 1])) as tf.Tensor2D);
    expect(probs.shape).toEqual([2, 7]);
    const sums = probs.sum(1).arraySync() as number[];
    sums.forEach((sum) => expect(sum).toBeCloseTo(1, 5));
    probs.dispose();
    model.dispose();
  });

  it.each(ARCHITECTURES)('%s: architectureCost measures the built 7-class model once and leaves no tensors', (name) => {
    const model = buildModel(name, 7);
    const expected = modelCost(model);
    model.dispose();
    const before = tf.memory().numTensors;
    expect(architectureCost(name)).toEqual(expected);
    expect(architectureCost(name)).toBe(architectureCost(name));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('mini-xception is depthwise-separable and small', () => {
    const model = buildModel('mini-xception', 7);
    expect(model.layers.filter((layer) => layer.getClassName() === 'SeparableConv2D')).toHaveLength(8);
    expect(modelCost(model).params).toBeLessThan(70_000);
    model.dispose();
  });
});
