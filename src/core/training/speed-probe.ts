// Pure tfjs: how fast this backend trains a network, from a few real steps on random faces. No DOM.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../random';
import { median } from '../statistics';
import { classesOf } from '../nets/architectures';
import { INPUT_SHAPE } from '../model-format/model-contract';
import { augmentBatch, augments } from './augment';
import { createOptimizer, disposeOptimizer } from './optimizers';
import type { TrainConfig } from './train-config';
import { trainStep } from './train-step';

export interface SpeedProbeOptions {
  /** Time the steps for at least this long, ms (a few steps of a fast net are too few to judge it by). */
  minMs?: number;
  /**
   * Untimed steps after the first one, for this long, ms. The first seconds on a fresh backend run slower
   * (WebAssembly compiles its hot code again, optimised, in the background, on the same two cores), and right
   * after a load the data set is still being written to storage.
   */
  warmupMs?: number;
  /** At least and at most this many timed steps. */
  minSteps?: number;
  maxSteps?: number;
  /** The clock, ms (tests pass a fake one). */
  now?: () => number;
}

/**
 * Training faces per second for `config` (its batch size, optimizer and augmentation) on the current
 * backend: one warm-up step (kernel compilation, allocation) and more for `warmupMs`, then steps read back
 * one by one until both `minSteps` and `minMs` are reached. The median step counts, so that a step slowed by other work on the
 * machine (the data set still being written to storage just after a load, say) does not sway the figure.
 * @param model a freshly built model of config.architecture; trained on noise, so dispose it after.
 */
export async function measureTrainingSpeed(model: tf.LayersModel, config: TrainConfig, options: SpeedProbeOptions = {}): Promise<number> {
  const { minMs = 2000, warmupMs = 1000, minSteps = 3, maxSteps = 25, now = () => performance.now() } = options;
  const optimizer = createOptimizer(config.optimizer, config.learningRate);
  const random = createRng(1);
  const xs = tf.randomNormal([config.batchSize, ...INPUT_SHAPE], 0, 1, 'float32', 7) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: config.batchSize }, (_, i) => i % classesOf(model)), 'int32');
  const step = async () => {
    const input = augments(config.augment) ? augmentBatch(xs, config.augment, random) : xs;
    const out = trainStep(model, optimizer, input, labels, null, config.labelSmoothing);
    await out.loss.data();
    tf.dispose(input === xs ? [out.loss, out.correct] : [input, out.loss, out.correct]);
  };
  try {
    await step();
    if (warmupMs > 0) {
      const warming = now();
      while (now() - warming < warmupMs) await step();
    }
    const stepMs: number[] = [];
    const started = now();
    while (stepMs.length < maxSteps && (stepMs.length < minSteps || now() - started < minMs)) {
      const before = now();
      await step();
      stepMs.push(now() - before);
    }
    return (config.batchSize * 1000) / median(stepMs);
  } finally {
    tf.dispose([xs, labels]);
    disposeOptimizer(optimizer);
  }
}
