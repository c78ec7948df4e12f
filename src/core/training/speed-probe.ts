// Pure tfjs: how fast this backend trains a network, from a few real steps on random faces. No DOM.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../random';
import { classesOf } from '../nets/architectures';
import { INPUT_SHAPE } from '../model-format/model-contract';
import { augmentBatch, augments } from './augment';
import { createOptimizer, disposeOptimizer } from './optimizers';
import type { TrainConfig } from './train-config';
import { trainStep } from './train-step';

/**
 * Training faces per second for `config` (its batch size, optimizer and augmentation) on the current
 * backend: one warm-up step (kernel compilation, allocation), then `steps` timed steps read back one by one.
 * @param model a freshly built model of config.architecture; trained on noise, so dispose it after.
 */
export async function measureTrainingSpeed(model: tf.LayersModel, config: TrainConfig, steps = 3): Promise<number> {
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
    const started = performance.now();
    for (let i = 0; i < steps; i++) await step();
    return (steps * config.batchSize * 1000) / (performance.now() - started);
  } finally {
    tf.dispose([xs, labels]);
    disposeOptimizer(optimizer);
  }
}
