// DepthwiseConv2dNative and its two gradients for the 'wasm' backend (tfjs-wasm has no depthwise gradients, and
// Mini-Xception's separable convs need both), on kernels.c split over the kernel threads by images. The forward
// conv of Mini-Xception's shape (multiplier 1, stride 1, no dilation) runs on our kernel too; other shapes stay on
// tfjs' own (XNNPACK). Pure; no DOM.
import {
  backend_util,
  type DepthwiseConv2dNativeAttrs,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { scratch } from './conv2d-simd';
import { simdKernels } from './simd-module';
import { runSplit } from './simd-threads';
import { type BackendWasm, disposeInfo, ptr, reshapeInfo, runKernel } from './wasm-backend';

/** The kernels' shape arguments (DepthwiseShape in simd-module.ts): n, h, w, ch, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft. */
type Shape = readonly number[];

/** The kernels' shape arguments for a multiplier-1 depthwise conv over `channels` channels. */
function shapeArgs(info: backend_util.Conv2DInfo, channels: number): Shape {
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
  ];
}

type DepthwiseAttrs = DepthwiseConv2dNativeAttrs | DepthwiseConv2dNativeBackpropFilterAttrs | DepthwiseConv2dNativeBackpropInputAttrs;

function depthwiseInfo(xShape: number[], filterShape: number[], attrs: DepthwiseAttrs): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1, // tfjs-wasm's forward kernel takes a missing dilation as 1
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

/** Whether depthwise_conv (a gather) computes the conv, and the input gradient: multiplier 1, stride 1, no dilation. */
function gatherApplies(info: backend_util.Conv2DInfo, multiplier: number): boolean {
  return multiplier === 1 && info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

type DepthwiseKernel = 'depthwise_conv' | 'depthwise_filter_grad' | 'depthwise_input_grad';

/**
 * Runs a depthwise kernel of kernels.c on the thread pool, each part taking a run of whole images: every pointer
 * argument, given as [byte offset, floats per image], moves to the run's first image (0 floats: the same for all
 * parts), and n becomes the run's length.
 */
function runByImages(wasm: BackendWasm, kernel: DepthwiseKernel, pointers: [number, number][], shape: Shape): void {
  const [n, h, w, ch, oh, ow] = shape;
  const floats = n * ch * Math.max(h * w, oh * ow);
  runSplit(wasm, kernel, n, 1, floats, (b0, b1) => [...pointers.map(([offset, perImage]) => offset + b0 * perImage * 4), b1 - b0, ...shape.slice(1)]);
}

/**
 * out [n, oh, ow, ch] (written) = depthwise_conv of x [n, h, w, ch] with filter [kh, kw, ch, 1], its taps reversed
 * when `reverse`; weights below 2^-64 count as 0 (the packing zeroes them, as for the other convs).
 */
function depthwiseConv(wasm: BackendWasm, x: TensorInfo, filter: TensorInfo, reverse: boolean, shape: Shape, out: TensorInfo): void {
  const [, h, w, ch, oh, ow, kh, kw] = shape;
  const packed = scratch(wasm, kh * kw * ch, false);
  simdKernels(wasm).depthwise_pack_filter(ptr(wasm, filter), packed.offset, kh * kw, ch, reverse ? 1 : 0);
  const zero = scratch(wasm, ch);
  runByImages(
    wasm,
    'depthwise_conv',
    [
      [ptr(wasm, x), h * w * ch],
      [packed.offset, 0],
      [zero.offset, 0],
      [ptr(wasm, out), oh * ow * ch],
    ],
    shape,
  );
  packed.free();
  zero.free();
}

/**
 * out[n, oy, ox, c] = sum over ky, kx of x[n, oy + ky - padTop, ox + kx - padLeft, c] * filter[ky, kx, c, 0] for
 * x [n, h, w, c] and filter [kh, kw, c, 1], NHWC float32, stride 1, no dilation, any padding: our kernel. Other
 * strides, dilations, multipliers and types: tfjs' own kernel (XNNPACK).
 */
const depthwiseConv2d: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const a = attrs as unknown as DepthwiseConv2dNativeAttrs;
  const info = depthwiseInfo(x.shape, filter.shape, a);
  const ours = x.dtype === 'float32' && filter.dtype === 'float32' && a.dataFormat !== 'NCHW' && gatherApplies(info, filter.shape[3]);
  if (!ours) return runKernel(wasm, 'DepthwiseConv2dNative', inputs, attrs);
  const out = wasm.makeOutput(info.outShape, 'float32');
  depthwiseConv(wasm, x, filter, false, shapeArgs(info, info.inChannels), out);
  return out;
};

