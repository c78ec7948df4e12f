// npm run bench:long-run -- [--arch mini-xception] [--epochs 12] [--limit N] [--optimizer adam|sgd-nesterov]
//   [--csv PATH] [--init-from MODEL_DIR] [--save-to MODEL_DIR] [--out FILE.json]
// Trains one net for many epochs in Node (the app's src/core, WASM) and reports each epoch's speed, the last
// against the second, with what might slow a long run down: the WASM heap, the JS heap, the tensor count, and
// subnormal ("denormal") floats in the weights and optimizer state (x86 computes on them ~100x slower, and
// WebAssembly cannot flush them to zero).
import { cpus, loadavg } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { ferDataDir, FULL_CSV_GZ } from '../scripts/fer-data';
import { loadDatasetFile, memoryLine, startNodeBackend } from '../scripts/node-training';
import { statsFor } from '../src/core/dataset/loaded-dataset';
import { splitDataset } from '../src/core/dataset/splits';
import { buildModel, type ArchitectureName } from '../src/core/nets/architectures';
import { crossEntropy } from '../src/core/training/train-step';
import { defaultTrainConfig, type TrainConfig } from '../src/core/training/train-config';
import { batchTensors, classCountOf, runTraining } from '../src/core/training/training-loop';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'mini-xception' },
    epochs: { type: 'string', default: '12' },
    limit: { type: 'string' },
    optimizer: { type: 'string', default: 'adam' },
    csv: { type: 'string' },
    out: { type: 'string' },
    /** Start from the weights of a model folder the train CLI wrote (the optimizer starts fresh). */
    'init-from': { type: 'string' },
    /** Write the weights after every epoch (model.json + model.weights.bin, overwritten), for --init-from or a
     *  per-kernel profile of the weights that ran slow. */
    'save-to': { type: 'string' },
  },
});

/** The weights of a model folder (model.json + model.weights.bin), as a loaded model. */
async function loadModelFolder(folder: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  const weights = readFileSync(join(folder, 'model.weights.bin'));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.length);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData }));
}

/** Writes the model as loadModelFolder reads it back; synchronous, so no training step runs in between. */
function saveModelFolder(folder: string, model: tf.LayersModel): void {
  mkdirSync(folder, { recursive: true });
  const weights = model.weights.map((weight) => ({ spec: { name: weight.originalName, shape: weight.shape as number[], dtype: 'float32' as const }, values: weight.read().dataSync() as Float32Array }));
  const bytes = new Uint8Array(weights.reduce((sum, w) => sum + w.values.byteLength, 0));
  let offset = 0;
  for (const { values } of weights) {
    bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), offset);
    offset += values.byteLength;
  }
  writeFileSync(join(folder, 'model.json'), JSON.stringify({ modelTopology: model.toJSON(null, false), weightsManifest: [{ paths: ['model.weights.bin'], weights: weights.map((w) => w.spec) }] }));
  writeFileSync(join(folder, 'model.weights.bin'), bytes);
}

/** Largest subnormal float32 magnitude (smallest normal is 2^-126). */
const SMALLEST_NORMAL = 2 ** -126;

/** Subnormal values among all variables (weights and optimizer state), and how many values there are. */
function subnormals(): { count: number; of: number; worst: string } {
  let count = 0;
  let of = 0;
  let worst = '';
  let worstCount = 0;
  for (const variable of Object.values(tf.engine().registeredVariables)) {
    const values = variable.dataSync() as Float32Array;
    let here = 0;
    for (let i = 0; i < values.length; i++) {
      const magnitude = Math.abs(values[i]);
      if (magnitude > 0 && magnitude < SMALLEST_NORMAL) here++;
    }
    count += here;
    of += values.length;
    if (here > worstCount) [worst, worstCount] = [`${variable.name} (${here})`, here];
  }
  return { count, of, worst };
}

