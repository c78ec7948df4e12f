// Test helpers (Node and browser): a few training steps of one of the app's nets on the active tfjs backend, from
// fixed weights and faces, with the app's own layers, optimizer, augmentation and train step, and the comparison
// of two such runs (a GPU backend against the CPU backend). Used by e2e/backend-agreement.spec.ts (WebGPU and
// WebGL in Chromium) and scripts/dawn-agreement.test.ts (WebGPU through Dawn in Node). Never real data.
import * as tf from '@tensorflow/tfjs';
import { buildModel, INPUT_SHAPE, type ArchitectureName } from '../nets/architectures';
import { augmentBatch, defaultAugmentOptions } from '../training/augment';
import { applyWeightDecay, createOptimizer, decayedWeights, disposeOptimizer } from '../training/optimizers';
import type { OptimizerName } from '../training/train-config';
import { trainStep } from '../training/train-step';
import { createRng } from '../random';

/** FER2013's seven classes: the nets' output size in these tests. */
export const AGREEMENT_CLASSES = 7;

export interface AgreementCase {
  arch: ArchitectureName;
  optimizer: OptimizerName;
  learningRate: number;
  /** Decoupled weight decay after each step, as runTraining applies it (0 = off). */
  weightDecay: number;
  labelSmoothing: number;
  /** Faces per step. */
  batch: number;
  /**
   * Side of the square input (48 = the app's). The nets that end in global average pooling take other sizes with
   * the same weights, which keeps the slow software backends' work small; the seed net needs 40 to 48.
   */
  inputSize?: number;
  steps: number;
  /** Seeds the initial weights, the faces, the augmentation and the dropout masks. */
  seed: number;
}

/**
 * One case per net, each with the optimizer the app trains it with (Adam by default; SGD-Nesterov with weight decay
 * and label smoothing in the recipes: the seed recipe's rate 0.02, the VGG recipes' 0.05). Small enough for
 * SwiftShader on two cores: the nets ending in global average pooling take a smaller centre of the (augmented)
 * faces, the seed net (which needs 40 to 48 px) one face for 2 steps (a batch of one is also what the last batch of
 * an epoch can be). Measured not to hit a rounding-level flip (see e2e/backend-agreement.spec.ts) at these seeds.
 */
export const AGREEMENT_CASES: readonly AgreementCase[] = [
  { arch: 'seed', optimizer: 'sgd-nesterov', learningRate: 0.02, weightDecay: 5e-4, labelSmoothing: 0.1, batch: 1, steps: 2, inputSize: 40, seed: 1 },
  { arch: 'compact', optimizer: 'adam', learningRate: 1e-3, weightDecay: 0, labelSmoothing: 0, batch: 2, steps: 3, inputSize: 24, seed: 1 },
  { arch: 'mini-xception', optimizer: 'adam', learningRate: 1e-3, weightDecay: 0, labelSmoothing: 0, batch: 4, steps: 2, inputSize: 32, seed: 1 },
  { arch: 'vgg-s', optimizer: 'sgd-nesterov', learningRate: 0.05, weightDecay: 5e-4, labelSmoothing: 0.1, batch: 4, steps: 2, inputSize: 24, seed: 1 },
  { arch: 'vgg-m', optimizer: 'sgd-nesterov', learningRate: 0.05, weightDecay: 5e-4, labelSmoothing: 0.1, batch: 2, steps: 2, inputSize: 24, seed: 1 },
];

/** A tensor's values read back to the page/process. */
export interface NamedValues {
  name: string;
  shape: number[];
  values: Float32Array;
}

export interface StepsRun {
  backend: string;
  /** Loss (data + regularisation) of each step, as trainStep returns it. */
  losses: number[];
  /** Every model weight after the steps (trainable ones and BatchNorm's moving statistics), in model.weights order. */
  weights: NamedValues[];
  /** The optimizer's state after the steps (getWeights: iteration count, then its slots). */
  optimizer: NamedValues[];
  /** The optimizer's state after step 1: Adam's moments are 0.1·g and 0.001·g², momentum's accumulator g. */
  firstOptimizer: NamedValues[];
  /** Wall time of each step, its loss read back included. */
  stepMs: number[];
  /** tf.memory() after each step, once everything but the model and optimizer is disposed (and read back). */
  memory: { numTensors: number; numBytes: number }[];
}

