import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsOf, testMetadata, tinyClassifier } from '../testing/tiny-model';
import { ModelFileError } from './metadata-validation';
import { METADATA_JSON, MODEL_JSON, modelPackageFiles, packageBaseName, readModelPackage, WEIGHTS_BIN, zipPackage, type PackageFile } from './model-package';

let model: tf.LayersModel;
let files: PackageFile[];
let params: number;
const input = () => tf.randomNormal([3, 48, 48, 1], 0, 1, 'float32', 7);

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = tinyClassifier(3);
  params = model.countParams();
  files = modelPackageFiles(testMetadata('m-export', params), await artifactsOf(model));
});

afterAll(() => model.dispose());

const file = (name: string) => files.find((f) => f.name === name)!;
const text = (name: string, value: string): PackageFile => ({ name, bytes: new TextEncoder().encode(value) });
/** The weights with value number `index` (across all tensors, float32) set to `value`. */
const withWeight = (index: number, value: number) => {
  const bytes = file(WEIGHTS_BIN).bytes.slice();
  new DataView(bytes.buffer).setFloat32(index * 4, value, true);
  return bytes;
};
const metaWith = (changes: object) => text(METADATA_JSON, JSON.stringify({ ...JSON.parse(new TextDecoder().decode(file(METADATA_JSON).bytes)), ...changes }));

async function predictions(m: tf.LayersModel): Promise<number[]> {
  const x = input();
  const y = m.predict(x) as tf.Tensor;
  const values = Array.from(await y.data());
  tf.dispose([x, y]);
  return values;
}

