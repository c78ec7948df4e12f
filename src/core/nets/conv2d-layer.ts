// The nets' Conv2D layer: tfjs-layers' own, except that a conv without bias or activation runs as the plain
// Conv2D op instead of the fused one. Same output. The difference is the gradient: the fused op's computes
// the input gradient and the filter gradient together, always; the plain op's computes each only when
// backpropagation asks for it, so a net's first conv, whose input is data, skips its input gradient (a conv
// as costly as the forward one). Same class name in saved models (which load into this class once it is
// registered). Pure tfjs; no DOM.
import * as tf from '@tensorflow/tfjs';
import { Conv2DLayer, conv2DFields } from '../tfjs-internals';

type Kwargs = Parameters<InstanceType<typeof Conv2DLayer>['call']>[1];

export class PlainConv2D extends Conv2DLayer {
  /** Serialised under tfjs' own name, so saved models stay standard. */
  static className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const f = conv2DFields(this);
    const plain = f.rank === 2 && f.bias === null && f.activation.getClassName() === 'linear' && f.dataFormat === 'channelsLast' && f.padding !== 'causal';
    if (!plain) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.conv2d(x as tf.Tensor4D, f.kernel.read(), f.strides, f.padding as 'valid' | 'same', 'NHWC', f.dilationRate);
    });
  }
}

// Saved models' Conv2D layers load as this class wherever this module is loaded (the nets import it).
// (Its static fromConfig is inherited from tfjs' Serializable, which the extracted base class' type does not show.)
tf.serialization.registerClass(PlainConv2D as unknown as tf.serialization.SerializableConstructor<PlainConv2D>);
