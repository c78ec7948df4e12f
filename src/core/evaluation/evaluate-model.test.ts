import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIXELS } from '../dataset/face-format';
import { createRng } from '../random';
import { tinyClassifier } from '../testing/tiny-model';
import { predictFaces } from './evaluate-model';
import { tenCropProbabilities } from './ten-crop';

let model: tf.LayersModel;
const rows = 10;
const random = createRng(5);
const pixels = Uint8Array.from({ length: rows * PIXELS }, () => Math.floor(random() * 256));
const labels = Uint8Array.from({ length: rows }, (_, i) => i % 7);
const mean = Float32Array.from({ length: PIXELS }, (_, j) => 90 + (j % 48)); // not mirror-symmetric on purpose
const std = Float32Array.from({ length: PIXELS }, (_, j) => 40 + (j % 7));

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = tinyClassifier(11);
});
afterAll(() => model.dispose());

/** The model's output for faces standardised by hand, mirrored left-right first when asked. */
function reference(mirror: boolean): Float32Array {
  const input = new Float32Array(rows * PIXELS);
  for (let r = 0; r < rows; r++) {
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 48; x++) {
        const source = r * PIXELS + y * 48 + (mirror ? 47 - x : x);
        input[r * PIXELS + y * 48 + x] = (pixels[source] - mean[y * 48 + x]) / std[y * 48 + x];
      }
    }
  }
  return tf.tidy(() => (model.predict(tf.tensor4d(input, [rows, 48, 48, 1])) as tf.Tensor).dataSync() as Float32Array);
}

describe('predictFaces', () => {
  it('standardises with the given statistics, mirrors raw faces for TTA, in batches, and leaves no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const out = await predictFaces(model, { pixels, labels }, { mean, std, flip: true, batchSize: 4, onProgress: (done) => progress.push(done) });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([4, 8, 10]);
    expect(out.classes).toBe(7);
    const plain = reference(false);
    const mirrored = reference(true);
    out.probs.forEach((p, i) => expect(p).toBeCloseTo(plain[i], 5));
    out.flippedProbs!.forEach((p, i) => expect(p).toBeCloseTo(mirrored[i], 5));
    expect(Array.from(out.flippedProbs!)).not.toEqual(Array.from(out.probs));
  });

  it('ten-crop: averages the ten views of each standardised face, batch by batch, leaving no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const out = await predictFaces(model, { pixels, labels }, { mean, std, flip: false, tenCrop: true, batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    const input = tf.tensor4d(Float32Array.from(pixels, (p, i) => (p - mean[i % PIXELS]) / std[i % PIXELS]), [rows, 48, 48, 1]);
    const byHand = tf.tidy(() => tenCropProbabilities(input, (views) => model.predict(views) as tf.Tensor2D));
    expect(Array.from(out.tenCropProbs!)).toEqual(Array.from(byHand.dataSync()).map((v) => expect.closeTo(v, 5)));
    expect(Array.from(out.tenCropProbs!)).not.toEqual(Array.from(out.probs));
    tf.dispose([input, byHand]);
  });

  it('without flip, gives no mirrored probabilities and the same plain ones', async () => {
    const out = await predictFaces(model, { pixels, labels }, { mean, std, flip: false, batchSize: 3 });
    expect(out.flippedProbs).toBeNull();
    const plain = reference(false);
    out.probs.forEach((p, i) => expect(p).toBeCloseTo(plain[i], 5));
  });

  it('stops between batches when aborted, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const abort = new AbortController();
    const run = predictFaces(model, { pixels, labels }, { mean, std, flip: true, batchSize: 2, signal: abort.signal, onProgress: (done) => done >= 4 && abort.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('applies a softmax to a model that outputs scores', async () => {
    const scores = tf.sequential();
    scores.add(tf.layers.flatten({ inputShape: [48, 48, 1] }));
    scores.add(tf.layers.dense({ units: 3, kernelInitializer: 'ones', biasInitializer: 'zeros' }));
    const out = await predictFaces(scores, { pixels: pixels.subarray(0, 2 * PIXELS), labels: labels.subarray(0, 2) }, { mean, std, flip: false });
    expect(out.probs[0] + out.probs[1] + out.probs[2]).toBeCloseTo(1, 5);
    scores.dispose();
  });

  it('refuses statistics of the wrong size', async () => {
    await expect(predictFaces(model, { pixels, labels }, { mean: new Float32Array(3), std, flip: false })).rejects.toThrow('standardisation needs 2304');
  });
});
