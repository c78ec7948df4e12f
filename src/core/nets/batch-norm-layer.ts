// The nets' BatchNormalization layer: tfjs-layers' own, except that in training mode on a backend with the
// fused kernel (our 'wasm' kernels, wasm/batch-norm-training.ts) the batch statistics, the normalisation and
// their gradient run as one kernel each way instead of ~20 element-wise ones. Same weights, same
// moving-average update, same class name in saved models (which load into this class once it is
// registered, and into tfjs' own elsewhere). Pure tfjs; no DOM.
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAINING, backendHasKernel } from '../training/backend-extensions';
import { BatchNormalizationLayer, batchNormalizationFields } from '../tfjs-internals';

type Kwargs = Parameters<InstanceType<typeof BatchNormalizationLayer>['call']>[1];

export class FusedBatchNormalization extends BatchNormalizationLayer {
  /** Serialised under tfjs' own name, so saved models stay standard. */
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const f = batchNormalizationFields(this);
    const fused =
      kwargs.training === true &&
      f.gamma !== null &&
      f.beta !== null &&
      f.center &&
      f.scale &&
      x.dtype === 'float32' &&
      x.rank >= 2 &&
      (f.axis === -1 || f.axis === x.rank - 1) &&
      backendHasKernel(BATCH_NORM_TRAINING);
    if (!fused) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x, gamma: f.gamma!.read(), beta: f.beta!.read() }, { varianceEpsilon: f.epsilon }) as tf.Tensor[];
      // Keras' update, as tfjs-layers writes it: moving -= (moving - batch) * (1 - momentum).
      for (const [moving, batch] of [
        [f.movingMean, mean],
        [f.movingVariance, variance],
      ] as const)
        tf.tidy(() => {
          const value = moving.read();
          moving.write(tf.sub(value, tf.mul(tf.sub(value, batch), 1 - f.momentum)));
        });
      return y;
    });
  }
}

// Saved models' BatchNormalization layers load as this class wherever this module is loaded (the nets and the
// wasm training kernels import it).
// (Its static fromConfig is inherited from tfjs' Serializable, which the extracted base class' type does not show.)
tf.serialization.registerClass(FusedBatchNormalization as unknown as tf.serialization.SerializableConstructor<FusedBatchNormalization>);
