import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { trainStep } from '../core/training/train-step';
import { expectClose, forEachBuild, initCpuAndWasm, randomValues } from './wasm-test-utils';

beforeAll(initCpuAndWasm);

/**
 * A small net with every kind of layer the three architectures train: valid and same convs with L2,
 * BatchNorm, ReLU, max pools (2x2 and 3x3 'same'), a separable conv, a 1x1 stride-2 shortcut, an add,
 * global average pooling and dense softmax. No dropout: its random masks differ between backends.
 */
function smallNet(): tf.LayersModel {
  const input = tf.input({ shape: [20, 20, 1] });
  let x = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(tf.layers.batchNormalization().apply(x)) as tf.SymbolicTensor; // 18x18x4
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor; // 9x9x8
  const shortcut = tf.layers.conv2d({ filters: 12, kernelSize: 1, strides: 2, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  let y = tf.layers.separableConv2d({ filters: 12, kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization().apply(y) as tf.SymbolicTensor;
  y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as tf.SymbolicTensor; // 5x5x12
  x = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 7, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

/** SGD that keeps a copy of the gradients it applies. */
class RecordingSgd extends tf.SGDOptimizer {
  gradients: Float32Array[] = [];
  applyGradients(variableGradients: Parameters<tf.SGDOptimizer['applyGradients']>[0]): void {
    const list = Array.isArray(variableGradients) ? variableGradients.map((g) => g.tensor) : Object.values(variableGradients);
    this.gradients = list.map((g) => Float32Array.from(g.dataSync()));
    super.applyGradients(variableGradients);
  }
}

interface StepResult {
  loss: number;
  gradients: Float32Array[];
  weightsAfter: Float32Array[];
  leaked: number;
}

async function stepOn(backend: 'cpu' | 'wasm', initialWeights: Float32Array[]): Promise<StepResult> {
  await tf.setBackend(backend);
  const model = smallNet();
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initialWeights[i], w.shape)));
  const optimizer = new RecordingSgd(0.1);
  const xs = tf.tensor4d(randomValues(6 * 20 * 20, 51), [6, 20, 20, 1]);
  const labels = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
  const weights = tf.tensor1d([1, 2, 1, 1, 0.5, 1, 1]);
  // One step to create the optimizer's state, then measure tensors across the next.
  tf.dispose(Object.values(trainStep(model, optimizer, xs, labels, weights)));
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initialWeights[i], w.shape)));
  const before = tf.memory().numTensors;
  const { loss, correct } = trainStep(model, optimizer, xs, labels, weights);
  const result = {
    loss: (await loss.data())[0],
    gradients: optimizer.gradients,
    weightsAfter: model.getWeights().map((w) => Float32Array.from(w.dataSync())),
    leaked: 0,
  };
  tf.dispose([loss, correct]);
  result.leaked = tf.memory().numTensors - before;
  tf.dispose([xs, labels, weights]);
  model.dispose();
  optimizer.dispose();
  return result;
}

forEachBuild(() => {
  describe('trainStep on WASM', () => {
    it('gives the CPU backend loss, gradients and updated weights (BatchNorm moving stats included)', async () => {
      await tf.setBackend('cpu');
      const reference = smallNet();
      const initialWeights = reference.getWeights().map((w) => Float32Array.from(w.dataSync()));
      reference.dispose();
      const cpu = await stepOn('cpu', initialWeights);
      const wasm = await stepOn('wasm', initialWeights);
      expect(wasm.loss).toBeCloseTo(cpu.loss, 5);
      expect(wasm.gradients.length).toBe(cpu.gradients.length);
      cpu.gradients.forEach((g, i) => expectClose(wasm.gradients[i], g, 1e-4, `gradient ${i}`));
      cpu.weightsAfter.forEach((w, i) => expectClose(wasm.weightsAfter[i], w, 1e-5, `weight ${i} after the step`));
      expect(cpu.leaked).toBe(0);
      expect(wasm.leaked).toBe(0);
    });
  });
});
