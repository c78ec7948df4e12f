// The multiply-adds a training step of a net costs per face with our kernels: the algorithm each conv pass
// really runs (Winograd F(2x2,3x3): 16 multiplies per 2x2 output tile and channel pair instead of 36), not
// direct-conv FLOPs. bench:train sets it against the machine's SIMD peak (simd-peak.ts). Pure; no DOM.
import type * as tf from '@tensorflow/tfjs';
import { type ConvGeometry, winogradApplies } from './conv2d-simd';

export interface LayerArithmetic {
  name: string;
  /** Multiply-adds per face: forward, input gradient (0 for the first layer: its input is data), weight gradient. */
  forward: number;
  inputGrad: number;
  weightGrad: number;
}

type Shape = (number | null)[];

interface ConvConfig {
  kernelSize: number[];
  strides: number[];
}

/** One face's conv geometry of a layer (batch 1); channels as given. */
function convGeometry(input: Shape, output: Shape, config: ConvConfig, ci: number, co: number): ConvGeometry {
  const [kh, kw] = config.kernelSize;
  const [sh, sw] = config.strides;
  return { n: 1, h: input[1]!, w: input[2]!, ci, oh: output[1]!, ow: output[2]!, co, kh, kw, sh, sw, padTop: 0, padLeft: 0 };
}

/** Winograd's multiplies for an oh x ow output (2x2 tiles, 16 multiplies per tile and channel pair). */
const winograd = (oh: number, ow: number, ci: number, co: number) => 16 * Math.ceil(oh / 2) * Math.ceil(ow / 2) * ci * co;
const direct = (g: ConvGeometry) => g.oh * g.ow * g.kh * g.kw * g.ci * g.co;

/**
 * A dense conv's three passes as conv2d-forward.ts, conv2d-backprop-input.ts and conv2d-backprop-filter.ts run
 * them: forward and the stride-1 input gradient (a conv of dy with the flipped filter, co input channels) by
 * Winograd where winogradApplies, else direct; the weight gradient by Winograd for 3x3 stride 1 (inputs of 2-3
 * channels padded to 4), by one-channel kernel or direct otherwise (the same multiplies as forward).
 */
function convPasses(g: ConvGeometry): Omit<LayerArithmetic, 'name'> {
  const forward = winogradApplies(g) ? winograd(g.oh, g.ow, g.ci, g.co) : direct(g);
  const flipped = { ...g, ci: g.co, co: g.ci, oh: g.h, ow: g.w };
  const inputGrad = winogradApplies(flipped) ? winograd(g.h, g.w, g.co, g.ci) : direct(g);
  const paddedCi = g.ci > 1 && g.ci < 4 ? 4 : g.ci;
  const weightGrad = winogradApplies({ ...g, ci: paddedCi }) ? winograd(g.oh, g.ow, paddedCi, g.co) : direct(g);
  return { forward, inputGrad, weightGrad };
}

/** Per layer with weights, in the model's order; BatchNorm, pooling and activations left out (a few operations per value, not multiply-adds of a product). */
export function stepArithmetic(model: tf.LayersModel): LayerArithmetic[] {
  const layers: LayerArithmetic[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const weights = layer.getWeights(false);
    if (weights.length === 0) continue;
    const kernel = weights[0].shape as number[];
    const input = (layer.input as tf.SymbolicTensor).shape as Shape;
    const output = (layer.output as tf.SymbolicTensor).shape as Shape;
    const config = layer.getConfig() as unknown as ConvConfig;
    let passes: Omit<LayerArithmetic, 'name'> | null = null;
    if (className === 'Conv2D') passes = convPasses(convGeometry(input, output, config, kernel[2], kernel[3]));
    else if (className === 'DepthwiseConv2D' || className === 'SeparableConv2D') {
      // Depthwise: one multiply per tap, channel and output pixel in every pass (ours and XNNPACK's).
      const g = convGeometry(input, output, config, kernel[2], kernel[2] * kernel[3]);
      const depthwise = g.oh * g.ow * g.kh * g.kw * g.co;
      passes = { forward: depthwise, inputGrad: depthwise, weightGrad: depthwise };
      if (className === 'SeparableConv2D') {
        const pointwise = convPasses({ ...g, h: g.oh, w: g.ow, ci: g.co, co: output[3]!, kh: 1, kw: 1, sh: 1, sw: 1 });
        passes = { forward: passes.forward + pointwise.forward, inputGrad: passes.inputGrad + pointwise.inputGrad, weightGrad: passes.weightGrad + pointwise.weightGrad };
      }
    } else if (className === 'Dense') {
      const products = kernel[0] * kernel[1];
      passes = { forward: products, inputGrad: products, weightGrad: products };
    }
    if (passes) layers.push({ name: layer.name, ...passes, ...(layers.length === 0 ? { inputGrad: 0 } : {}) });
  }
  return layers;
}

/** A training step's multiply-adds per face: every layer's three passes. */
export function stepMultiplyAdds(model: tf.LayersModel): number {
  return stepArithmetic(model).reduce((sum, layer) => sum + layer.forward + layer.inputGrad + layer.weightGrad, 0);
}
