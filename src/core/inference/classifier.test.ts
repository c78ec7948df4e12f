import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIXELS } from '../dataset/face-format';
import { FER2013_EMOTIONS } from '../labels/fer2013';
import { buildModel } from '../nets/architectures';
import { classifierBundleOf } from './bundle';
import { tenCropProbabilities } from '../evaluation/ten-crop';
import { argMaxRow, classifyFaces, disposeClassifier, loadClassifier } from './classifier';
import { faceSaliency } from './grad-cam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const mean = new Float32Array(PIXELS).fill(128);
const std = new Float32Array(PIXELS).fill(64);

/** n standardised faces with a bright blob at a different place in each. */
function faces(n: number): Float32Array {
  const out = new Float32Array(n * PIXELS).fill(-1);
  for (let f = 0; f < n; f++)
    for (let y = 0; y < 12; y++)
      for (let x = 0; x < 12; x++) out[f * PIXELS + (y + 6 * f) * 48 + x + 5 * f] = 2;
  return out;
}

async function compactBundle(id = 'compact-test') {
  const model = buildModel('compact', 7);
  const bundle = await classifierBundleOf(model, { id, name: 'Compact test', mean, std, labels: FER2013_EMOTIONS });
  model.dispose();
  return bundle;
}

describe('loadClassifier + classifyFaces', () => {
  it('loads a bundle and gives one probability row per face', async () => {
    const classifier = await loadClassifier(await compactBundle());
    expect(classifier.addsSoftmax).toBe(false);
    const probs = await classifyFaces(classifier, faces(3));
    expect(probs.length).toBe(3 * FER2013_EMOTIONS.length);
    for (let row = 0; row < 3; row++) {
      const sum = probs.subarray(row * 7, row * 7 + 7).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 4);
      expect(argMaxRow(probs, 7, row)).toBeGreaterThanOrEqual(0);
    }
    expect((await classifyFaces(classifier, new Float32Array(0))).length).toBe(0);
    disposeClassifier(classifier);
  });

  it('ten-crop: averages the ten views of each face, probabilities still summing to 1', async () => {
    const classifier = await loadClassifier(await compactBundle());
    const inputs = faces(2);
    const before = tf.memory().numTensors;
    const probs = await classifyFaces(classifier, inputs, { tenCrop: true });
    expect(tf.memory().numTensors).toBe(before);
    const byHand = tf.tidy(() => tenCropProbabilities(tf.tensor4d(inputs, [2, 48, 48, 1]), (x) => classifier.model.predict(x) as tf.Tensor2D).dataSync());
    Array.from(probs).forEach((p, i) => expect(p).toBeCloseTo(byHand[i], 5));
    expect(probs.subarray(7, 14).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    disposeClassifier(classifier);
  });

  it('adds a softmax to a model that outputs raw scores', async () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [48, 48, 1] }), tf.layers.dense({ units: 7 })],
    });
    const classifier = await loadClassifier(
      await classifierBundleOf(model, { id: 'logits', name: 'Logits', mean, std, labels: FER2013_EMOTIONS }),
    );
    model.dispose();
    expect(classifier.addsSoftmax).toBe(true);
    const probs = await classifyFaces(classifier, faces(2));
    expect(probs.subarray(0, 7).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(Math.min(...probs)).toBeGreaterThanOrEqual(0);
    disposeClassifier(classifier);
  });

  it('refuses a model that does not take 48x48 gray faces, naming it', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [64, 64, 3] }),
        tf.layers.dense({ units: 7, activation: 'softmax' }),
      ],
    });
    const bundle = await classifierBundleOf(model, { id: 'rgb', name: 'RGB net', mean, std, labels: FER2013_EMOTIONS });
    model.dispose();
    const before = tf.memory().numTensors;
    await expect(loadClassifier(bundle)).rejects.toThrow(
      'model "RGB net" takes input [batch, 64, 64, 3]; faces here are [batch, 48, 48, 1] gray',
    );
    expect(tf.memory().numTensors).toBe(before);
    await expect(
      loadClassifier({
        ...bundle,
        name: 'Wrong labels',
        artifacts: (await compactBundle()).artifacts,
        labels: ['a', 'b'],
      }),
    ).rejects.toThrow('model "Wrong labels" gives output [batch, 7] but has 2 labels');
  });
});

