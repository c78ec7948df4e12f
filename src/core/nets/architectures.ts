// Pure tfjs model definitions (no DOM): the 2018 tutorial's VGG-style net and faster alternatives.
import * as tf from '@tensorflow/tfjs';
import { FusedBatchNormalization } from './batch-norm-layer';
import { PlainConv2D } from './conv2d-layer';
import { INPUT_SHAPE } from '../model-format/model-contract';

export { INPUT_SHAPE };

// Every net maps [batch, ...INPUT_SHAPE] standardised gray levels to [batch, classes] probabilities (softmax).

/** Keras' BatchNormalization defaults, which the tutorial used (seed net only). */
const batchNorm = () => new FusedBatchNormalization({ momentum: 0.99, epsilon: 1e-3 });

/**
 * BatchNorm for our own nets: momentum 0.9 (PyTorch's default). With 0.99 the moving statistics need a few
 * hundred steps to settle; on small sets (the 1,400-face demo is 22 batches an epoch) inference then used
 * stale statistics and validation sat at chance while training accuracy climbed (measured: 17 % with moving
 * statistics vs 76 % with batch statistics after 4 epochs).
 */
const fastBatchNorm = () => new FusedBatchNormalization({ momentum: 0.9, epsilon: 1e-3 });

/** tf.layers.conv2d, as the class that skips the first conv's input gradient (conv2d-layer.ts). */
const conv2d = (args: Parameters<typeof tf.layers.conv2d>[0]) => new PlainConv2D(args);

/**
 * The tutorial's model (its fer.json), layer for layer: 5,905,863 parameters (5,902,151 trainable).
 * Block k: Conv(f) 3x3 -> BN -> Conv(f) 3x3 -> BN -> MaxPool 2 -> Dropout 0.5, f = 64, 128, 256, 512
 * (the first block has no BN after its first conv, whose padding is 'valid', with L2(0.01) on its kernel).
 */