/**
 * Runs `fn` with Math.random replaced by a seeded generator. tfjs draws its dropout masks (and the layers'
 * default initialisers) from seedrandom seeded by Math.random(), so the same seed gives the same masks on every
 * backend: the masks are made in JS and uploaded, never on the device.
 */
export async function withSeededMathRandom<T>(seed: number, fn: () => Promise<T> | T): Promise<T> {
  const original = Math.random;
  Math.random = createRng(seed);
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}

/**
 * The app's net (buildModel, so its own layer classes), taking `inputSize`² faces: rebuilt from its own topology
 * with only the input shape changed when that is not 48. Math.random is seeded for the initialisers.
 */
export async function buildNet(arch: ArchitectureName, seed: number, inputSize: number = INPUT_SHAPE[0]): Promise<tf.LayersModel> {
  const model = await withSeededMathRandom(seed, () => buildModel(arch, AGREEMENT_CLASSES));
  if (inputSize === INPUT_SHAPE[0]) return model;
  const topology = model.toJSON(null, false) as unknown as { config: { layers: { config: { batch_input_shape?: (number | null)[] } }[] } };
  model.dispose();
  for (const layer of topology.config.layers) {
    const shape = layer.config.batch_input_shape;
    if (shape) layer.config.batch_input_shape = [shape[0], inputSize, inputSize, shape[3]];
  }
  // The app's layer classes are registered under tfjs' names (conv2d-layer.ts, batch-norm-layer.ts), so they come back.
  return withSeededMathRandom(seed, () => tf.models.modelFromJSON({ modelTopology: topology } as unknown as tf.io.ModelJSON));
}

/** The net's initial weights for `seed` (built on the active backend; glorot/he draws from seeded Math.random). */
export async function initialWeights(arch: ArchitectureName, seed: number, inputSize?: number): Promise<NamedValues[]> {
  const model = await buildNet(arch, seed, inputSize);
  try {
    return await readWeights(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
  } finally {
    model.dispose();
  }
}

/**
 * `count` standardised test faces [count, 48, 48, 1] (a few soft blobs on a gradient plus noise, mean ~0, spread
 * ~1: the scale the nets see after standardisation) and their class labels.
 */
export function testFaces(count: number, seed: number): { pixels: Float32Array; labels: Int32Array } {
  const size = INPUT_SHAPE[0];
  const random = createRng(seed * 7919 + 13);
  const pixels = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    labels[n] = (n * 3 + seed) % AGREEMENT_CLASSES;
    const blobs = Array.from({ length: 4 }, () => ({ x: random() * size, y: random() * size, r: 4 + random() * 10, a: random() * 3 - 1.5 }));
    const tilt = random() * 2 - 1;
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        let v = (tilt * (x - size / 2)) / size + (random() - 0.5) * 0.6;
        for (const b of blobs) v += b.a * Math.exp(-((x - b.x) ** 2 + (y - b.y) ** 2) / (2 * b.r * b.r));
        pixels[(n * size + y) * size + x] = v;
      }
  }
  return { pixels, labels };
}

async function readWeights(named: { name: string; tensor: tf.Tensor }[]): Promise<NamedValues[]> {
  const out: NamedValues[] = [];
  for (const { name, tensor } of named) out.push({ name, shape: tensor.shape, values: Float32Array.from(await tensor.data()) });
  return out;
}

/**
 * `c.steps` training steps on the active backend, from `initial` weights, as runTraining takes them: each step
 * augments its batch (the default augmentation, from a seeded random source; then the centre c.inputSize² of
 * it), runs trainStep (forward in
 * training mode, loss, gradients, the app's optimizer from createOptimizer) and applies decoupled weight decay.
 * @param faces from testFaces: step s trains on faces s*batch.. (wrapping round when there are fewer).
 * @param options whether to read back the optimizer state after step 1 and the weights and state after step
 *   c.steps; totalSteps: steps to run in all (more than c.steps for a longer memory trace; the later ones are not
 *   compared).
 */
