// Pure check of an imported model.json's layers before tfjs builds them: caps on the number of layers, the
// units or filters of each, and the parameters in all; and the parameters the layers imply must be exactly
// those the weights manifest declares. tfjs allocates every layer's weights while it builds a model, before it
// reads the weights file, so a topology that asks for more than its weights hold could exhaust memory first.
// Runs on the page, in workers and in Node; no DOM.
import type * as tf from '@tensorflow/tfjs';
import { ModelFileError } from './metadata-validation';

/** At most this many layers (nested ones included); the deepest net here (mini-Xception) has about 60. */
export const MAX_LAYERS = 1000;
/** At most this many units (Dense), filters (convolutions) or channels per layer; the widest net here has 512. */
export const MAX_UNITS = 8192;
/** At most this many parameters in all (200 MB of float32); the largest net here (seed) has 5.9 M. */
export const MAX_PARAMS = 50_000_000;

/** A tensor's shape without the batch axis: [height, width, channels] for images, [features] after flattening. */
type Shape = number[];

export interface TopologySummary {
  layers: number;
  params: number;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const product = (shape: Shape) => shape.reduce((a, b) => a * b, 1);
const count = (n: number) => n.toLocaleString('en-US');

/** Layers that change neither the shape nor hold weights. */
const SHAPE_KEEPING = new Set([
  'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'Softmax', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D',
  'GaussianNoise', 'GaussianDropout', 'AlphaDropout',
]);
const MERGING = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

class Checker {
  layers = 0;
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  fail(message: string): never {
    throw new ModelFileError(`${this.file}: ${message}`);
  }

  /** A whole number ≥ min from a config value, or the default when it is absent. */
  int(config: Json, key: string, layer: string, fallback?: number, min = 1): number {
    const value = config[key] ?? fallback;
    if (!Number.isInteger(value) || (value as number) < min) this.fail(`layer "${layer}" has ${key} ${JSON.stringify(config[key])}, not a whole number ≥ ${min}`);
    return value as number;
  }

