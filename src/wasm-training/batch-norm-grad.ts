// BatchNorm's gradient on the 'wasm' backend in two passes over the activations instead of ~13: one SIMD
// kernel sums dy and dy*(x - mean) per channel, and dx is dy times a per-channel factor. Pure; no DOM.
import {
  add,
  engine,
  getBackend,
  getGradient,
  mul,
  neg,
  pow,
  registerGradient,
  reshape,
  rsqrt,
  split,
  util,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runSplit } from './simd-threads';
import { type BackendWasm, ptr } from './wasm-backend';

/** Name of our kernel: [2, c] = per-channel sums of dy and of dy * (x - mean), for x and dy [..., c]. */
export const BATCH_NORM_GRAD_SUMS = 'FerBatchNormGradSums';

const batchNormGradSums: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const { dy, x, mean } = inputs as Record<string, TensorInfo>;
  const cols = x.shape[x.shape.length - 1];
  const out = wasm.makeOutput([2, cols], 'float32');
  const size = util.sizeFromShape(x.shape);
  const [pdy, px, pm, po] = [ptr(wasm, dy), ptr(wasm, x), ptr(wasm, mean), ptr(wasm, out)];
  // Threads take runs of 4 columns; out [2, cols] = sums, then products.
  runSplit(wasm, 'bn_grad_sums', cols, 4, size, (c0, c1) => [pdy + c0 * 4, px + c0 * 4, pm + c0 * 4, size / cols, c1 - c0, cols, po + c0 * 4, po + (cols + c0) * 4]);
  return out;
};

export const batchNormGradSumsConfig: KernelConfig = { kernelName: BATCH_NORM_GRAD_SUMS, backendName: 'wasm', kernelFunc: batchNormGradSums };

/**
 * tfjs' FusedBatchNorm gradient, term for term (see tfjs-core's FusedBatchNorm_grad), from two sums:
 * with r = 1/sqrt(variance + eps), S = sum dy, P = sum dy*(x - mean), per channel:
 * dx = dy*scale*r, dmean = -scale*r*S, dvariance = -scale*r^3*P/2, dscale = r*P, doffset = S.
 * Returns null when the parameters are not per-channel vectors (tfjs' own gradient handles those).
 */
function batchNormGrad(dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) {
  const [x, mean, variance, scale] = saved;
  const channels = x.shape[x.rank - 1];
  const perChannel = (t: Tensor | undefined) => !t || (t.size === channels && t.shape[t.rank - 1] === channels);
  if (x.dtype !== 'float32' || x.rank < 2 || !perChannel(mean) || !perChannel(variance) || !perChannel(scale)) return null;
  const epsilon = attrs.varianceEpsilon as number;
  // Made here rather than in the thunks, which each run in their own tidy; tfjs' 'gradients' scope frees them.
  const [sumDy, sumDyCentered] = split(engine().runKernel(BATCH_NORM_GRAD_SUMS, { dy, x, mean }, {}) as Tensor, 2, 0).map((t) => reshape(t, [channels]));
  const r = rsqrt(add(reshape(variance, [channels]), epsilon));
  const scaleR = scale ? mul(reshape(scale, [channels]), r) : r;
  return {
    x: () => mul(dy, scaleR),
    mean: () => reshape(neg(mul(scaleR, sumDy)), mean.shape),
    variance: () => reshape(mul(mul(scaleR, mul(pow(r, 2), -0.5)), sumDyCentered), mean.shape),
    scale: () => reshape(mul(r, sumDyCentered), mean.shape),
    offset: () => reshape(sumDy, mean.shape),
  };
}

let registered = false;

/** Replaces FusedBatchNorm's gradient while 'wasm' is the backend (others keep tfjs' own). Idempotent. */
export function registerBatchNormGradient(): void {
  if (registered) return;
  registered = true;
  const original: GradConfig | undefined = getGradient('FusedBatchNorm');
  if (!original) throw new Error('tfjs has no gradient for FusedBatchNorm');
  registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => (getBackend() === 'wasm' ? batchNormGrad(dy as Tensor, saved, attrs) : null) ?? original.gradFunc(dy, saved, attrs),
  });
}