describe('model package', () => {
  it('exports model.json (tf.io.browserDownloads layout), the weights and metadata.json', () => {
    expect(files.map((f) => f.name)).toEqual([MODEL_JSON, WEIGHTS_BIN, METADATA_JSON]);
    const json = JSON.parse(new TextDecoder().decode(file(MODEL_JSON).bytes));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest).toEqual([{ paths: ['./model.weights.bin'], weights: expect.any(Array) }]);
    expect(file(WEIGHTS_BIN).bytes.length).toBe(params * 4);
    const meta = JSON.parse(new TextDecoder().decode(file(METADATA_JSON).bytes));
    expect(meta.labels).toEqual(['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral']);
    expect(meta.standardization.mean).toHaveLength(2304);
    expect(packageBaseName({ name: 'compact · demo · 41.2 % val', id: 'x' })).toBe('compact-demo-41-2-val');
  });

  it('the exported model.json loads with plain tf.loadLayersModel over HTTP and predicts the same', async () => {
    const server: Server = createServer((request, response) => {
      const found = files.find((f) => `/${f.name}` === request.url);
      if (!found) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': found.name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }).end(found.bytes);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const loaded = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
      expect(await predictions(loaded)).toEqual(await predictions(model));
      loaded.dispose();
    } finally {
      server.close();
    }
  });

  it('reads the three files back (in any order, under any names) into identical predictions', async () => {
    const renamed = [{ ...file(METADATA_JSON), name: 'metadata (1).json' }, { ...file(WEIGHTS_BIN), name: 'model (1).weights.bin' }, { ...file(MODEL_JSON), name: 'model (1).json' }];
    const read = readModelPackage(renamed);
    expect(read.meta.id).toBe('m-export');
    expect(read.files).toEqual(['model (1).json', 'model (1).weights.bin', 'metadata (1).json']);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(read.artifacts));
    expect(await predictions(loaded)).toEqual(await predictions(model));
    loaded.dispose();
  });

  it('reads a model of any label set: three classes of its own, and FER2013\u2019s names in another order', async () => {
    const own = tinyClassifier(5, 3);
    const ownFiles = modelPackageFiles(testMetadata('own', own.countParams(), { labels: ['cat', 'dog', 'owl'], labelStyle: { colors: ['#111111', '#222222', '#333333'] } }), await artifactsOf(own));
    const read = readModelPackage(ownFiles);
    expect(read.meta.labels).toEqual(['cat', 'dog', 'owl']);
    expect(read.meta.labelStyle?.colors).toEqual(['#111111', '#222222', '#333333']);
    own.dispose();
    const reordered = readModelPackage([file(MODEL_JSON), file(WEIGHTS_BIN), metaWith({ labels: ['Happy', 'Angry', 'Disgust', 'Fear', 'Sad', 'Surprise', 'Neutral'] })]);
    expect(reordered.meta.labels[0]).toBe('Happy');
  });

  it('reads a .zip of the three files', async () => {
    const zip = zipPackage(files);
    const read = readModelPackage([{ name: 'export.zip', bytes: zip }]);
    expect(read.files).toEqual(['export.zip/model.json', 'export.zip/model.weights.bin', 'export.zip/metadata.json']);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(read.artifacts));
    expect(await predictions(loaded)).toEqual(await predictions(model));
    loaded.dispose();
  });

  describe('refuses broken sets with a message naming the file', () => {
    const otherArchitecture = async () => {
      const other = tf.sequential();
      other.add(tf.layers.conv2d({ inputShape: [48, 48, 1], filters: 8, kernelSize: 4, strides: 4 }));
      other.add(tf.layers.globalAveragePooling2d({}));
      other.add(tf.layers.dense({ units: 7, activation: 'softmax' }));
      const out = modelPackageFiles(testMetadata('other', other.countParams()), await artifactsOf(other));
      other.dispose();
      return out;
    };
    const cases: [string, () => Promise<PackageFile[]> | PackageFile[], RegExp][] = [
      ['model.json that is not JSON', () => [text('model.json', 'weights?'), file(WEIGHTS_BIN), file(METADATA_JSON)], /^model\.json: not valid JSON/],
      ['a truncated model.json', () => [{ name: 'model.json', bytes: file(MODEL_JSON).bytes.slice(0, 100) }, file(WEIGHTS_BIN), file(METADATA_JSON)], /^model\.json: not valid JSON .*truncated/],
      ['metadata.json that is not JSON', () => [file(MODEL_JSON), file(WEIGHTS_BIN), text('metadata.json', '')], /^metadata\.json: not valid JSON .* it is empty/],
      ['truncated weights', () => [file(MODEL_JSON), { name: WEIGHTS_BIN, bytes: file(WEIGHTS_BIN).bytes.slice(0, 100) }, file(METADATA_JSON)], /^model\.weights\.bin: 100 bytes, but model\.json needs [\d,]+ \(it is truncated/],
      ['weights of another architecture', async () => [file(MODEL_JSON), (await otherArchitecture())[1], file(METADATA_JSON)], /model\.weights\.bin: [\d,]+ bytes, but model\.json needs [\d,]+ \(it belongs to another, larger model\)/],
      ['metadata of another model', async () => [file(MODEL_JSON), file(WEIGHTS_BIN), (await otherArchitecture())[2]], /metadata\.json describes a compact network with [\d,]+ parameters, but model\.json holds \d+: the files come from different models/],
      ['missing metadata', () => [file(MODEL_JSON), file(WEIGHTS_BIN)], /^missing metadata\.json \(labels and standardisation/],
      ['missing weights', () => [file(MODEL_JSON), file(METADATA_JSON)], /^missing the weights file model\.weights\.bin/],
      ['missing model.json', () => [file(WEIGHTS_BIN), file(METADATA_JSON)], /^missing model\.json/],
      ['malformed metadata', () => [file(MODEL_JSON), file(WEIGHTS_BIN), text('metadata.json', JSON.stringify({ ...testMetadata('x', params), labels: [] }))], /^metadata\.json: "labels" must be/],
      ['an unrelated JSON file', () => [file(MODEL_JSON), file(WEIGHTS_BIN), text('package.json', '{"name":"x"}')], /^package\.json: neither a TensorFlow\.js model\.json/],
      ['a photo', () => [...files, { name: 'face.png', bytes: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) }], /^face\.png: not part of a model export/],
      ['two models', () => [...files, { ...file(MODEL_JSON), name: 'b.json' }], /^two model\.json files \(model\.json and b\.json\)/],
      ['a graph model', () => [text('model.json', '{"format":"graph-model","modelTopology":{},"weightsManifest":[]}'), file(WEIGHTS_BIN), file(METADATA_JSON)], /only TensorFlow\.js layers models/],
      ['a truncated zip', () => [{ name: 'm.zip', bytes: zipPackage(files).slice(0, 200) }], /^m\.zip: not a readable ZIP archive/],
      ['a zip without metadata', () => [{ name: 'm.zip', bytes: zipPackage(files.slice(0, 2)) }], /^missing metadata\.json/],
      ['nothing', () => [], /^no files were given/],
      // 300 MB of zeros deflate to ~300 KB: refused from the sizes the archive declares, before inflating.
      ['a zip bomb', () => [{ name: 'bomb.zip', bytes: zipSync({ 'model.weights.bin': [new Uint8Array(300 * 2 ** 20), { level: 1 }] }) }], /^bomb\.zip: unpacks to more than 256 MB \(300 MB by model\.weights\.bin\); no model of this app is that large/],
      // One NaN in a conv kernel, or an infinite BatchNorm variance: the tensor is named.
      ['a NaN in a weight', () => [file(MODEL_JSON), { name: WEIGHTS_BIN, bytes: withWeight(5, NaN) }, file(METADATA_JSON)], /^model\.weights\.bin: weight "[^"]+" holds NaN at index 5: a model with non-finite weights/],
      ['an infinite weight in the last tensor', () => [file(MODEL_JSON), { name: WEIGHTS_BIN, bytes: withWeight(params - 1, Infinity) }, file(METADATA_JSON)], /weight "[^"]+" holds Infinity at index \d+/],
      ['more class names than the model has outputs', () => [file(MODEL_JSON), file(WEIGHTS_BIN), metaWith({ labels: ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral', 'Contempt'] })], /^metadata\.json names 8 classes \(Angry, .*Contempt\), but the model in model\.json outputs 7: the files do not belong together/],
      ['a class name twice', () => [file(MODEL_JSON), file(WEIGHTS_BIN), metaWith({ labels: ['Angry', 'Angry', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'] })], /^metadata\.json: "labels" must be a list of 2 to 20 distinct class names.*"Angry" occurs twice/],
    ];
    for (const [name, make, message] of cases) {
      it(name, async () => {
        const input = await make();
        expect(() => readModelPackage(input)).toThrow(ModelFileError);
        expect(() => readModelPackage(input)).toThrow(message);
      });
    }
  });
});

describe('weights paths in model.json: only the dropped files are read', () => {
  const jsonOf = () => JSON.parse(new TextDecoder().decode(file(MODEL_JSON).bytes)) as tf.io.ModelJSON;
  const asFile = (json: tf.io.ModelJSON) => text(MODEL_JSON, JSON.stringify(json));

  /** Reads with fetch replaced by a recorder: a path followed anywhere would show up as a call (or a failure). */
  function readWithoutNetwork(input: PackageFile[]) {
    const calls: unknown[] = [];
    const original = globalThis.fetch;
    globalThis.fetch = async (...args: unknown[]) => {
      calls.push(args[0]);
      throw new Error('no network in this test');
    };
    try {
      return { read: readModelPackage(input), calls };
    } finally {
      globalThis.fetch = original;
    }
  }

  it.each([['https://evil.example/steal.bin?token=1'], ['../../../etc/passwd'], ['/absolute/model.weights.bin']])(
    'ignores the path %s: the dropped .bin is the weights, and no path is kept',
    async (path) => {
      const json = jsonOf();
      json.weightsManifest[0].paths = [path];
      const { read, calls } = readWithoutNetwork([asFile(json), file(WEIGHTS_BIN), file(METADATA_JSON)]);
      expect(calls).toEqual([]);
      expect(new Uint8Array(read.artifacts.weightData as ArrayBuffer)).toEqual(file(WEIGHTS_BIN).bytes);
      expect(read.files).toEqual([MODEL_JSON, WEIGHTS_BIN, METADATA_JSON]);
      // Nothing of the path reaches what is saved and built.
      expect(JSON.stringify({ ...read.artifacts, weightData: null })).not.toContain(path);
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(read.artifacts));
      expect(await predictions(loaded)).toEqual(await predictions(model));
      loaded.dispose();
    },
  );

  it('with several weight files, a URL or "../" path picks a dropped file by its base name only', async () => {
    const json = jsonOf();
    const specs = json.weightsManifest[0].weights;
    const firstBytes = specs.slice(0, 2).reduce((n, spec) => n + spec.shape.reduce((a, b) => a * b, 1) * 4, 0);
    json.weightsManifest = [
      { paths: ['https://cdn.example/a/shard1.bin'], weights: specs.slice(0, 2) },
      { paths: ['../../shard2.bin'], weights: specs.slice(2) },
    ];
    const bytes = file(WEIGHTS_BIN).bytes;
    const shards = [
      { name: 'shard2.bin', bytes: bytes.slice(firstBytes) },
      { name: 'shard1.bin', bytes: bytes.slice(0, firstBytes) },
    ];
    const { read, calls } = readWithoutNetwork([asFile(json), ...shards, file(METADATA_JSON)]);
    expect(calls).toEqual([]);
    expect(read.files).toEqual([MODEL_JSON, 'shard1.bin', 'shard2.bin', METADATA_JSON]);
    expect(new Uint8Array(read.artifacts.weightData as ArrayBuffer)).toEqual(bytes);
    // Files the manifest does not name by base name are not taken, whatever the path around the name says.
    const renamed = shards.map((shard, i) => ({ ...shard, name: `other${i}.bin` }));
    expect(() => readModelPackage([asFile(json), ...renamed, file(METADATA_JSON)])).toThrow(/^missing the weight file shard1\.bin that model\.json lists$/);
  });
});

describe('the layers of model.json are checked before anything is built', () => {
  const withTopology = (change: (layers: Record<string, unknown>[]) => void) => {
    const json = JSON.parse(new TextDecoder().decode(file(MODEL_JSON).bytes));
    change(json.modelTopology.config.layers);
    return [text(MODEL_JSON, JSON.stringify(json)), file(WEIGHTS_BIN), file(METADATA_JSON)];
  };

  it('refuses layers that need more parameters than the weights hold', () => {
    const input = withTopology((layers) => Object.assign(layers.at(-1)!.config as object, { units: 4000 }));
    expect(() => readModelPackage(input)).toThrow(ModelFileError);
    expect(() => readModelPackage(input)).toThrow(new RegExp(`^model\\.json: its layers hold [\\d,]+ parameters but its weights manifest declares ${params}: the layers and the weights do not belong together$`));
  });

  it('refuses too many layers, and a layer too wide, naming it', () => {
    const deep = withTopology((layers) => layers.splice(3, 0, ...Array.from({ length: 1000 }, (_, i) => ({ class_name: 'Dropout', config: { rate: 0.1, name: `d${i}` } }))));
    expect(() => readModelPackage(deep)).toThrow(/^model\.json: 1,005 layers; the most this app accepts is 1,000$/);
    const wide = withTopology((layers) => Object.assign(layers[0].config as object, { filters: 1_000_000, name: 'huge' }));
    expect(() => readModelPackage(wide)).toThrow(/^model\.json: layer "huge" \(Conv2D\) has 1,000,000 filters; the most this app accepts is 8,192$/);
  });
});