function seedModel(numClasses: number): tf.Sequential {
  const model = tf.sequential({ name: 'seed' });
  // Block 1: 48 -> 46 (valid) -> pool 23.
  model.add(conv2d({ inputShape: [...INPUT_SHAPE], filters: 64, kernelSize: 3, activation: 'relu', kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }) }));
  model.add(conv2d({ filters: 64, kernelSize: 3, activation: 'relu', padding: 'same' }));
  model.add(batchNorm());
  model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  // Blocks 2-4: 23 -> 11 -> 5 -> 2, doubling filters.
  for (const filters of [128, 256, 512]) {
    model.add(conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same' }));
    model.add(batchNorm());
    model.add(conv2d({ filters, kernelSize: 3, activation: 'relu', padding: 'same' }));
    model.add(batchNorm());
    model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    model.add(tf.layers.dropout({ rate: 0.5 }));
  }
  // Classifier: 2*2*512 = 2048 features.
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 512, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.4 }));
  model.add(tf.layers.dense({ units: 256, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.4 }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}

/**
 * A small VGG-style net for CPU-only machines: ~0.29 M parameters, ~0.17 GFLOP per face.
 * Conv -> BN -> ReLU twice per stage (32, 64, 128 filters), max-pool between stages; global average
 * pooling instead of big dense layers keeps it small and less prone to overfit.
 */
function compactModel(numClasses: number): tf.Sequential {
  const model = tf.sequential({ name: 'compact' });
  let first = true;
  for (const filters of [32, 64, 128]) {
    for (let i = 0; i < 2; i++) {
      model.add(
        conv2d({
          ...(first ? { inputShape: [...INPUT_SHAPE] } : {}),
          filters,
          kernelSize: 3,
          padding: 'same',
          useBias: false, // BN's beta is the bias
        }),
      );
      first = false;
      model.add(fastBatchNorm());
      model.add(tf.layers.reLU());
    }
    if (filters !== 128) model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  }
  // 12x12x128 -> 128 features.
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}

/**
 * Mini-Xception (Arriaga, Valdenegro-Toro & Plöger 2017, "Real-time convolutional neural networks for emotion
 * and gender classification"): two plain convs, then four residual blocks of separable convs with 16, 32,
 * 64, 128 filters, each halving the resolution, and a conv to 7 maps + global average pooling.
 */
function miniXceptionModel(numClasses: number): tf.LayersModel {
  const l2 = () => tf.regularizers.l2({ l2: 0.01 });
  const input = tf.input({ shape: [...INPUT_SHAPE] });
  let x = conv2d({ filters: 8, kernelSize: 3, useBias: false, kernelRegularizer: l2() }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(fastBatchNorm().apply(x)) as tf.SymbolicTensor;
  x = conv2d({ filters: 8, kernelSize: 3, useBias: false, kernelRegularizer: l2() }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU().apply(fastBatchNorm().apply(x)) as tf.SymbolicTensor;
  for (const filters of [16, 32, 64, 128]) {
    // Shortcut: 1x1 conv stride 2; main path: two separable convs and a stride-2 max-pool.
    let shortcut = conv2d({ filters, kernelSize: 1, strides: 2, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
    shortcut = fastBatchNorm().apply(shortcut) as tf.SymbolicTensor;
    let y = tf.layers.separableConv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, depthwiseRegularizer: l2(), pointwiseRegularizer: l2() }).apply(x) as tf.SymbolicTensor;
    y = tf.layers.reLU().apply(fastBatchNorm().apply(y)) as tf.SymbolicTensor;
    y = tf.layers.separableConv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, depthwiseRegularizer: l2(), pointwiseRegularizer: l2() }).apply(y) as tf.SymbolicTensor;
    y = fastBatchNorm().apply(y) as tf.SymbolicTensor;
    y = tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor;
  }
  x = conv2d({ filters: numClasses, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const output = tf.layers.softmax().apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'mini-xception' });
}

/**
 * The nets of the time-budget recipes: VGG-style 3x3 convs with BatchNorm and ReLU, one conv at 48x48 then
 * two per stage at 24, 12 and 6 px, max-pool between stages, global average pooling, dropout 0.3, Dense (one per class).
 * Our WASM engine runs plain 3x3 convs several times faster per FLOP than depthwise ones, and most of the
 * work sits at the small resolutions where the features are (bench:train and bench:accuracy measure it).
 * @param width filters of the first stage; each later stage doubles it.
 */
function vggGapModel(name: string, width: number, numClasses: number): tf.Sequential {
  const model = tf.sequential({ name });
  const stages = [width, width * 2, width * 4, width * 8];
  stages.forEach((filters, stage) => {
    for (let i = 0; i < (stage === 0 ? 1 : 2); i++) {
      model.add(
        conv2d({
          ...(stage === 0 ? { inputShape: [...INPUT_SHAPE] } : {}),
          filters,
          kernelSize: 3,
          padding: 'same',
          useBias: false, // BN's beta is the bias
        }),
      );
      model.add(fastBatchNorm());
      model.add(tf.layers.reLU());
    }
    if (stage < stages.length - 1) model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  });
  // 6x6x(8·width) -> 8·width features.
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(tf.layers.dropout({ rate: 0.3 }));
  model.add(tf.layers.dense({ units: numClasses, activation: 'softmax' }));
  return model;
}

export interface Architecture {
  title: string;
  description: string;
  /** Sensible default epochs for this net. */
  defaultEpochs: number;
  /** A fresh, randomly initialised model with `numClasses` softmax outputs; caller disposes it. */
  build(numClasses: number): tf.LayersModel;
}

/**
 * The networks, one entry each: a new net is one entry here (its parameters and FLOPs come from
 * architectureCost, measured on the built model). The key is the name saved in a model's metadata.
 */
export const ARCHITECTURE_REGISTRY = {
  seed: {
    title: 'Seed (2018 tutorial VGG)',
    description: 'Conv 64-64 / 128-128 / 256-256 / 512-512 with BatchNorm, MaxPool, Dropout 0.5; Dense 512-256-128-classes.',
    defaultEpochs: 100,
    build: seedModel,
  },
  compact: {
    title: 'Compact (fast on CPU)',
    description: 'Conv 32-32 / 64-64 / 128-128 with BatchNorm, global average pooling, Dense (one per class).',
    defaultEpochs: 30,
    build: compactModel,
  },
  'mini-xception': {
    title: 'Mini-Xception',
    description: 'Depthwise-separable residual blocks (Arriaga et al. 2017), ~60 k parameters.',
    defaultEpochs: 60,
    build: miniXceptionModel,
  },
  'vgg-s': {
    title: 'VGG-S (time-budget recipes)',
    description: 'Conv 16 / 32-32 / 64-64 / 128-128 with BatchNorm, global average pooling, Dense (one per class): most of its work at 12×12 and 6×6.',
    defaultEpochs: 30,
    build: (numClasses) => vggGapModel('vgg-s', 16, numClasses),
  },
  'vgg-m': {
    title: 'VGG-M (time-budget recipes)',
    description: 'Conv 24 / 48-48 / 96-96 / 192-192 with BatchNorm, global average pooling, Dense (one per class).',
    defaultEpochs: 30,
    build: (numClasses) => vggGapModel('vgg-m', 24, numClasses),
  },
} as const satisfies Record<string, Architecture>;

export type ArchitectureName = keyof typeof ARCHITECTURE_REGISTRY;
/** The registry's names, in the order the Train screen lists them. */
export const ARCHITECTURES = Object.keys(ARCHITECTURE_REGISTRY) as ArchitectureName[];

/**
 * Builds a fresh, randomly initialised model with `numClasses` softmax outputs (the data set's label set).
 * Caller disposes it.
 */
export function buildModel(name: ArchitectureName, numClasses: number): tf.LayersModel {
  if (!(Number.isInteger(numClasses) && numClasses >= 2)) throw new Error(`a model needs 2 or more classes, not ${numClasses}`);
  const entry: Architecture | undefined = ARCHITECTURE_REGISTRY[name];
  if (!entry) throw new Error(`unknown architecture ${String(name)}`);
  return entry.build(numClasses);
}

/** The number of classes a model outputs (its last layer's units). */
export function classesOf(model: tf.LayersModel): number {
  const shape = model.outputs[0].shape;
  return shape[shape.length - 1] as number;
}

export interface ModelCost {
  params: number;
  trainableParams: number;
  /** Forward multiply-adds x 2 per face, from conv and dense layers (pooling and BN are a rounding error). */
  flopsPerImage: number;
}

function shapeOf(shape: tf.Shape | tf.Shape[]): number[] {
  return (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
}

/** Parameter counts and forward FLOPs per face of a built model. */
export function modelCost(model: tf.LayersModel): ModelCost {
  let flops = 0;
  const visit = (layers: tf.layers.Layer[]) => {
    for (const layer of layers) {
      const className = layer.getClassName();
      const weights = layer.getWeights(false);
      if (weights.length === 0) continue;
      const kernel = weights[0].shape as number[]; // conv [kh, kw, in, out], depthwise [kh, kw, in, mult], dense [in, out]
      const out = shapeOf(layer.outputShape);
      const pixels = (out[1] ?? 1) * (out[2] ?? 1);
      if (className === 'Conv2D') flops += 2 * pixels * kernel[0] * kernel[1] * kernel[2] * kernel[3];
      else if (className === 'DepthwiseConv2D') flops += 2 * pixels * kernel[0] * kernel[1] * kernel[2] * kernel[3];
      else if (className === 'SeparableConv2D') flops += 2 * pixels * kernel[2] * kernel[3] * (kernel[0] * kernel[1] + out[3]);
      else if (className === 'Dense') flops += 2 * kernel[0] * kernel[1];
    }
  };
  visit(model.layers);
  const trainableParams = model.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  return { params: model.countParams(), trainableParams, flopsPerImage: flops };
}

const costs = new Map<ArchitectureName, ModelCost>();

/**
 * The cost of a net with seven classes (FER2013's), measured once on the built model and remembered: the
 * first call builds it (the seed net, ~6 M parameters, takes a moment), so call it lazily, off the first render.
 */
export function architectureCost(name: ArchitectureName): ModelCost {
  let cost = costs.get(name);
  if (!cost) {
    const model = buildModel(name, 7);
    try {
      cost = modelCost(model);
    } finally {
      model.dispose();
    }
    costs.set(name, cost);
  }
  return cost;
}
