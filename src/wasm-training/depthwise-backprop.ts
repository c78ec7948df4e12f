// DepthwiseConv2dNativeBackpropFilter/Input for the 'wasm' backend, which has neither (Mini-Xception's
// separable convs need both). SIMD kernels in kernels.c; any stride, dilation and padding. Pure; no DOM.
import {
  backend_util,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-module';
import { type BackendWasm, disposeInfo, ptr, reshapeInfo, runKernel } from './wasm-backend';

/** The kernels' shape arguments for a multiplier-1 depthwise conv over `channels` channels. */
function shapeArgs(info: backend_util.Conv2DInfo, channels: number) {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    channels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ] as const;
}

function depthwiseInfo(xShape: number[], filterShape: number[], attrs: DepthwiseConv2dNativeBackpropFilterAttrs | DepthwiseConv2dNativeBackpropInputAttrs) {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

/**
 * dfilter[kh, kw, c, m] = sum over n, oy, ox of x[n, iy, ix, c] * dy[n, oy, ox, c*M + m].
 * With a multiplier M > 1, x's channels are first repeated M times ([.., c, M] via Tile), which turns the
 * problem into a multiplier-1 one over c*M channels.
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const [kh, kw, c, m] = a.filterShape;
  let source = x;
  if (m > 1) {
    const [n, h, w] = x.shape;
    source = runKernel(wasm, 'Tile', { x: reshapeInfo(x, [n, h, w, c, 1]) }, { reps: [1, 1, 1, 1, m] });
    source = reshapeInfo(source, [n, h, w, c * m]);
  }
  const out = wasm.makeOutput([kh, kw, c, m], 'float32');
  simdKernels(wasm).depthwise_filter_grad(ptr(wasm, source), ptr(wasm, dy), ptr(wasm, out), ...shapeArgs(info, c * m));
  if (source !== x) disposeInfo(wasm, source);
  return out;
};

/**
 * dx[n, iy, ix, c] = sum over taps and m of dy[n, oy, ox, c*M + m] * filter[kh, kw, c, m].
 * Stride 1, no dilation, multiplier 1 (Mini-Xception's separable convs): a forward depthwise conv of dy with
 * the filter reversed in space, padded so that it gives h x w, on tfjs' own (XNNPACK) kernel: a gather where
 * our kernel scatters, 7x faster on Mini-Xception. Otherwise our kernel; with M > 1 it runs over c*M channels
 * and the M partial results per channel are summed.
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const [n, h, w, c] = a.inputShape;
  const m = filter.shape[3];
  if (m === 1 && info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 && dy.dtype === 'float32')
    return reversedFilterConv(wasm, dy, filter, info);
  const spread = wasm.makeOutput([n, h, w, c * m], 'float32');
  simdKernels(wasm).depthwise_input_grad(ptr(wasm, dy), ptr(wasm, filter), ptr(wasm, spread), ...shapeArgs(info, c * m));
  if (m === 1) return spread;
  const out = runKernel(wasm, 'Sum', { x: reshapeInfo(spread, [n, h, w, c, m]) }, { axis: [4], keepDims: false });
  disposeInfo(wasm, spread);
  return out;
};

const TINY = 2 ** -64;

function reversedFilterConv(wasm: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w, outHeight: oh, outWidth: ow } = info;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const pad = [
    [0, 0],
    [top, h - oh + kh - 1 - top],
    [left, w - ow + kw - 1 - left],
    [0, 0],
  ];
  const reversed = runKernel(wasm, 'Reverse', { x: filter }, { dims: [0, 1] });
  // Weights below 2^-64 read as 0, as our own kernels' packers do (kernels.c, zero_below): XNNPACK would
  // multiply them into subnormal products, ~100x slower on x86, late in long runs.
  const values = wasm.typedArrayFromHeap(reversed) as Float32Array;
  for (let i = 0; i < values.length; i++) if (Math.abs(values[i]) < TINY) values[i] = 0;
  const dx = runKernel(wasm, 'DepthwiseConv2dNative', { x: dy, filter: reversed }, { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' } as never);
  disposeInfo(wasm, reversed);
  return dx;
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
