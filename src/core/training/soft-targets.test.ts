// Training on per-face target distributions (crowd votes, FER+'s modes): the loss by hand, its gradient, the
// batches the loop builds, and short training runs.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usageSplit, labelledRows } from '../dataset/splits';
import { computePixelStats } from '../dataset/standardize';
import type { DatasetBuffers } from '../dataset/types';
import { generateDemoBuffers } from '../demo/synthetic-faces';
import { voteTargets, type VoteMode } from '../labels/targets';
import { createRng } from '../random';
import { tinyClassifier } from '../testing/tiny-model';
import { NO_AUGMENTATION } from './augment';
import { defaultTrainConfig, type TrainConfig } from './train-config';
import { crossEntropy, trainStep, type SoftTargets } from './train-step';
import { batchTensors, runTraining, type EpochMetrics, type TrainingData } from './training-loop';
import { tinyTrainingNet } from '../testing/tiny-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const value = (t: tf.Scalar) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

/** Mean loss of crossEntropy on plain arrays (tensors made and disposed here). */
function loss(probs: number[][], targets: number[][], options: { weights?: number[]; smoothing?: number; multiTarget?: boolean } = {}): number {
  return tf.tidy(() => {
    const soft: SoftTargets = { targets: tf.tensor2d(targets), multiTarget: options.multiTarget ?? false };
    const labels = tf.tensor1d(targets.map((row) => row.indexOf(Math.max(...row))), 'int32');
    const weights = options.weights ? tf.tensor1d(options.weights) : null;
    return crossEntropy(tf.tensor2d(probs), labels, weights, options.smoothing ?? 0, soft).dataSync()[0];
  });
}