export async function runSteps(
  c: AgreementCase,
  initial: NamedValues[],
  faces: { pixels: Float32Array; labels: Int32Array },
  options: { firstState: boolean; finalState: boolean; totalSteps?: number } = { firstState: true, finalState: true },
): Promise<StepsRun> {
  const size = INPUT_SHAPE[0];
  const pixelsPerFace = size * size;
  const inputSize = c.inputSize ?? size;
  const offset = Math.floor((size - inputSize) / 2);
  // Layers draw their initialisers here too: seeded, though setWeights replaces every value.
  const model = await buildNet(c.arch, c.seed, inputSize);
  if (model.weights.length !== initial.length) throw new Error(`${c.arch}: ${model.weights.length} weights, ${initial.length} initial values`);
  const start = initial.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(start);
  tf.dispose(start);
  const optimizer = createOptimizer(c.optimizer, c.learningRate);
  const decayed = c.weightDecay > 0 ? decayedWeights(model) : [];
  // runTraining seeds augmentation with (seed, epoch); epoch 1 here.
  const augmentRandom = createRng(c.seed * 1000 + 1);
  const run: StepsRun = { backend: tf.getBackend(), losses: [], weights: [], optimizer: [], firstOptimizer: [], stepMs: [], memory: [] };
  const readOptimizer = async () => {
    const state = await optimizer.getWeights();
    const values = await readWeights(state.map((entry) => ({ name: entry.name, tensor: entry.tensor })));
    // getWeights makes a fresh tensor for the iteration count; the slots are the live variables.
    tf.dispose(state.filter((entry) => !(entry.tensor instanceof tf.Variable)).map((entry) => entry.tensor));
    return values;
  };
  try {
    await withSeededMathRandom(c.seed + 1, async () => {
      for (let s = 0; s < Math.max(c.steps, options.totalSteps ?? 0); s++) {
        const started = performance.now();
        const first = (s * c.batch) % (faces.labels.length - c.batch + 1);
        const xs = tf.tensor4d(faces.pixels.subarray(first * pixelsPerFace, (first + c.batch) * pixelsPerFace), [c.batch, size, size, 1]);
        const labels = tf.tensor1d(faces.labels.subarray(first, first + c.batch), 'int32');
        const augmented = augmentBatch(xs, defaultAugmentOptions, augmentRandom);
        // A smaller input is the centre of the augmented face.
        const input = inputSize === size ? augmented : tf.slice(augmented, [0, offset, offset, 0], [c.batch, inputSize, inputSize, 1]);
        const step = trainStep(model, optimizer, input, labels, null, c.labelSmoothing);
        applyWeightDecay(decayed, c.learningRate, c.weightDecay);
        tf.dispose([xs, augmented, input, labels]);
        const loss = (await step.loss.data())[0];
        await step.correct.data();
        tf.dispose([step.loss, step.correct]);
        run.losses.push(loss);
        run.stepMs.push(performance.now() - started);
        const memory = tf.memory();
        run.memory.push({ numTensors: memory.numTensors, numBytes: memory.numBytes });
        if (s === 0 && options.firstState) run.firstOptimizer = await readOptimizer();
        if (s === c.steps - 1 && options.finalState) {
          run.weights = await readWeights(model.weights.map((w) => ({ name: w.originalName, tensor: w.read() })));
          run.optimizer = await readOptimizer();
        }
      }
    });
  } finally {
    model.dispose();
    disposeOptimizer(optimizer);
  }
  return run;
}

/** How far one tensor of a run is from the reference run's. */
export interface TensorError {
  name: string;
  /**
   * ‖test − ref‖₂ / ‖scale‖₂, where scale is what the steps changed (ref − initial) for weights and BatchNorm
   * statistics, and the reference value itself for optimizer state. 0 when both are exactly equal.
   */
  relative: number;
  /** Largest |test − ref| over the elements. */
  maxAbs: number;
  /** Elements with |test − ref| over 1 % of the scale's root mean square, and all elements. */
  outliers: number;
  elements: number;
}

export interface RunComparison {
  arch: ArchitectureName;
  backend: string;
  /** |test − ref| / |ref| per step. */
  lossRelative: number[];
  losses: { ref: number[]; test: number[] };
  /** The worst tensor (by relative error) of the optimizer state after step 1: the first gradient. */
  worstFirstGradient: TensorError;
  /** The worst tensors after the last step. */
  worstWeight: TensorError;
  worstOptimizer: TensorError;
  /** Fraction of all weight elements that are outliers (see TensorError) after the last step. */
  weightOutliers: number;
  /** What is over the tolerance (empty when the run agrees). */
  failures: string[];
  /** Step times of the run, ms (the first compiles the backend's kernels). */
  stepMs: number[];
  /** The run's tf.memory() after each step. */
  memory: StepsRun['memory'];
}