/**
 * dfilter[kh, kw, c, m] = sum over n, oy, ox of x[n, iy, ix, c] * dy[n, oy, ox, c*M + m].
 * With a multiplier M > 1, x's channels are first repeated M times ([.., c, M] via Tile), which turns the
 * problem into a multiplier-1 one over c*M channels. Each image's sums go to a scratch row, and the rows are
 * added in order afterwards: the same float32 result however the threads split the batch.
 */
const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape, a.filterShape, a);
  const [kh, kw, c, m] = a.filterShape;
  const [n, h, w] = x.shape;
  let source = x;
  if (m > 1) {
    source = runKernel(wasm, 'Tile', { x: reshapeInfo(x, [n, h, w, c, 1]) }, { reps: [1, 1, 1, 1, m] });
    source = reshapeInfo(source, [n, h, w, c * m]);
  }
  const channels = c * m;
  const tapFloats = kh * kw * channels;
  const partials = scratch(wasm, n * tapFloats, false);
  runByImages(
    wasm,
    'depthwise_filter_grad',
    [
      [ptr(wasm, source), h * w * channels],
      [ptr(wasm, dy), info.outHeight * info.outWidth * channels],
      [partials.offset, tapFloats],
    ],
    shapeArgs(info, channels),
  );
  const out = wasm.makeOutput([kh, kw, c, m], 'float32');
  simdKernels(wasm).sum_rows(partials.offset, n, tapFloats, ptr(wasm, out), 1);
  partials.free();
  if (source !== x) disposeInfo(wasm, source);
  return out;
};

/**
 * dx[n, iy, ix, c] = sum over taps and m of dy[n, oy, ox, c*M + m] * filter[kh, kw, c, m].
 * Stride 1, no dilation, multiplier 1 (Mini-Xception's separable convs): a gather, the forward kernel on dy with
 * the taps reversed, padded so that it gives h x w (the scatter kernel took 7x as long there as a gather on
 * XNNPACK). Otherwise the scatter kernel; with M > 1 it runs over c*M channels and the M partial results per
 * channel are summed.
 */
const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const dy = inputs.dy as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const a = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(a.inputShape, filter.shape, a);
  const [n, h, w, c] = a.inputShape;
  const { outHeight: oh, outWidth: ow, filterHeight: kh, filterWidth: kw } = info;
  const m = filter.shape[3];
  if (gatherApplies(info, m) && dy.dtype === 'float32' && filter.dtype === 'float32') {
    // A conv over dy [n, oh, ow, c] giving [n, h, w, c], padded by (k - 1 - pad) before.
    const dx = wasm.makeOutput([n, h, w, c], 'float32');
    depthwiseConv(wasm, dy, filter, true, [n, oh, ow, c, h, w, kh, kw, 1, 1, 1, 1, kh - 1 - info.padInfo.top, kw - 1 - info.padInfo.left], dx);
    return dx;
  }
  const spread = wasm.makeOutput([n, h, w, c * m], 'float32');
  runByImages(
    wasm,
    'depthwise_input_grad',
    [
      [ptr(wasm, dy), oh * ow * c * m],
      [ptr(wasm, filter), 0],
      [ptr(wasm, spread), h * w * c * m],
    ],
    shapeArgs(info, c * m),
  );
  if (m === 1) return spread;
  const out = runKernel(wasm, 'Sum', { x: reshapeInfo(spread, [n, h, w, c, m]) }, { axis: [4], keepDims: false });
  disposeInfo(wasm, spread);
  return out;
};

export const depthwiseConv2dConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNative',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2d,
};

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
