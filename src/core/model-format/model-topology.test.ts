import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactsOf, tinyClassifier } from '../testing/tiny-model';
import { ARCHITECTURES, buildModel } from '../nets/architectures';
import { ModelFileError } from './metadata-validation';
import { checkTopology, MAX_LAYERS, MAX_PARAMS, MAX_UNITS } from './model-topology';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

type Json = Record<string, unknown>;

/** The tiny classifier's topology (Sequential: Conv 4x4/4 -> BN -> ReLU -> GAP -> Dense 7) and its weight specs. */
async function tiny(): Promise<{ topology: Json; specs: tf.io.WeightsManifestEntry[]; params: number }> {
  const model = tinyClassifier(1);
  const artifacts = await artifactsOf(model);
  const params = model.countParams();
  model.dispose();
  return { topology: structuredClone(artifacts.modelTopology) as Json, specs: artifacts.weightSpecs!, params };
}

const layersOf = (topology: Json) => (topology.config as { layers: Json[] }).layers;
const configOf = (layer: Json) => layer.config as Json;
const refuses = (topology: unknown, specs: tf.io.WeightsManifestEntry[], message: RegExp) => {
  expect(() => checkTopology(topology, specs, 'model.json')).toThrow(ModelFileError);
  expect(() => checkTopology(topology, specs, 'model.json')).toThrow(message);
};

describe('checkTopology', () => {
  it.each(ARCHITECTURES.map((name) => [name]))('counts %s\u2019s parameters from its layers alone, as tfjs does once it is built', async (name) => {
    for (const classes of [7, 3]) {
      const model = buildModel(name, classes);
      const artifacts = await artifactsOf(model);
      const summary = checkTopology(artifacts.modelTopology, artifacts.weightSpecs!, 'model.json');
      expect(summary.params).toBe(model.countParams());
      expect(summary.layers).toBe(layersOf(artifacts.modelTopology as Json).length);
      model.dispose();
    }
  });

  it('reads Keras\u2019 layout too (the topology under "model_config")', async () => {
    const { topology, specs, params } = await tiny();
    expect(checkTopology({ keras_version: '2.15.0', backend: 'tensorflow', model_config: topology }, specs, 'model.json')).toEqual({ layers: 5, params });
  });

  it('refuses layers that hold more parameters than the manifest declares, naming both counts', async () => {
    const { topology, specs, params } = await tiny();
    const dense = layersOf(topology).at(-1)!;
    configOf(dense).units = 4000; // 4 features -> 4000 units: 20,000 parameters where the weights hold 35
    const implied = params - (4 * 7 + 7) + (4 * 4000 + 4000);
    refuses(
      topology,
      specs,
      new RegExp(`^model\\.json: its layers hold ${implied.toLocaleString('en-US')} parameters but its weights manifest declares ${params}: the layers and the weights do not belong together$`),
    );
  });

  it('refuses more than MAX_LAYERS layers', async () => {
    const { topology, specs } = await tiny();
    const layers = layersOf(topology);
    layers.splice(3, 0, ...Array.from({ length: MAX_LAYERS }, (_, i) => ({ class_name: 'Dropout', config: { rate: 0.1, name: `drop${i}` } })));
    refuses(topology, specs, /^model\.json: 1,005 layers; the most this app accepts is 1,000$/);
  });

  it('refuses a layer wider than MAX_UNITS, naming it', async () => {
    const { topology, specs } = await tiny();
    configOf(layersOf(topology)[0]).filters = MAX_UNITS + 1;
    configOf(layersOf(topology)[0]).name = 'wide';
    refuses(topology, specs, /^model\.json: layer "wide" \(Conv2D\) has 8,193 filters; the most this app accepts is 8,192$/);
    const dense = await tiny();
    configOf(layersOf(dense.topology).at(-1)!).units = 100_000;
    refuses(dense.topology, dense.specs, /\(Dense\) has 100,000 units; the most this app accepts is 8,192$/);
  });

  it('refuses more than MAX_PARAMS parameters in all, before comparing with the manifest', async () => {
    const { topology, specs } = await tiny();
    // A full-resolution conv (48x48x8192 'same') flattened into a Dense of 7: each layer within the caps, 1.3 G in all.
    const [conv, , , , dense] = layersOf(topology);
    Object.assign(configOf(conv), { filters: MAX_UNITS, kernel_size: [1, 1], strides: [1, 1], padding: 'same', use_bias: false });
    layersOf(topology).splice(1, 3, { class_name: 'Flatten', config: { name: 'flat' } });
    expect(layersOf(topology).map((l) => l.class_name)).toEqual(['Conv2D', 'Flatten', dense.class_name]);
    const params = 8192 + 48 * 48 * 8192 * 7 + 7;
    expect(params).toBeGreaterThan(MAX_PARAMS);
    refuses(topology, specs, new RegExp(`^model\\.json: its layers hold ${params.toLocaleString('en-US')} parameters; the most this app accepts is 50,000,000$`));
  });

  it('refuses layers it cannot account for, and wiring that does not add up', async () => {
    const lstm = await tiny();
    layersOf(lstm.topology).splice(3, 0, { class_name: 'LSTM', config: { units: 8, name: 'memory' } });
    refuses(lstm.topology, lstm.specs, /^model\.json: layer "memory" is a LSTM, which this app cannot check/);

    const big = await tiny();
    Object.assign(configOf(layersOf(big.topology)[0]), { kernel_size: [49, 49], strides: [1, 1], padding: 'valid' });
    refuses(big.topology, big.specs, /layer "[^"]+" shrinks its 48-pixel input to nothing/);

    const noInput = await tiny();
    delete configOf(layersOf(noInput.topology)[0]).batch_input_shape;
    refuses(noInput.topology, noInput.specs, /the first layer \("[^"]+"\) declares no input shape/);

    refuses({ class_name: 'Sequential', config: { layers: [] } }, [], /^model\.json: the model has no layers$/);
    refuses({ class_name: 'Model', config: {} }, [], /^model\.json: the model has no layers$/);
    refuses({}, [], /^model\.json: "modelTopology" names no model class/);
  });

  it('follows a functional model\u2019s wiring by layer name, and refuses an input from a layer it does not have', async () => {
    const input = tf.input({ shape: [48, 48, 1] });
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'a' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'b' }).apply(input) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate({ name: 'joined' }).apply([a, b]) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({ name: 'pooled' }).apply(joined) as tf.SymbolicTensor;
    const output = tf.layers.dense({ units: 7, activation: 'softmax', name: 'out' }).apply(pooled) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const artifacts = await artifactsOf(model);
    // 3*3*1*4 + 4, 1*1*1*4 + 4, then 8 channels into Dense 7: 8*7 + 7.
    expect(checkTopology(artifacts.modelTopology, artifacts.weightSpecs!, 'model.json').params).toBe(40 + 8 + 63);
    expect(model.countParams()).toBe(111);
    const broken = structuredClone(artifacts.modelTopology) as Json;
    const pooledLayer = layersOf(broken).find((l) => l.name === 'pooled')!;
    pooledLayer.inbound_nodes = [[['ghost', 0, 0, {}]]];
    refuses(broken, artifacts.weightSpecs!, /^model\.json: layer "(pooled|out)" takes its input from a layer the model does not have/);
    model.dispose();
  });
});