export interface Tolerance {
  /** Relative error of step 1's loss and of the optimizer state after it (the first gradient). */
  firstStep: number;
  /** Relative error of every later step's loss. */
  loss: number;
  /** Relative error (see TensorError) of each weight and optimizer state tensor after the last step. */
  final: number;
}

/** See e2e/backend-agreement.spec.ts for why these. */
export const AGREEMENT_TOLERANCE: Tolerance = { firstStep: 1e-3, loss: 1e-3, final: 1e-3 };

function tensorError(name: string, ref: Float32Array, test: Float32Array, base: Float32Array | null): TensorError {
  let diff = 0;
  let scale = 0;
  let maxAbs = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = test[i] - ref[i];
    diff += d * d;
    const s = base ? ref[i] - base[i] : ref[i];
    scale += s * s;
    maxAbs = Math.max(maxAbs, Math.abs(d));
  }
  const limit = 0.01 * Math.sqrt(scale / Math.max(1, ref.length));
  let outliers = 0;
  for (let i = 0; i < ref.length; i++) if (!(Math.abs(test[i] - ref[i]) <= limit)) outliers++;
  const relative = !Number.isFinite(diff) ? Infinity : diff === 0 ? 0 : scale === 0 ? Infinity : Math.sqrt(diff / scale);
  return { name, relative, maxAbs, outliers, elements: ref.length };
}

const worst = (errors: TensorError[]) => errors.reduce((a, b) => (b.relative > a.relative ? b : a));
const describe = (e: TensorError) => `${e.name}: relative ${e.relative.toExponential(2)}, max |diff| ${e.maxAbs.toExponential(2)}, ${e.outliers} of ${e.elements} off by over 1 % of its scale`;

/** Compares a run with the reference run (same case, same initial weights), against `tolerance`. */
export function compareRuns(arch: ArchitectureName, ref: StepsRun, test: StepsRun, initial: NamedValues[], tolerance: Tolerance): RunComparison {
  const failures: string[] = [];
  const lossRelative = ref.losses.map((l, i) => Math.abs(test.losses[i] - l) / Math.max(Math.abs(l), 1e-12));
  lossRelative.forEach((e, i) => {
    if (!(e <= (i === 0 ? tolerance.firstStep : tolerance.loss))) failures.push(`loss of step ${i + 1}: ${test.losses[i]} vs ${ref.losses[i]} (relative ${e.toExponential(2)})`);
  });
  const firstErrors = ref.firstOptimizer.map((w, i) => tensorError(`${w.name} after step 1`, w.values, test.firstOptimizer[i].values, null));
  for (const e of firstErrors) if (!(e.relative <= tolerance.firstStep)) failures.push(describe(e));
  const weightErrors = ref.weights.map((w, i) => tensorError(`${i}:${w.name}`, w.values, test.weights[i].values, initial[i].values));
  const optimizerErrors = ref.optimizer.map((w, i) => tensorError(w.name, w.values, test.optimizer[i].values, null));
  for (const e of [...weightErrors, ...optimizerErrors]) if (!(e.relative <= tolerance.final)) failures.push(describe(e));
  const weightOutliers = weightErrors.reduce((n, e) => n + e.outliers, 0) / weightErrors.reduce((n, e) => n + e.elements, 0);
  return {
    arch,
    backend: test.backend,
    lossRelative,
    losses: { ref: ref.losses, test: test.losses },
    worstFirstGradient: worst(firstErrors),
    worstWeight: worst(weightErrors),
    worstOptimizer: worst(optimizerErrors),
    weightOutliers,
    failures,
    stepMs: test.stepMs.map(Math.round),
    memory: test.memory,
  };
}

/** Whether tf.memory() stayed the same after every step but the first (which creates the optimizer's slots). */
export function memoryIsFlat(memory: StepsRun['memory']): boolean {
  return memory.length >= 2 && memory.slice(1).every((m) => m.numTensors === memory[1].numTensors && m.numBytes === memory[1].numBytes);
}
