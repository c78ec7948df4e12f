// Node-side (Playwright process): a small classifier built at test time for the "Try it" tests, and
// predictions on raw 48x48 rows to compare the app's with. Nothing here is committed data: the model is
// derived from the FER2013 sample at run time and lives in memory only.
import { tenCropProbabilities } from '../src/core/evaluation/ten-crop';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { computePixelStats, standardizeRows } from '../src/core/dataset/standardize';
import { PIXELS } from '../src/core/dataset/face-format';
import { FER2013_EMOTIONS } from '../src/core/labels/fer2013';
import { classifierBundleOf } from '../src/core/inference/bundle';
import { buildModel } from '../src/core/nets/architectures';
import type { ClassifierBundle } from '../src/core/model-format/classifier-bundle';

export interface FerRows {
  /** Uint8Array(n*2304), row-major 48x48 per row. */
  pixels: Uint8Array;
  labels: Uint8Array;
  usages: string[];
  count: number;
}

/** Reads a FER2013-format CSV with a plain split (the app's own parser is not under test here). */
export function readFerCsv(path: string): FerRows {
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n').slice(1);
  const pixels = new Uint8Array(lines.length * PIXELS);
  const labels = new Uint8Array(lines.length);
  const usages: string[] = [];
  lines.forEach((line, row) => {
    const [label, values, usage] = line.split(',');
    labels[row] = Number(label);
    usages.push(usage.trim());
    pixels.set(values.split(' ').map(Number), row * PIXELS);
  });
  return { pixels, labels, usages, count: lines.length };
}

/** A ClassifierBundle in JSON-safe form, for page.evaluate (binary parts as base64). */
export interface SerializedBundle {
  id: string;
  name: string;
  labels: string[];
  modelTopology: unknown;
  weightSpecs: unknown;
  weightData: string;
  mean: string;
  std: string;
}

const base64 = (bytes: ArrayBufferLike | Uint8Array | Float32Array) =>
  Buffer.from(
    bytes instanceof ArrayBuffer || bytes instanceof SharedArrayBuffer
      ? new Uint8Array(bytes)
      : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
  ).toString('base64');

export function serializeBundle(bundle: ClassifierBundle): SerializedBundle {
  const weightData = bundle.artifacts.weightData;
  if (!(weightData instanceof ArrayBuffer)) throw new Error('expected one weight buffer');
  return {
    id: bundle.id,
    name: bundle.name,
    labels: [...bundle.labels],
    modelTopology: bundle.artifacts.modelTopology,
    weightSpecs: bundle.artifacts.weightSpecs,
    weightData: base64(weightData),
    mean: base64(bundle.mean),
    std: base64(bundle.std),
  };
}

