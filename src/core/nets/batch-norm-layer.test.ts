import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedBatchNormalization } from './batch-norm-layer';
import { BATCH_NORM_TRAINING } from '../training/backend-extensions';
import { expectSameOnBoth, forEachBuild, initCpuAndWasm, randomInput, runOnBoth, type Input } from '../../wasm-training/wasm-test-utils';

beforeAll(initCpuAndWasm);

/** A layer built for inputs of `shape`, with seeded gamma/beta and moving statistics, on the active backend. */
function layerFor(shape: number[], momentum = 0.9): FusedBatchNormalization {
  const channels = shape[shape.length - 1];
  const layer = new FusedBatchNormalization({ momentum, epsilon: 1e-3 });
  layer.build([null, ...shape.slice(1)]);
  layer.setWeights([
    tf.tensor1d(randomInput([channels], 91).values as Float32Array).add(1),
    tf.tensor1d(randomInput([channels], 92).values as Float32Array),
    tf.tensor1d(randomInput([channels], 93).values as Float32Array),
    tf.tensor1d(randomInput([channels], 94).values as Float32Array).abs().add(0.5),
  ]);
  return layer;
}

/** x shifted and scaled: activations whose mean is large next to their spread test the statistics' accuracy. */
function shifted(input: Input, scale: number, shift: number): Input {
  return { shape: input.shape, values: (input.values as Float32Array).map((v) => v * scale + shift) };
}

// On 'wasm' the layer runs the fused kernel, on 'cpu' tfjs' own BatchNormalization (its fallback): the same
// layer, compared across the two.
// The fused kernel (bn_moments, normalize_cols; bn_grad_sums, bn_input_grad) on both builds of kernels.c.
forEachBuild(() => {
  describe('FusedBatchNormalization in training mode', () => {
    it.each([
      [[6, 5, 5, 12], 1, 0, 'conv activations'],
      [[4, 7, 7, 7], 3, 10, '7 channels, mean 10 next to spread 3'],
      [[50, 6], 0.01, 100, '2-D, mean 100 next to spread 0.01'],
    ] as [number[], number, number, string][])('%j x*%f+%f (%s): output, gradients and moving statistics match tfjs on the CPU', async (shape, scale, shift) => {
      const x = shifted(randomInput(shape, 95), scale, shift);
      const dy = randomInput(shape, 96);
      // Made before the run (their variables would count as leaked tensors), each on its backend.
      const layers: Record<string, FusedBatchNormalization> = {};
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        layers[backend] = layerFor(shape);
      }
      await expectSameOnBoth('forward + gradients', [x, dy], (xt, dyt) => {
        const layer = layers[tf.getBackend()];
        const loss = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, dyt)) as tf.Scalar;
        const y = layer.apply(xt, { training: true }) as tf.Tensor;
        const dx = tf.grad(loss)(xt);
        const { grads } = tf.variableGrads(() => loss(xt), layer.trainableWeights.map((w) => w.read() as tf.Variable));
        return [y, dx, ...Object.values(grads)];
      }, 1e-4); // norm-wise (expectClose): per-channel sums over the batch in another order than tfjs' CPU loops
      // Three training-mode calls each moved the moving mean and variance the same way.
      const [cpuMoving, wasmMoving] = ['cpu', 'wasm'].map((b) =>
        layers[b].getWeights().slice(2).map((w) => Array.from(w.dataSync())),
      );
      for (let i = 0; i < 2; i++) wasmMoving[i].forEach((v, c) => expect(v).toBeCloseTo(cpuMoving[i][c], 3));
    });
  });

  describe('the fused kernel when its statistics feed the loss too', () => {
    it('gives the full gradient (through mean and variance) like moments + batchNorm on the CPU', async () => {
      const x = shifted(randomInput([5, 4, 4, 6], 97), 2, 3);
      const gamma = randomInput([6], 98);
      const beta = randomInput([6], 99);
      const { cpu, wasm } = await runOnBoth([x, gamma, beta], (xt, g, b) =>
        tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => {
          let y: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor;
          if (tf.getBackend() === 'wasm') [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAINING, { x: a, gamma: c, beta: d }, { varianceEpsilon: 1e-3 }) as tf.Tensor[];
          else {
            ({ mean, variance } = tf.moments(a, [0, 1, 2]));
            y = tf.batchNorm(a, mean, variance, d, c, 1e-3);
          }
          return tf.addN([tf.sum(tf.square(y)), tf.sum(tf.mul(mean, 3)), tf.sum(tf.mul(variance, -2))]);
        })([xt, g, b]),
      );
      cpu.values.forEach((expected, i) => {
        const scale = Math.max(...expected.map(Math.abs));
        wasm.values[i].forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThanOrEqual(1e-4 * scale));
      });
    });
  });
});

describe('FusedBatchNormalization', () => {
  it('runs as one kernel each way on wasm (and the inference path is tfjs own)', async () => {
    await tf.setBackend('wasm');
    const layer = layerFor([4, 3, 3, 8]);
    const x = tf.randomNormal([4, 3, 3, 8]);
    const profile = await tf.profile(() => tf.grad((input: tf.Tensor) => tf.sum(layer.apply(input, { training: true }) as tf.Tensor))(x));
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain(BATCH_NORM_TRAINING);
    expect(names).toContain('FerBatchNormInputGrad');
    expect(names).not.toContain('Square');
    const inference = await tf.profile(() => layer.apply(x) as tf.Tensor);
    expect(inference.kernels.map((k) => k.name)).toContain('FusedBatchNorm');
    tf.dispose(x);
  });

  it('serialises as tfjs BatchNormalization and loads back into the fused layer', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), new FusedBatchNormalization({ momentum: 0.9 })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(saved!.modelTopology)).toContain('"class_name":"BatchNormalization"');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    expect(loaded.layers[1]).toBeInstanceOf(FusedBatchNormalization);
    loaded.getWeights().forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(model.getWeights()[i].dataSync())));
  });
});