describe('crossEntropy against a distribution', () => {
  const probs = [
    [0.5, 0.3, 0.2],
    [0.1, 0.6, 0.3],
  ];
  const targets = [
    [0.6, 0.4, 0],
    [0, 0.5, 0.5],
  ];
  const ln = Math.log;
  const l0 = -(0.6 * ln(0.5) + 0.4 * ln(0.3));
  const l1 = -(0.5 * ln(0.6) + 0.5 * ln(0.3));

  it('is -sum t log p per face, averaged over the batch', () => {
    expect(loss(probs, targets)).toBeCloseTo((l0 + l1) / 2, 6);
  });

  it('composes with label smoothing: the target becomes (1 - s) t + s / classes', () => {
    const s = 0.2;
    const smoothed = targets.map((row) => row.map((t) => (1 - s) * t + s / 3));
    const perFace = probs.map((row, i) => -row.reduce((sum, p, k) => sum + smoothed[i][k] * ln(p), 0));
    expect(loss(probs, targets, { smoothing: s })).toBeCloseTo((perFace[0] + perFace[1]) / 2, 6);
  });

  it('composes with class weights: a face weighs its targets\u2019 mix of class weights; normalised by the batch size', () => {
    const w = [2, 1, 0.5];
    const w0 = 0.6 * 2 + 0.4 * 1; // 1.6
    const w1 = 0.5 * 1 + 0.5 * 0.5; // 0.75
    expect(loss(probs, targets, { weights: w })).toBeCloseTo((w0 * l0 + w1 * l1) / 2, 6);
    // Both: the smoothed target in the log term, the unsmoothed targets' weight mix (as for hard labels, whose weight is w[label]).
    const s = 0.1;
    const perFace = probs.map((row, i) => -row.reduce((sum, p, k) => sum + ((1 - s) * targets[i][k] + s / 3) * ln(p), 0));
    expect(loss(probs, targets, { weights: w, smoothing: s })).toBeCloseTo((w0 * perFace[0] + w1 * perFace[1]) / 2, 6);
  });

  it('on one-hot targets equals the hard-label loss, with smoothing and class weights', () => {
    const p = [
      [0.7, 0.1, 0.05, 0.05, 0.04, 0.03, 0.03],
      [0.1, 0.1, 0.5, 0.1, 0.1, 0.05, 0.05],
    ];
    const hard = [0, 2];
    const w = [1.5, 1, 0.7, 1, 1, 2, 1];
    const oneHot = hard.map((k) => Array.from({ length: 7 }, (_, c) => (c === k ? 1 : 0)));
    const expected = tf.tidy(() => crossEntropy(tf.tensor2d(p), tf.tensor1d(hard, 'int32'), tf.tensor1d(w), 0.1).dataSync()[0]);
    expect(loss(p, oneHot, { weights: w, smoothing: 0.1 })).toBeCloseTo(expected, 6);
  });

  it('clips probabilities: a zero probability where the target is zero costs nothing, where it is not costs -log 1e-7', () => {
    expect(loss([[1, 0, 0]], [[1, 0, 0]])).toBeCloseTo(0, 5);
    expect(loss([[0.5, 0.5, 0]], [[0.5, 0, 0.5]])).toBeCloseTo(-(0.5 * ln(0.5) + 0.5 * ln(1e-7)), 4);
  });

  it('has the gradient (p - t) / batch with respect to the logits', () => {
    const logits = tf.tensor2d([
      [0.2, -0.5, 1.0],
      [1.5, 0.3, -0.2],
    ]);
    const t = tf.tensor2d(targets);
    const labels = tf.tensor1d([0, 1], 'int32');
    const grad = tf.grad((z: tf.Tensor) => crossEntropy(tf.softmax(z as tf.Tensor2D), labels, null, 0, { targets: t, multiTarget: false }))(logits);
    const expected = tf.div(tf.sub(tf.softmax(logits), t), 2);
    expect(Array.from(grad.dataSync()).map((g, i) => g - expected.dataSync()[i]).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    tf.dispose([logits, t, labels, grad, expected]);
  });
});

describe('crossEntropy, multi-target', () => {
  const probs = [
    [0.1, 0.5, 0.4],
    [0.7, 0.2, 0.1],
  ];
  // Accepted classes: face 0 {0, 2} (its most probable class 1 is not accepted), face 1 {1, 2}.
  const targets = [
    [0.6, 0, 0.4],
    [0, 0.5, 0.5],
  ];

  it('is -log of the highest probability among the accepted classes, whatever their weights', () => {
    const expected = (-Math.log(0.4) - Math.log(0.2)) / 2;
    expect(loss(probs, targets, { multiTarget: true })).toBeCloseTo(expected, 6);
    expect(loss(probs, [[0.1, 0, 0.9], [0, 0.9, 0.1]], { multiTarget: true })).toBeCloseTo(expected, 6);
  });

  it('ignores label smoothing and takes class weights as the targets\u2019 mix', () => {
    const expected = (-Math.log(0.4) - Math.log(0.2)) / 2;
    expect(loss(probs, targets, { multiTarget: true, smoothing: 0.3 })).toBeCloseTo(expected, 6);
    const w = [2, 1, 0.5];
    expect(loss(probs, targets, { multiTarget: true, weights: w })).toBeCloseTo((-(0.6 * 2 + 0.4 * 0.5) * Math.log(0.4) - (0.5 + 0.25) * Math.log(0.2)) / 2, 6);
  });

  it('pushes up only the best accepted class: gradient (p - e_j) / batch on the logits', () => {
    const logits = tf.tensor2d([[0.1, 1.2, 0.9]]); // softmax ~ [0.17, 0.50, 0.33]: class 2 is the best accepted one
    const t = tf.tensor2d([[0.6, 0, 0.4]]);
    const grad = tf.grad((z: tf.Tensor) => crossEntropy(tf.softmax(z as tf.Tensor2D), tf.tensor1d([0], 'int32'), null, 0, { targets: t, multiTarget: true }))(logits);
    const p = tf.softmax(logits).dataSync();
    const g = grad.dataSync();
    [p[0], p[1], p[2] - 1].forEach((expected, k) => expect(g[k]).toBeCloseTo(expected, 5));
    tf.dispose([logits, t, grad]);
  });
});

/** Demo faces (FER2013's seven) with crowd-like votes: 7 for the face's class, 3 for the next one. */
function votedBuffers(): DatasetBuffers {
  const buffers = generateDemoBuffers({ training: 140, publicTest: 35, privateTest: 35, seed: 9 });
  const votes = new Uint8Array(buffers.rows * 9);
  buffers.labels.forEach((label, row) => {
    votes[row * 9 + label] = 7;
    votes[row * 9 + ((label + 1) % 7)] = 3;
  });
  return { ...buffers, votes };
}

function votedData(mode: VoteMode): TrainingData {
  const buffers = votedBuffers();
  const soft = voteTargets(buffers, mode)!;
  const split = usageSplit(buffers.usage);
  return { buffers, train: labelledRows(soft.labels, split.train), validation: split.validation, stats: computePixelStats(buffers.pixels, split.train), soft };
}

describe('batchTensors with soft targets', () => {
  it('crossentropy: each face\u2019s distribution; the labels (for accuracy) are the top classes', () => {
    const data = votedData('crossentropy');
    const rows = data.train.subarray(0, 5);
    const { xs, labels, soft } = batchTensors(data, rows, new Float32Array(5 * 2304), { targets: data.soft!, random: createRng(1) });
    expect(soft!.multiTarget).toBe(false);
    const values = soft!.targets.arraySync();
    rows.forEach((row, r) => {
      const label = data.buffers.labels[row];
      const expected = Array.from({ length: 7 }, (_, k) => (k === label ? 0.7 : k === (label + 1) % 7 ? 0.3 : 0));
      values[r].forEach((v, k) => expect(v).toBeCloseTo(expected[k], 6));
    });
    expect(Array.from(labels.dataSync())).toEqual(Array.from(rows, (row) => data.buffers.labels[row]));
    tf.dispose([xs, labels, soft!.targets]);
  });

  it('probability: one-hot on a class drawn from the distribution, the same for the same seed', () => {
    const data = votedData('probability');
    const rows = data.train;
    const draw = (seed: number) => {
      const { xs, labels, soft } = batchTensors(data, rows, new Float32Array(rows.length * 2304), { targets: data.soft!, random: createRng(seed) });
      const picked = (soft!.targets.arraySync() as number[][]).map((row) => {
        expect(row.reduce((a, b) => a + b, 0)).toBe(1);
        return row.indexOf(1);
      });
      expect(Array.from(labels.dataSync())).toEqual(Array.from(rows, (row) => data.buffers.labels[row]));
      tf.dispose([xs, labels, soft!.targets]);
      return picked;
    };
    const first = draw(3);
    expect(draw(3)).toEqual(first);
    expect(draw(4)).not.toEqual(first);
    // Each face gets its own class or the next one, the own class about 70 % of the time.
    let own = 0;
    first.forEach((k, i) => {
      const label = data.buffers.labels[rows[i]];
      expect([label, (label + 1) % 7]).toContain(k);
      if (k === label) own++;
    });
    expect(own / rows.length).toBeGreaterThan(0.55);
    expect(own / rows.length).toBeLessThan(0.85);
  });

  it('multi-target: flags the multi-target loss', () => {
    const data = votedData('multi-target');
    const { xs, labels, soft } = batchTensors(data, data.train.subarray(0, 2), new Float32Array(2 * 2304), { targets: data.soft!, random: createRng(1) });
    expect(soft!.multiTarget).toBe(true);
    tf.dispose([xs, labels, soft!.targets]);
  });
});

describe('trainStep with soft targets', () => {
  it('trains towards the distribution: the loss approaches its entropy, not 0', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [48, 48, 1] }), tf.layers.dense({ units: 3, activation: 'softmax' })] });
    const optimizer = tf.train.adam(0.05);
    // Zero faces: only the output bias learns, so the optimum is softmax(bias) = t exactly.
    const xs = tf.zeros([4, 48, 48, 1]) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 0, 0, 0], 'int32');
    const t = [0.6, 0.3, 0.1];
    const targets = tf.tensor2d([t, t, t, t]);
    const entropy = -t.reduce((sum, p) => sum + p * Math.log(p), 0);
    let last = Infinity;
    for (let i = 0; i < 300; i++) {
      const step = trainStep(model, optimizer, xs, labels, null, 0, { targets, multiTarget: false });
      last = value(step.loss);
      step.correct.dispose();
    }
    expect(last).toBeGreaterThanOrEqual(entropy - 1e-4);
    expect(last).toBeLessThan(entropy + 0.01);
    const probs = model.predict(tf.zeros([1, 48, 48, 1])) as tf.Tensor;
    Array.from(probs.dataSync()).forEach((p, k) => expect(p).toBeCloseTo(t[k], 1));
    tf.dispose([xs, labels, targets, probs]);
    model.dispose();
    optimizer.dispose();
  });
});