  /** An int-or-pair config value (kernel_size, strides, pool_size, dilation_rate) as [rows, columns]. */
  pair(config: Json, key: string, layer: string, fallback: [number, number]): [number, number] {
    const value = config[key] ?? fallback;
    const pair = typeof value === 'number' ? [value, value] : value;
    if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= 1)) {
      this.fail(`layer "${layer}" has ${key} ${JSON.stringify(value)}, not one or two whole numbers ≥ 1`);
    }
    return pair as [number, number];
  }

  units(n: number, what: string, layer: string, className: string): number {
    if (n > MAX_UNITS) this.fail(`layer "${layer}" (${className}) has ${count(n)} ${what}; the most this app accepts is ${count(MAX_UNITS)}`);
    return n;
  }

  image(shape: Shape, layer: string, className: string): [number, number, number] {
    if (shape.length !== 3) this.fail(`layer "${layer}" (${className}) needs an image input [height, width, channels], but gets [${shape.join(', ')}]`);
    return shape as [number, number, number];
  }

  channelsLast(config: Json, layer: string, className: string): void {
    const format = config.data_format ?? 'channels_last';
    if (format !== 'channels_last') this.fail(`layer "${layer}" (${className}) uses data_format ${JSON.stringify(format)}; only channels_last is supported`);
  }

  /** The output size of a sliding window along one axis. */
  slide(size: number, window: number, stride: number, dilation: number, padding: unknown, layer: string): number {
    const span = (window - 1) * dilation + 1;
    let out: number;
    if (padding === 'same') out = Math.ceil(size / stride);
    else if (padding === 'valid' || padding === undefined) out = Math.floor((size - span) / stride) + 1;
    else this.fail(`layer "${layer}" has padding ${JSON.stringify(padding)}, not "same" or "valid"`);
    if (out < 1) this.fail(`layer "${layer}" shrinks its ${size}-pixel input to nothing (window ${window}, stride ${stride})`);
    return out;
  }

  /** One layer applied to its inputs' shapes: its output shape and the parameters it holds. */
  apply(className: string, config: Json, layer: string, inputs: Shape[]): { output: Shape; params: number } {
    const single = () => {
      if (inputs.length !== 1) this.fail(`layer "${layer}" (${className}) takes one input, not ${inputs.length}`);
      return inputs[0];
    };
    const bias = (n: number) => (config.use_bias === false ? 0 : n);
    switch (className) {
      case 'Dense': {
        const input = single();
        if (input.length < 1) this.fail(`layer "${layer}" (Dense) gets a scalar input`);
        const units = this.units(this.int(config, 'units', layer), 'units', layer, className);
        const features = input[input.length - 1];
        return { output: [...input.slice(0, -1), units], params: features * units + bias(units) };
      }
      case 'Conv2D':
      case 'DepthwiseConv2D':
      case 'SeparableConv2D': {
        const [height, width, channels] = this.image(single(), layer, className);
        this.channelsLast(config, layer, className);
        if (config.groups !== undefined && config.groups !== 1) this.fail(`layer "${layer}" (${className}) uses grouped convolution, which is not supported`);
        const [kh, kw] = this.pair(config, 'kernel_size', layer, [1, 1]);
        const [sh, sw] = this.pair(config, 'strides', layer, [1, 1]);
        const [dh, dw] = this.pair(config, 'dilation_rate', layer, [1, 1]);
        const spatial = [this.slide(height, kh, sh, dh, config.padding, layer), this.slide(width, kw, sw, dw, config.padding, layer)];
        if (className === 'Conv2D') {
          const filters = this.units(this.int(config, 'filters', layer), 'filters', layer, className);
          return { output: [...spatial, filters], params: kh * kw * channels * filters + bias(filters) };
        }
        const multiplier = this.int(config, 'depth_multiplier', layer, 1);
        const depthwise = this.units(channels * multiplier, 'depthwise channels', layer, className);
        if (className === 'DepthwiseConv2D') return { output: [...spatial, depthwise], params: kh * kw * depthwise + bias(depthwise) };
        const filters = this.units(this.int(config, 'filters', layer), 'filters', layer, className);
        return { output: [...spatial, filters], params: kh * kw * depthwise + depthwise * filters + bias(filters) };
      }
      case 'BatchNormalization':
      case 'LayerNormalization': {
        const input = single();
        const axis = config.axis ?? -1;
        const index = typeof axis === 'number' ? (axis < 0 ? input.length + axis : axis - 1) : -1; // axis counts the batch axis
        if (!(index >= 0 && index < input.length)) this.fail(`layer "${layer}" (${className}) normalises axis ${JSON.stringify(axis)}, which its input [${input.join(', ')}] does not have`);
        const channels = this.units(input[index], 'channels', layer, className);
        const perChannel = (config.center === false ? 0 : 1) + (config.scale === false ? 0 : 1) + (className === 'BatchNormalization' ? 2 : 0); // + moving mean and variance
        return { output: input, params: channels * perChannel };
      }
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const [height, width, channels] = this.image(single(), layer, className);
        this.channelsLast(config, layer, className);
        const [ph, pw] = this.pair(config, 'pool_size', layer, [2, 2]);
        const [sh, sw] = config.strides === null || config.strides === undefined ? [ph, pw] : this.pair(config, 'strides', layer, [ph, pw]);
        return { output: [this.slide(height, ph, sh, 1, config.padding, layer), this.slide(width, pw, sw, 1, config.padding, layer), channels], params: 0 };
      }
      case 'GlobalAveragePooling2D':
      case 'GlobalMaxPooling2D': {
        const [, , channels] = this.image(single(), layer, className);
        this.channelsLast(config, layer, className);
        return { output: config.keepdims === true ? [1, 1, channels] : [channels], params: 0 };
      }
      case 'ZeroPadding2D': {
        const [height, width, channels] = this.image(single(), layer, className);
        this.channelsLast(config, layer, className);
        const padding = config.padding ?? 1;
        const sides =
          typeof padding === 'number' ? [padding, padding, padding, padding]
          : Array.isArray(padding) && padding.every((p) => typeof p === 'number') ? [padding[0], padding[0], padding[1], padding[1]]
          : Array.isArray(padding) ? (padding as unknown[]).flat()
          : [];
        if (sides.length !== 4 || !sides.every((p) => Number.isInteger(p) && (p as number) >= 0 && (p as number) <= 64)) {
          this.fail(`layer "${layer}" (ZeroPadding2D) has padding ${JSON.stringify(padding)}, not whole numbers from 0 to 64`);
        }
        const [top, bottom, left, right] = sides as number[];
        return { output: [height + top + bottom, width + left + right, channels], params: 0 };
      }
      case 'Flatten':
        return { output: [product(single())], params: 0 };
      case 'Reshape': {
        const input = single();
        const target = config.target_shape;
        if (!Array.isArray(target) || !target.every((d) => Number.isInteger(d) && (d > 0 || d === -1)) || target.filter((d) => d === -1).length > 1) {
          this.fail(`layer "${layer}" (Reshape) has target_shape ${JSON.stringify(target)}`);
        }
        const known = product((target as number[]).filter((d) => d !== -1));
        const output = (target as number[]).map((d) => (d === -1 ? product(input) / known : d));
        if (product(output) !== product(input) || !output.every(Number.isInteger)) this.fail(`layer "${layer}" (Reshape) cannot make [${input.join(', ')}] into [${(target as number[]).join(', ')}]`);
        return { output, params: 0 };
      }
      case 'PReLU': {
        const input = single();
        const shared = Array.isArray(config.shared_axes) ? (config.shared_axes as unknown[]) : [];
        return { output: input, params: product(input.map((d, i) => (shared.includes(i + 1) ? 1 : d))) };
      }
      case 'Concatenate': {
        if (inputs.length < 2) this.fail(`layer "${layer}" (Concatenate) takes two or more inputs, not ${inputs.length}`);
        const rank = inputs[0].length;
        const axis = typeof config.axis === 'number' ? config.axis : -1;
        const index = axis < 0 ? rank + axis : axis - 1;
        const same = inputs.every((s) => s.length === rank && s.every((d, i) => i === index || d === inputs[0][i]));
        if (!same || index < 0 || index >= rank) this.fail(`layer "${layer}" (Concatenate) gets inputs that do not line up: ${inputs.map((s) => `[${s.join(', ')}]`).join(', ')}`);
        const output = [...inputs[0]];
        output[index] = this.units(inputs.reduce((n, s) => n + s[index], 0), 'channels', layer, className);
        return { output, params: 0 };
      }
      default:
        if (SHAPE_KEEPING.has(className)) return { output: single(), params: 0 };
        if (MERGING.has(className)) {
          if (inputs.length < 2 || !inputs.every((s) => s.join(',') === inputs[0].join(','))) {
            this.fail(`layer "${layer}" (${className}) gets inputs of different shapes: ${inputs.map((s) => `[${s.join(', ')}]`).join(', ')}`);
          }
          return { output: inputs[0], params: 0 };
        }
        return this.fail(`layer "${layer}" is a ${className}, which this app cannot check; it imports 2D image networks built from Conv2D, SeparableConv2D, DepthwiseConv2D, Dense, BatchNormalization, pooling, dropout, activation, Flatten, Reshape and merge layers`);
    }
  }

  /** A layer entry's class, config and name, checked for shape. */
  entry(value: unknown, where: string): { className: string; config: Json; name: string } {
    if (!isObject(value) || typeof value.class_name !== 'string' || !isObject(value.config)) this.fail(`${where} is not a layer ({ class_name, config })`);
    const name = typeof value.name === 'string' ? value.name : typeof value.config.name === 'string' ? value.config.name : where;
    return { className: value.class_name, config: value.config, name };
  }

  /** The input shape a layer declares (batch_input_shape without the batch axis), if any. */
  declaredInput(config: Json, layer: string): Shape | null {
    const shape = config.batch_input_shape;
    if (shape === undefined || shape === null) return null;
    if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every((d) => Number.isInteger(d) && d >= 1 && d <= 4096)) {
      this.fail(`layer "${layer}" declares the input shape ${JSON.stringify(shape)}; every size after the batch must be a whole number from 1 to 4096`);
    }
    return (shape as number[]).slice(1);
  }

  counted(): void {
    this.layers++;
    if (this.layers > MAX_LAYERS) this.fail(`more than ${count(MAX_LAYERS)} layers; the most this app accepts is ${count(MAX_LAYERS)}`);
  }

  /** A Sequential model's layers applied in order to `input` (or to the first layer's declared input). */
  sequential(layers: unknown, input: Shape | null, where: string): { output: Shape; params: number } {
    if (!Array.isArray(layers) || layers.length === 0) this.fail(`${where} has no layers`);
    if (layers.length > MAX_LAYERS) this.fail(`${count(layers.length)} layers; the most this app accepts is ${count(MAX_LAYERS)}`);
    let shape = input;
    let params = 0;
    layers.forEach((value, i) => {
      const { className, config, name } = this.entry(value, `${where} layer ${i + 1}`);
      this.counted();
      shape ??= this.declaredInput(config, name);
      if (!shape) this.fail(`the first layer ("${name}") declares no input shape`);
      if (className === 'InputLayer') return;
      const applied = className === 'Sequential' ? this.sequential(config.layers, shape, `layer "${name}"`) : this.apply(className, config, name, [shape]);
      shape = applied.output;
      params += applied.params;
    });
    return { output: shape!, params };
  }

  /** A functional model's layers: each node's inputs resolved by name, every layer's parameters counted once. */
  functional(config: Json): { output: Shape; params: number } {
    const layers = config.layers;
    if (!Array.isArray(layers) || layers.length === 0) this.fail('the model has no layers');
    if (layers.length > MAX_LAYERS) this.fail(`${count(layers.length)} layers; the most this app accepts is ${count(MAX_LAYERS)}`);
    const entries = layers.map((value, i) => ({ ...this.entry(value, `layer ${i + 1}`), nodes: (value as Json).inbound_nodes }));
    entries.forEach(() => this.counted());
    const outputs = new Map<string, Shape>(); // "layer@node" -> output shape
    const paramsOf = new Map<string, number>();
    // Every node of every layer, resolved below once the outputs it takes are known.
    let work: { entry: (typeof entries)[number]; nodeIndex: number; inbound: unknown }[] = [];
    for (const entry of entries) {
      if (entry.className === 'InputLayer') {
        const shape = this.declaredInput(entry.config, entry.name);
        if (!shape) this.fail(`input layer "${entry.name}" declares no shape`);
        outputs.set(`${entry.name}@0`, shape);
        continue;
      }
      if (!Array.isArray(entry.nodes) || entry.nodes.length === 0) this.fail(`layer "${entry.name}" (${entry.className}) is connected to nothing`);
      entry.nodes.forEach((inbound, nodeIndex) => work.push({ entry, nodeIndex, inbound }));
    }
    // A pass that resolves nothing means an input from a layer that is not there (or a cycle).
    while (work.length > 0) {
      const left: typeof work = [];
      for (const item of work) {
        const { entry, nodeIndex, inbound } = item;
        if (!Array.isArray(inbound) || inbound.length === 0) this.fail(`layer "${entry.name}" has a malformed inbound node`);
        const keys = inbound.map((ref) => {
          if (!Array.isArray(ref) || typeof ref[0] !== 'string' || !Number.isInteger(ref[1])) this.fail(`layer "${entry.name}" has a malformed inbound node`);
          return `${ref[0]}@${ref[1]}`;
        });
        if (!keys.every((key) => outputs.has(key))) {
          left.push(item);
          continue;
        }
        const inputs = keys.map((key) => outputs.get(key)!);
        if (entry.className === 'Sequential' && inputs.length !== 1) this.fail(`layer "${entry.name}" (Sequential) takes one input, not ${inputs.length}`);
        const applied =
          entry.className === 'Sequential'
            ? this.sequential(entry.config.layers, inputs[0], `layer "${entry.name}"`)
            : this.apply(entry.className, entry.config, entry.name, inputs);
        const known = paramsOf.get(entry.name);
        if (known !== undefined && known !== applied.params) this.fail(`layer "${entry.name}" is shared by inputs of different shapes`);
        paramsOf.set(entry.name, applied.params);
        outputs.set(`${entry.name}@${nodeIndex}`, applied.output);
      }
      if (left.length === work.length) this.fail(`layer "${left[0].entry.name}" takes its input from a layer the model does not have (or from a cycle)`);
      work = left;
    }
    const heads = config.output_layers;
    const head = Array.isArray(heads) && Array.isArray(heads[0]) ? heads[0] : null;
    const output = head ? outputs.get(`${String(head[0])}@${String(head[1])}`) : undefined;
    if (!output) this.fail(`the model's output layer ${JSON.stringify(head?.[0] ?? null)} is not among its layers`);
    return { output, params: [...paramsOf.values()].reduce((a, b) => a + b, 0) };
  }
}

