import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlainConv2D } from './conv2d-layer';
import { forEachBuild, initCpuAndWasm, randomInput } from '../../wasm-training/wasm-test-utils';

beforeAll(initCpuAndWasm);

/** Two 3x3 convs (4 -> 6 -> 5 channels, no bias), as `conv2d` makes them, with weights from seeds. */
function twoConvs(conv2d: (args: Parameters<typeof tf.layers.conv2d>[0]) => tf.layers.Layer): tf.Sequential {
  const model = tf.sequential({
    layers: [
      conv2d({ inputShape: [7, 7, 4], filters: 6, kernelSize: 3, padding: 'same', useBias: false }),
      conv2d({ filters: 5, kernelSize: 3, padding: 'valid', strides: 2, useBias: false }),
    ],
  });
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(randomInput(w.shape, 40 + i).values as Float32Array, w.shape)));
  return model;
}

/** Output and weight gradients of sum(model(x) * dy). */
function outputAndGrads(model: tf.Sequential, x: tf.Tensor, dy: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const loss = () => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, dy)) as tf.Scalar;
    const { grads } = tf.variableGrads(loss, model.trainableWeights.map((w) => w.read() as tf.Variable));
    return [model.apply(x) as tf.Tensor, ...Object.values(grads)].map((t) => t.dataSync() as Float32Array);
  });
}

/** PlainConv2D against tfjs Conv2D on `backend`: the output and every gradient. */
async function expectSameAsTfjsConv(backend: string) {
  await tf.setBackend(backend);
  const x = tf.tensor(randomInput([3, 7, 7, 4], 50).values as Float32Array, [3, 7, 7, 4]);
  const dy = tf.tensor(randomInput([3, 3, 3, 5], 51).values as Float32Array, [3, 3, 3, 5]);
  const ours = twoConvs((args) => new PlainConv2D(args));
  const theirs = twoConvs((args) => tf.layers.conv2d(args));
  const [a, b] = [outputAndGrads(ours, x, dy), outputAndGrads(theirs, x, dy)];
  expect(a).toHaveLength(3);
  a.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 4)));
  tf.dispose([x, dy]);
  ours.dispose();
  theirs.dispose();
}

describe('PlainConv2D', () => {
  it('gives the same output and weight gradients as tfjs Conv2D (cpu)', () => expectSameAsTfjsConv('cpu'));

  it('skips the input gradient of the first conv (its input is data), where the fused op computed it', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 7, 7, 4]);
    const dy = tf.randomNormal([2, 3, 3, 5]);
    const inputGradCalls = async (model: tf.Sequential) => {
      const profile = await tf.profile(() => outputAndGrads(model, x, dy));
      return profile.kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
    };
    expect(await inputGradCalls(twoConvs((args) => new PlainConv2D(args)))).toBe(1);
    expect(await inputGradCalls(twoConvs((args) => tf.layers.conv2d(args)))).toBe(2);
    tf.dispose([x, dy]);
  });

  it('keeps tfjs own call for a conv with bias or activation', async () => {
    await tf.setBackend('wasm');
    const layer = new PlainConv2D({ inputShape: [5, 5, 2], filters: 3, kernelSize: 3, activation: 'relu' });
    const profile = await tf.profile(() => layer.apply(tf.ones([1, 5, 5, 2])) as tf.Tensor);
    expect(profile.kernels.map((k) => k.name)).toContain('FusedConv2D');
  });

  it('serialises as tfjs Conv2D and loads back into PlainConv2D', async () => {
    const model = twoConvs((args) => new PlainConv2D(args));
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(saved!.modelTopology)).toContain('"class_name":"Conv2D"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[0]).toBeInstanceOf(PlainConv2D);
    loaded.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(model.getWeights()[i].dataSync())));
  });
});

forEachBuild(() => {
  it('gives the same output and weight gradients as tfjs Conv2D (wasm)', () => expectSameAsTfjsConv('wasm'));
});
