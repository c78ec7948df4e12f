import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModel } from '../core/nets/architectures';
import { useWinograd } from './conv2d-simd';
import { stepArithmetic, stepMultiplyAdds } from './step-arithmetic';

afterAll(() => useWinograd(true));

function tinyNet(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 8, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', useBias: false }));
  model.add(tf.layers.separableConv2d({ filters: 5, kernelSize: 3, padding: 'same', useBias: false }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3 }));
  return model;
}

describe('stepArithmetic', () => {
  it('counts each pass by the algorithm our kernels run, worked out by hand for a small net', () => {
    const model = tinyNet();
    const counts = stepArithmetic(model).map(({ forward, inputGrad, weightGrad }) => [forward, inputGrad, weightGrad]);
    model.dispose();
    expect(counts).toEqual([
      // 8x8, 1 -> 8, 3x3: one input channel, direct (8*8*9*1*8); the first layer has no input gradient.
      [4608, 0, 4608],
      // 8x8, 8 -> 4, 3x3 stride 1: Winograd, 16 per 2x2 tile and channel pair (16 tiles), all three passes.
      [8192, 8192, 8192],
      // stride 2 to 4x4, 4 -> 6: direct (4*4*9*4*6).
      [3456, 3456, 3456],
      // separable on 4x4x6: depthwise 4*4*9*6 = 864, pointwise 1x1 6 -> 5 = 480.
      [1344, 1344, 1344],
      // dense 80 -> 3.
      [240, 240, 240],
    ]);
  });

  it('with Winograd off, the 3x3 stride-1 conv counts the direct 36 per 2x2 outputs', () => {
    useWinograd(false);
    const model = tinyNet();
    const second = stepArithmetic(model)[1];
    model.dispose();
    useWinograd(true);
    expect(second.forward).toBe(8 * 8 * 9 * 8 * 4);
  });

  it('every net of the app: below its direct-conv FLOPs (Winograd) and above a third of them', () => {
    for (const name of ['compact', 'vgg-s', 'mini-xception'] as const) {
      const model = buildModel(name, 7);
      const total = stepMultiplyAdds(model);
      // Direct-conv forward multiply-adds, three passes (the first layer's input gradient included: an upper bound).
      let direct = 0;
      for (const layer of stepArithmetic(model)) direct += layer.forward;
      model.dispose();
      expect(total, name).toBeGreaterThan(direct);
      expect(total, name).toBeLessThan(3 * direct);
    }
  });
});