/**
 * Milliseconds of one forward + backward pass (gradients computed, not applied) on a fixed batch, best of 3:
 * if this grows while the epochs slow down, the cause travels with the weights (and the activations they
 * make); if it stays flat, it is elsewhere (the optimizer's update, the data path, the heap).
 */
function forwardBackwardMs(model: tf.LayersModel, xs: tf.Tensor4D, labels: tf.Tensor1D): number {
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const started = performance.now();
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => crossEntropy(model.apply(xs, { training: true }) as tf.Tensor2D, labels, null), model.trainableWeights.map((weight) => weight.read() as tf.Variable));
      value.dataSync();
      Object.values(grads).forEach((grad) => grad.dataSync());
    });
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

await startNodeBackend('wasm');
const dataset = await loadDatasetFile(args.csv ?? `${ferDataDir()}/${FULL_CSV_GZ}`, args.limit ? Number(args.limit) : Infinity);
const split = splitDataset(dataset.buffers, { strategy: 'usage', seed: 42 });
const config: TrainConfig = {
  ...defaultTrainConfig(args.arch as ArchitectureName),
  epochs: Number(args.epochs),
  optimizer: args.optimizer as TrainConfig['optimizer'],
  earlyStoppingPatience: 0, // run every epoch: the point is the speed of the late ones
};
const data = { buffers: dataset.buffers, train: split.train, validation: split.validation, stats: statsFor(dataset, config.split, false) };
console.log(`bench:long-run ${config.architecture} ${config.optimizer}, ${config.epochs} epochs of ${split.train.length} rows; ${cpus()[0]?.model}, ${cpus().length} cores, load ${loadavg()[0].toFixed(2)}`);

// A fixed batch of the first 64 training rows, standardised as training does.
const probeRows = split.train.subarray(0, 64);
const { xs: probeXs, labels: probeLabels } = batchTensors(data, probeRows, new Float32Array(64 * 2304));
let model: tf.LayersModel | null = null;
const initial = args['init-from'] ? await loadModelFolder(args['init-from']) : null;

const epochs: { epoch: number; imagesPerSecond: number; trainMs: number; forwardBackwardMs: number; subnormal: number; values: number; memory: string; load: number }[] = [];
let epochStart = performance.now();
await runTraining(data, config, {
  createModel: () => {
    model = buildModel(config.architecture, classCountOf(data));
    if (initial) model.setWeights(initial.getWeights());
    return model;
  },
  onEpoch: (m) => {
    if (args['save-to']) saveModelFolder(args['save-to'], model!);
    const stepMs = forwardBackwardMs(model!, probeXs, probeLabels);
    // Training speed of the epoch alone (the validation pass is timed out of it by the loop's own figure).
    const found = subnormals();
    epochs.push({ epoch: m.epoch, imagesPerSecond: m.imagesPerSecond, trainMs: performance.now() - epochStart, forwardBackwardMs: stepMs, subnormal: found.count, values: found.of, memory: memoryLine(), load: loadavg()[0] });
    console.log(
      `epoch ${m.epoch}: ${m.imagesPerSecond.toFixed(1)} img/s · forward+backward of 64 ${stepMs.toFixed(0)} ms · val acc ${(m.valAccuracy * 100).toFixed(2)}% · subnormal ${found.count} of ${found.of} (most in ${found.worst || '-'}) · ${memoryLine()} · load ${loadavg()[0].toFixed(2)}`,
    );
    epochStart = performance.now();
  },
});
const second = epochs[1];
const last = epochs.at(-1)!;
if (second && last !== second) console.log(`\nlast epoch against the second: ${(last.imagesPerSecond / second.imagesPerSecond).toFixed(2)}x (${last.imagesPerSecond.toFixed(1)} vs ${second.imagesPerSecond.toFixed(1)} img/s)`);
if (args.out) writeFileSync(args.out, `${JSON.stringify({ config, epochs }, null, 2)}\n`);