/**
 * Checks a layers model's topology (model.json's "modelTopology", tfjs' or Keras' layout) against the caps and
 * against its weights manifest, before anything is built.
 * @param specs the manifest's weight entries; their sizes are what the weights file holds.
 * @returns the number of layers and the parameters they hold.
 * @throws ModelFileError naming `file` and the problem.
 */
export function checkTopology(topology: unknown, specs: tf.io.WeightsManifestEntry[], file: string): TopologySummary {
  const checker: Checker = new Checker(file); // typed, so that checker.fail narrows like a throw
  const root = isObject(topology) && isObject(topology.model_config) ? topology.model_config : topology;
  if (!isObject(root) || typeof root.class_name !== 'string') checker.fail('"modelTopology" names no model class (expected Sequential or Model)');
  let params: number;
  if (root.class_name === 'Sequential') {
    const config = root.config;
    params = checker.sequential(Array.isArray(config) ? config : isObject(config) ? config.layers : null, null, 'the model').params;
  } else if (root.class_name === 'Model' || root.class_name === 'Functional') {
    if (!isObject(root.config)) checker.fail('"modelTopology" has no config');
    params = checker.functional(root.config).params;
  } else {
    return checker.fail(`"modelTopology" is a ${root.class_name}; only Sequential and functional (Model) layers models can be imported`);
  }
  if (params > MAX_PARAMS) checker.fail(`its layers hold ${count(params)} parameters; the most this app accepts is ${count(MAX_PARAMS)}`);
  const declared = specs.reduce((n, spec) => n + product(spec.shape), 0);
  if (params !== declared) {
    checker.fail(`its layers hold ${count(params)} parameters but its weights manifest declares ${count(declared)}: the layers and the weights do not belong together`);
  }
  return { layers: checker.layers, params };
}
