// The internals the adapter uses, checked on the tfjs installed: a tfjs upgrade fails here, by name, before
// anything subtle breaks in training.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { assertKnownTfjs, KNOWN_TFJS_VERSION, setOptimizerLearningRate, sgdRateScalar } from './tfjs-internals';

describe('tfjs internals adapter', () => {
  it('knows the tfjs installed, and refuses loudly any other version', () => {
    expect(tf.version_core).toBe(KNOWN_TFJS_VERSION);
    expect(() => assertKnownTfjs()).not.toThrow();
    expect(() => assertKnownTfjs('4.23.0')).toThrow(/tfjs 4\.23\.0 is not the version .*tfjs-internals\.ts.*4\.22\.0/);
  });

  it('sets the learning rate of Adam and of SGD with momentum, which keep it in different places', () => {
    const adam = tf.train.adam(0.1);
    setOptimizerLearningRate(adam, 0.02);
    expect((adam as unknown as { learningRate: number }).learningRate).toBe(0.02);
    const momentum = tf.train.momentum(0.1, 0.9, true);
    setOptimizerLearningRate(momentum, 0.03);
    expect(sgdRateScalar(momentum)?.dataSync()[0]).toBeCloseTo(-0.03, 6); // SGD keeps the negated rate
    momentum.dispose();
    sgdRateScalar(momentum)?.dispose();
    adam.dispose();
  });
});
