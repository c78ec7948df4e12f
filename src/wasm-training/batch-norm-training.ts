// BatchNorm in training mode as one kernel for the 'wasm' backend: batch statistics and normalisation forward
// (2 passes over the activations), and a gradient of 2 passes (bn_grad_sums, bn_input_grad), where tfjs'
// moments + batchNorm + their gradients make ~20 (Mean, Sub, Square, Tile, Multiply, Add...). Used by the
// model's BatchNormalization layer (../batch-norm-layer.ts) when the backend has it. Pure; no DOM.
import {
  add,
  div,
  engine,
  mul,
  neg,
  registerGradient,
  reshape,
  rsqrt,
  split,
  stack,
  util,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAINING } from '../core/training/backend-extensions';
import { BATCH_NORM_GRAD_SUMS } from './batch-norm-grad';
import { normalizeRows } from './fused-batch-norm';
import { runSplit } from './simd-threads';
import { type BackendWasm, ptr } from './wasm-backend';

/** inputs {dy, x [..., c], params [4, c] = mean, a, b, d} -> a*dy + b*(x - mean) + d. */
const BATCH_NORM_INPUT_GRAD = 'FerBatchNormInputGrad';

const batchNormTraining: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
  const epsilon = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  const channels = x.shape[x.shape.length - 1];
  const rows = util.sizeFromShape(x.shape) / channels;
  const mean = wasm.makeOutput([channels], 'float32');
  const variance = wasm.makeOutput([channels], 'float32');
  const [px, pm, pv] = [ptr(wasm, x), ptr(wasm, mean), ptr(wasm, variance)];
  const size = rows * channels;
  // Threads take runs of 4 columns for the statistics, runs of rows for the normalisation.
  runSplit(wasm, 'bn_moments', channels, 4, size, (c0, c1) => [px + c0 * 4, rows, c1 - c0, channels, pm + c0 * 4, pv + c0 * 4]);
  // normalize_cols wants (x - m) * a + b with a = gamma / sqrt(variance + epsilon): a goes in a scratch [c].
  const a = wasm.makeOutput([channels], 'float32');
  const [g, v, scale] = [gamma, variance, a].map((t) => wasm.typedArrayFromHeap(t) as Float32Array);
  for (let c = 0; c < channels; c++) scale[c] = g[c] / Math.sqrt(v[c] + epsilon);
  const y = wasm.makeOutput(x.shape, 'float32');
  normalizeRows(wasm, x, y, pm, ptr(wasm, a), ptr(wasm, beta));
  wasm.disposeData(a.dataId);
  return [y, mean, variance];
};

const batchNormInputGrad: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const { dy, x, params } = inputs as Record<string, TensorInfo>;
  const channels = x.shape[x.shape.length - 1];
  const out = wasm.makeOutput(x.shape, 'float32');
  const size = util.sizeFromShape(x.shape);
  const [pdy, px, pp, po] = [ptr(wasm, dy), ptr(wasm, x), ptr(wasm, params), ptr(wasm, out)];
  runSplit(wasm, 'bn_input_grad', size / channels, 1, size, (r0, r1) => [pdy + r0 * channels * 4, px + r0 * channels * 4, r1 - r0, channels, pp, po + r0 * channels * 4]);
  return out;
};

export const batchNormTrainingConfig: KernelConfig = { kernelName: BATCH_NORM_TRAINING, backendName: 'wasm', kernelFunc: batchNormTraining };
export const batchNormInputGradConfig: KernelConfig = { kernelName: BATCH_NORM_INPUT_GRAD, backendName: 'wasm', kernelFunc: batchNormInputGrad };

/**
 * With N rows, r = 1/sqrt(variance + eps), x^ = (x - mean) r, y = gamma x^ + beta, and S = sum dy,
 * P = sum dy (x - mean) per channel, the full derivative (through the batch mean and variance too):
 *   dx = gamma r dy - gamma r^3 P (x - mean) / N - gamma r S / N  (+ dmean / N + 2 dvariance (x - mean) / N
 *   when the statistics themselves feed the loss), dgamma = r P, dbeta = S.
 */
function batchNormTrainingGrad(dys: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) {
  const [dy, dMean, dVariance] = dys as Tensor[];
  const [x, gamma, mean, variance] = saved;
  const channels = x.shape[x.rank - 1];
  const n = x.size / channels;
  const [sumDy, sumDyCentered] = split(engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy, x, mean }, {}) as Tensor, 2, 0).map((t) => reshape(t, [channels]));
  const r = rsqrt(add(variance, attrs.varianceEpsilon as number));
  const gammaR = mul(gamma, r);
  const b = add(div(mul(neg(mul(gammaR, mul(r, r))), sumDyCentered), n), div(mul(dVariance, 2), n));
  const d = add(div(mul(neg(gammaR), sumDy), n), div(dMean, n));
  const params = stack([mean, gammaR, b, d]);
  const dx = engine().runKernel(BATCH_NORM_INPUT_GRAD, { dy, x, params }, {}) as Tensor;
  return { x: () => dx, gamma: () => mul(r, sumDyCentered), beta: () => sumDy };
}

let registered = false;

/** The gradient of BATCH_NORM_TRAINING (registered once, for whichever backend has the kernel). */
export function registerBatchNormTrainingGradient(): void {
  if (registered) return;
  registered = true;
  registerGradient({ kernelName: BATCH_NORM_TRAINING, inputsToSave: ['x', 'gamma'], outputsToSave: [false, true, true], gradFunc: batchNormTrainingGrad });
}
