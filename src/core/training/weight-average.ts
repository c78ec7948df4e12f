// Pure tfjs: an exponential moving average of a model's weights while it trains (Polyak averaging, as
// TensorFlow's ExponentialMovingAverage and timm's ModelEma keep it). Validation, the best epoch's weights
// and so the saved model use the average; training steps use the live weights. No DOM.
import * as tf from '@tensorflow/tfjs';
import { decodeModelWeights, encodeModelWeights, type EncodedWeights } from '../model-format/weights-codec';

/** The average is folded in every this many steps (with the decay raised to that power): a tenth of the ops. */
export const AVERAGE_EVERY = 4;

/**
 * The decay for an update at optimizer step `steps` (1-based): TensorFlow's warm-up min(decay, (1 + n) / (10 + n))
 * per step, so the first steps' weights (random ones) do not linger, raised to AVERAGE_EVERY.
 */
export function averageDecay(decay: number, steps: number): number {
  return Math.min(decay, (1 + steps) / (10 + steps)) ** AVERAGE_EVERY;
}

/**
 * The average of every weight of a model (kernels, biases and BatchNorm's moving statistics), in the model's
 * weight order, so that it encodes and decodes as the model's own weights do.
 */
export class WeightAverage {
  private readonly model: tf.LayersModel;
  private readonly decay: number;
  private readonly averages: tf.Variable[];

  /** Starts from the model's current weights, or from a checkpoint's average (`from`). */
  constructor(model: tf.LayersModel, decay: number, from: EncodedWeights | null = null) {
    this.model = model;
    this.decay = decay;
    this.averages = model.weights.map((weight) => tf.variable(weight.read(), false));
    if (from) this.load(from);
  }

  /** Folds the live weights in after optimizer step `steps` (1-based); only every AVERAGE_EVERY steps. */
  update(steps: number): void {
    if (steps % AVERAGE_EVERY !== 0) return;
    const d = averageDecay(this.decay, steps);
    tf.tidy(() => {
      this.model.weights.forEach((weight, i) => {
        const average = this.averages[i];
        average.assign(tf.add(tf.mul(average, d), tf.mul(weight.read(), 1 - d)));
      });
    });
  }

  /** Runs `work` with the averaged weights in the model, then puts the live weights back (also on failure). */
  async withAveragedWeights<T>(work: () => Promise<T>): Promise<T> {
    const restore = this.swapIn();
    try {
      return await work();
    } finally {
      restore();
    }
  }

  /** The average, encoded as model weights (decodeModelWeights loads it into a model of the same network). */
  encode(): Promise<EncodedWeights> {
    return this.withAveragedWeights(() => encodeModelWeights(this.model));
  }

  /**
   * Puts the averaged weights in the model; returns what puts the live ones back. tfjs never writes a tensor
   * in place (a variable's assign swaps in new data), so the model and the average may share data meanwhile.
   */
  private swapIn(): () => void {
    const live = this.model.weights.map((weight) => tf.clone(weight.read()));
    this.model.weights.forEach((weight, i) => weight.write(this.averages[i]));
    return () => {
      this.model.weights.forEach((weight, i) => weight.write(live[i]));
      tf.dispose(live);
    };
  }

  private load(encoded: EncodedWeights): void {
    const restore = this.swapIn();
    try {
      decodeModelWeights(this.model, encoded);
      this.model.weights.forEach((weight, i) => this.averages[i].assign(weight.read()));
    } finally {
      restore();
    }
  }

  dispose(): void {
    tf.dispose(this.averages);
  }
}