describe('faceSaliency', () => {
  it('Grad-CAM lights up the region that raises the class and nothing for a class it lowers', async () => {
    // conv 1x1 (weight 1) keeps the image as one 48x48 map; GAP; dense [+1, -1] -> softmax.
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({
          inputShape: [48, 48, 1],
          filters: 1,
          kernelSize: 1,
          useBias: false,
          activation: 'relu',
          kernelInitializer: 'ones',
          name: 'map',
        }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'zeros', name: 'out' }),
      ],
    });
    model.getLayer('out').setWeights([tf.tensor2d([[1, -1]]), tf.zeros([2])]);
    const classifier = await loadClassifier(
      await classifierBundleOf(model, { id: 'toy', name: 'Toy', mean, std, labels: ['bright', 'dark'] }),
    );
    model.dispose();
    const input = new Float32Array(PIXELS).fill(-1); // ReLU'd to 0
    for (let y = 4; y < 16; y++) for (let x = 30; x < 44; x++) input[y * 48 + x] = 3; // the bright patch
    const bright = faceSaliency(classifier, input, 0);
    expect(bright.method).toBe('grad-cam');
    expect(bright.layerName).toBe('map');
    expect(bright.mapSize).toBe(48);
    expect(bright.heat[10 * 48 + 36]).toBeCloseTo(1, 4);
    expect(bright.heat[40 * 48 + 10]).toBe(0);
    const dark = faceSaliency(classifier, input, 1);
    expect(Math.max(...dark.heat)).toBe(0);
    disposeClassifier(classifier);
  });

  it('works on the compact and mini-xception nets, and on a net with no conv layer (input gradient)', async () => {
    for (const name of ['compact', 'mini-xception'] as const) {
      const model = buildModel(name, 7);
      const classifier = await loadClassifier(await classifierBundleOf(model, { id: name, name, mean, std, labels: FER2013_EMOTIONS }));
      model.dispose();
      const saliency = faceSaliency(classifier, faces(1), 3);
      expect(saliency.method).toBe('grad-cam');
      expect(saliency.heat.length).toBe(PIXELS);
      expect(saliency.mapSize).toBeGreaterThanOrEqual(6);
      expect(Math.max(...saliency.heat)).toBeLessThanOrEqual(1);
      expect(Math.min(...saliency.heat)).toBeGreaterThanOrEqual(0);
      disposeClassifier(classifier);
    }
    const dense = tf.sequential({
      layers: [
        tf.layers.flatten({ inputShape: [48, 48, 1] }),
        tf.layers.dense({ units: 7, activation: 'softmax' }),
      ],
    });
    const classifier = await loadClassifier(
      await classifierBundleOf(dense, { id: 'dense', name: 'Dense', mean, std, labels: FER2013_EMOTIONS }),
    );
    dense.dispose();
    const saliency = faceSaliency(classifier, faces(1), 0);
    expect(saliency.method).toBe('gradient');
    expect(Math.max(...saliency.heat)).toBeCloseTo(1, 5);
    disposeClassifier(classifier);
  });

  it('leaves the tensor count flat across repeated predictions and saliency maps', async () => {
    const classifier = await loadClassifier(await compactBundle('flat'));
    const input = faces(2);
    await classifyFaces(classifier, input);
    faceSaliency(classifier, input.subarray(0, PIXELS), 0);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await classifyFaces(classifier, input);
      faceSaliency(classifier, input.subarray(PIXELS), i);
    }
    expect(tf.memory().numTensors).toBe(before);
    disposeClassifier(classifier);
  });
});