/** A 48x48 row enlarged to size x size with bilinear interpolation (pixel centres aligned), 0–255 floats. */
export function enlargeBilinear(pixels: ArrayLike<number>, size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const sy = Math.min(47, Math.max(0, ((y + 0.5) * 48) / size - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(47, y0 + 1);
    const fy = sy - y0;
    for (let x = 0; x < size; x++) {
      const sx = Math.min(47, Math.max(0, ((x + 0.5) * 48) / size - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(47, x0 + 1);
      const fx = sx - x0;
      out[y * size + x] =
        (1 - fy) * ((1 - fx) * pixels[y0 * 48 + x0] + fx * pixels[y0 * 48 + x1]) +
        fy * ((1 - fx) * pixels[y1 * 48 + x0] + fx * pixels[y1 * 48 + x1]);
    }
  }
  return out;
}

let backendReady: Promise<void> | null = null;

/** tfjs in this Node process: the WASM backend (XNNPACK convs, single-threaded in Node). */
function nodeBackend(): Promise<void> {
  backendReady ??= (async () => {
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
    await tf.setBackend('wasm');
    await tf.ready();
  })();
  return backendReady;
}

export interface FixtureClassifier {
  bundle: ClassifierBundle;
  /**
   * Class probabilities of raw rows (standardised with the bundle's statistics): Float32Array(n*7); averaged
   * over the ten crops with `tenCrop`.
   */
  predictRows(pixels: Uint8Array, options?: { tenCrop?: boolean }): Promise<Float32Array>;
}

/**
 * The compact architecture with seeded random convolutions and a softmax head fitted on the GAP features of
 * `trainRows` (a "random features" classifier). Weak (~23 % on FER test rows with 400 training rows) and more
 * sensitive to framing than a trained net, but its answers depend on the face rather than collapsing onto one
 * class as an untrained net's do. Built in ~7 s. (Fitting the head on shifted/scaled copies as well made it
 * neither more accurate nor less sensitive.)
 */
export async function fixtureClassifier(train: FerRows, trainRows: number[]): Promise<FixtureClassifier> {
  await nodeBackend();
  const model = buildModel('compact', FER2013_EMOTIONS.length);
  let seed = 7;
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    if (weights.length === 0 || layer.getClassName() !== 'Conv2D') continue;
    const [kh, kw, cin, cout] = weights[0].shape;
    const limit = Math.sqrt(6 / (kh * kw * (cin + cout))); // Glorot uniform, seeded
    layer.setWeights([
      tf.randomUniform(weights[0].shape, -limit, limit, 'float32', seed++),
      ...weights.slice(1),
    ]);
  }
  const stats = computePixelStats(train.pixels, trainRows);
  const gap = model.layers.find((layer) => layer.getClassName() === 'GlobalAveragePooling2D')!;
  const head = model.layers[model.layers.length - 1];
  const featureModel = tf.model({ inputs: model.inputs, outputs: gap.output as tf.SymbolicTensor });

  const x = tf.tensor4d(standardizeRows(train.pixels, trainRows, stats), [trainRows.length, 48, 48, 1]);
  const features = featureModel.predict(x, { batchSize: 64 }) as tf.Tensor2D;
  x.dispose();
  // Standardise the features, fit a softmax regression on them, then fold the standardisation into the head.
  const { mean: featureMean, variance } = tf.moments(features, 0);
  const featureStd = tf.sqrt(tf.add(variance, 1e-6));
  const z = tf.div(tf.sub(features, featureMean), featureStd);
  const y = tf.oneHot(
    tf.tensor1d(
      trainRows.map((row) => train.labels[row]),
      'int32',
    ),
    FER2013_EMOTIONS.length,
  );
  const regression = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [features.shape[1]],
        units: FER2013_EMOTIONS.length,
        activation: 'softmax',
        kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
      }),
    ],
  });
  regression.compile({ optimizer: tf.train.adam(0.05), loss: 'categoricalCrossentropy' });
  await regression.fit(z, y, { epochs: 150, batchSize: trainRows.length, verbose: 0 });
  const [w, b] = regression.getWeights();
  const kernel = tf.div(w, tf.reshape(featureStd, [-1, 1]));
  const bias = tf.sub(b, tf.squeeze(tf.matMul(tf.reshape(tf.div(featureMean, featureStd), [1, -1]), w)));
  head.setWeights([kernel, bias]);
  tf.dispose([features, featureMean, variance, featureStd, z, y, kernel, bias]); // w and b belong to `regression`
  regression.dispose();

  const bundle = await classifierBundleOf(model, {
    id: 'fixture-compact',
    name: 'Test fixture (compact, random conv features + fitted head)',
    mean: stats.mean,
    std: stats.std,
    labels: FER2013_EMOTIONS,
  });
  return {
    bundle,
    async predictRows(pixels: Uint8Array, options: { tenCrop?: boolean } = {}) {
      const count = pixels.length / PIXELS;
      const input = tf.tensor4d(
        standardizeRows(
          pixels,
          Array.from({ length: count }, (_, i) => i),
          stats,
        ),
        [count, 48, 48, 1],
      );
      const probs = options.tenCrop
        ? tenCropProbabilities(input, (views) => model.predict(views) as tf.Tensor2D)
        : (model.predict(input) as tf.Tensor);
      const values = (await probs.data()) as Float32Array;
      tf.dispose([input, probs]);
      return values;
    },
  };
}