const tinyModel = () => tinyTrainingNet();

function config(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return { ...defaultTrainConfig('compact'), batchSize: 32, learningRate: 0.01, augment: NO_AUGMENTATION, epochs: 4, earlyStoppingPatience: 0, ...overrides };
}

async function train(mode: VoteMode, overrides: Partial<TrainConfig> = {}, createModel: () => tf.LayersModel = tinyModel) {
  const data = votedData(mode);
  const before = tf.memory().numTensors;
  const tensorsAtEpochEnd: number[] = [];
  const epochs: EpochMetrics[] = [];
  const result = await runTraining(data, config({ voteMode: mode, ...overrides }), {
    createModel,
    onEpoch: (m) => {
      epochs.push(m);
      tensorsAtEpochEnd.push(tf.memory().numTensors);
    },
  });
  return { data, result, epochs, tensorsAtEpochEnd, leaked: tf.memory().numTensors - before };
}

describe('runTraining on soft targets', () => {
  it('crossentropy: the loss falls towards the targets\u2019 entropy, tensors stay flat across epochs', async () => {
    const { result, epochs, tensorsAtEpochEnd, leaked } = await train('crossentropy', { augment: { flip: true, maxShift: 0.05, maxRotationDeg: 5, maxZoom: 0.05 } });
    expect(result.reason).toBe('completed');
    expect(epochs).toHaveLength(4);
    expect(epochs[3].loss).toBeLessThan(epochs[0].loss);
    // Cross-entropy against 0.7 / 0.3 targets is never below their entropy (0.611): the targets really are soft.
    const entropy = -(0.7 * Math.log(0.7) + 0.3 * Math.log(0.3));
    expect(epochs.every((m) => m.loss >= entropy - 1e-3)).toBe(true);
    expect(epochs.every((m) => m.valAccuracy >= 0 && m.valAccuracy <= 1 && Number.isFinite(m.valLoss))).toBe(true);
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);
    expect(leaked).toBe(0);
  });

  it('probability: the same seed draws the same labels, so two runs give the same losses', async () => {
    // Seeded initial weights, so only the run's seed (shuffle, augmentation, draws) decides.
    const seeded = () => tinyClassifier(3);
    const a = await train('probability', { epochs: 2 }, seeded);
    const b = await train('probability', { epochs: 2 }, seeded);
    expect(b.epochs.map((m) => m.loss)).toEqual(a.epochs.map((m) => m.loss));
    const c = await train('probability', { epochs: 2, seed: 7 }, seeded);
    expect(c.epochs.map((m) => m.loss)).not.toEqual(a.epochs.map((m) => m.loss));
    expect(new Set(a.tensorsAtEpochEnd).size).toBe(1);
    expect(a.leaked).toBe(0);
  });

  it('multi-target with balanced class weights and label smoothing: trains, tensors flat', async () => {
    const { result, epochs, tensorsAtEpochEnd, leaked } = await train('multi-target', { classWeights: 'balanced', labelSmoothing: 0.1 });
    expect(result.state.epoch).toBe(4);
    expect(epochs[3].loss).toBeLessThan(epochs[0].loss);
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);
    expect(leaked).toBe(0);
  });
});
