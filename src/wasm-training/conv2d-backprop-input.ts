// Conv2DBackpropInput for the 'wasm' backend: the built-in one is a naive single-threaded loop. Pure; no DOM.
import { backend_util, type Conv2DBackpropInputAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { convForward, packFlippedSwappedFilter } from './conv2d-simd';
import { type BackendWasm, disposeInfo, runKernel } from './wasm-backend';

/**
 * dx[n, y, x, ci] = sum over kh, kw, co of dy[n, (y + padTop - kh) / s, (x + padLeft - kw) / s, co] * w[kh, kw, ci, co]
 * (terms with a fractional or out-of-range index are 0).
 *
 * Stride 1: a forward convolution (kernels.c conv_forward, threaded) of dy with the filter flipped in space
 * and with in/out swapped, padded by (k - 1 - pad) on each side; one packing pass makes that filter. Stride s > 1 with a 1x1 filter (Mini-Xception's shortcuts): a 1x1
 * conv of dy with the swapped filter, spread onto every s-th pixel. Anything else: the built-in kernel.
 */
export const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  if (info.dataFormat !== 'channelsLast') return runKernel(wasm, 'Conv2DBackpropInput', inputs, attrs);
  if (sh === 1 && sw === 1) return stride1(wasm, dy, filter, info);
  if (kh === 1 && kw === 1 && info.padInfo.top === 0 && info.padInfo.left === 0) return pointwiseStrided(wasm, dy, filter, info);
  return runKernel(wasm, 'Conv2DBackpropInput', inputs, attrs);
};

function stride1(wasm: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, inChannels: ci, outChannels: co } = info;
  // A conv over dy [n, oh, ow, co] giving [n, h, w, ci], padded by (k - 1 - pad) before.
  const g = { n: info.batchSize, h: oh, w: ow, ci: co, oh: h, ow: w, co: ci, kh, kw, sh: 1, sw: 1, padTop: kh - 1 - info.padInfo.top, padLeft: kw - 1 - info.padInfo.left };
  return convForward(wasm, dy, g, packFlippedSwappedFilter(wasm, filter), null, false);
}

function pointwiseStrided(wasm: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow, batchSize: n, inChannels: ci } = info;
  // [1, 1, ci, co] -> [1, 1, co, ci]: dense values at the sampled pixels, [n, oh, ow, ci].
  const swapped = runKernel(wasm, 'Transpose', { x: filter }, { perm: [0, 1, 3, 2] });
  const dense = runKernel(wasm, 'Conv2D', { x: dy, filter: swapped }, { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: 1 } as never);
  // Spread: [n, oh, 1, ow, 1, ci] padded to [n, oh, sh, ow, sw, ci] puts each value at (y*sh, x*sw); then crop to h x w.
  const spread = runKernel(
    wasm,
    'PadV2',
    { x: { ...dense, shape: [n, oh, 1, ow, 1, ci] } },
    { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 },
  );
  const full = { ...spread, shape: [n, oh * sh, ow * sw, ci] };
  const out = oh * sh === h && ow * sw === w ? null : runKernel(wasm, 'Slice', { x: full }, { begin: [0, 0, 0, 0], size: [n, h, w, ci] });
  disposeInfo(wasm, swapped, dense);
  if (out) disposeInfo(wasm, spread);
  return out ?? full;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
