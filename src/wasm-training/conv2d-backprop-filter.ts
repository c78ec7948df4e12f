// Conv2DBackpropFilter for the 'wasm' backend (tfjs-backend-wasm 4.22 has none). Pure; no DOM.
import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvGeometry, geometry, scratch, winogradApplies } from './conv2d-simd';
import { simdKernels } from './simd-module';
import { simdPool, splitRange } from './simd-threads';
import { type BackendWasm, disposeInfo, emscripten, ptr, runKernel } from './wasm-backend';

/**
 * dW[kh, kw, ci, co] = sum over n, oy, ox of x[n, oy*s + kh - padTop, ox*s + kw - padLeft, ci] * dy[n, oy, ox, co]
 * for x [n, h, w, ci] and dy [n, oh, ow, co], NHWC, any stride and padding.
 *
 * 3x3 stride-1 convs with a multiple of 4 input channels: Winograd F(2x2,3x3) read backwards (kernels.c,
 * winograd_filter_grad), 16 multiplies per tile and channel pair instead of 36. Others: one SIMD GEMM over the
 * output pixels (conv_filter_grad) on channel-panel copies of x and dy. Both on as many threads as the pool
 * has (simd-threads.ts), split by output channels. (Phrasing it as one XNNPACK convolution of
 * x^T with dy^T as the filter ran at 9-24 GFLOP/s once tfjs had transposed and XNNPACK had packed the
 * activation-sized "filter" on every call.)
 */
export const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  const dy = inputs.dy as TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== 'channelsLast') throw new Error('wasm Conv2DBackpropFilter supports NHWC only');
  const g = geometry(info);
  if (g.ci > 1 && g.ci < 4 && winogradApplies({ ...g, ci: 4 })) return paddedWinogradFilterGrad(wasm, x, dy, g);
  const out = wasm.makeOutput(filterShape, 'float32');
  if (g.ci === 1) oneChannelFilterGrad(wasm, x, dy, out, g);
  else if (winogradApplies(g)) winogradFilterGrad(wasm, x, dy, out, g);
  else directFilterGrad(wasm, x, dy, out, g);
  return out;
};

/**
 * One input channel (a net's first conv on gray faces), any kernel and stride: kernels.c conv_filter_grad_c1
 * on a zero-padded copy of x, threads split by runs of 8 output channels. The GEMM kernels pad x to 4
 * channels, 4x the work (Winograd included).
 */
function oneChannelFilterGrad(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, out: TensorInfo, g: ConvGeometry): void {
  // Exactly the rows and columns the taps reach: padding before, zeros or x after, whatever x has beyond unused.
  const hp = (g.oh - 1) * g.sh + g.kh;
  const wp = (g.ow - 1) * g.sw + g.kw;
  const padded = scratch(wasm, g.n * hp * wp);
  const heap = new Float32Array(emscripten(wasm).HEAPU8.buffer);
  const xBase = ptr(wasm, x) / 4;
  const cols = Math.min(g.w, wp - g.padLeft);
  for (let b = 0; b < g.n; b++)
    for (let i = Math.max(0, g.padTop); i < Math.min(hp, g.h + g.padTop); i++) {
      const from = xBase + (b * g.h + i - g.padTop) * g.w;
      heap.copyWithin(padded.offset / 4 + (b * hp + i) * wp + g.padLeft, from, from + cols);
    }
  const pool = simdPool(wasm);
  const args = splitRange(g.co, pool.parts(), 8).map(([begin, end]) => [padded.offset, ptr(wasm, dy), ptr(wasm, out), begin, end, g.n, hp, wp, g.oh, g.ow, g.co, g.kh, g.kw, g.sh, g.sw]);
  pool.run('conv_filter_grad_c1', args);
  padded.free();
}

/**
 * 2-3 input channels: x zero-padded to 4 channels, Winograd, and the real channels' rows of dW kept. 16
 * multiplies per tile over 4 channels beat the direct kernel, which pads to 4 channels too but does 36.
 */
function paddedWinogradFilterGrad(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, g: ConvGeometry): TensorInfo {
  const padded = runKernel(wasm, 'PadV2', { x }, { paddings: [[0, 0], [0, 0], [0, 0], [0, 4 - g.ci]], constantValue: 0 });
  const full = wasm.makeOutput([3, 3, 4, g.co], 'float32');
  winogradFilterGrad(wasm, padded, dy, full, { ...g, ci: 4 });
  const out = runKernel(wasm, 'Slice', { x: full }, { begin: [0, 0, 0, 0], size: [3, 3, g.ci, g.co] });
  disposeInfo(wasm, padded, full);
  return out;
}

function directFilterGrad(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, out: TensorInfo, g: ConvGeometry): void {
  // makeOutput does not clear the heap; the kernel accumulates.
  wasm.typedArrayFromHeap(out).fill(0);
  // Channel-panel copies of x (4 wide) and dy (8 wide): the GEMM then streams consecutive memory.
  const xPacked = scratch(wasm, Math.ceil(g.ci / 4) * 4 * g.n * g.h * g.w);
  const dyPacked = scratch(wasm, Math.ceil(g.co / 8) * 8 * g.n * g.oh * g.ow);
  const kernels = simdKernels(wasm);
  kernels.pack_channels(ptr(wasm, x), xPacked.offset, g.n * g.h * g.w, g.ci, 4);
  kernels.pack_channels(ptr(wasm, dy), dyPacked.offset, g.n * g.oh * g.ow, g.co, 8);
  const shape = [g.n, g.h, g.w, g.ci, g.oh, g.ow, g.co, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft];
  // Threads take disjoint runs of 8 output channels (the kernel's tile width), so no partial sums to add.
  const pool = simdPool(wasm);
  const args = splitRange(g.co, pool.parts(), 8).map(([begin, end]) => [xPacked.offset, dyPacked.offset, ptr(wasm, out), 0, g.n * g.oh, begin, end, ...shape]);
  pool.run('conv_filter_grad', args);
  xPacked.free();
  dyPacked.free();
}

/** Winograd (kernels.c winograd_filter_grad): each part transforms x and its own panels of dy, then writes its columns of dW. */
function winogradFilterGrad(wasm: BackendWasm, x: TensorInfo, dy: TensorInfo, out: TensorInfo, g: ConvGeometry): void {
  const pool = simdPool(wasm);
  const runs = splitRange(g.co, pool.parts(), 8);
  const perPart = Math.max(...runs.map(([begin, end]) => simdKernels(wasm).winograd_filter_grad_scratch(g.ci, end - begin)));
  const work = scratch(wasm, perPart * runs.length, false);
  const zero = scratch(wasm, g.ci);
  const shape = [g.n, g.h, g.w, g.ci, g.oh, g.ow, g.co, g.padTop, g.padLeft];
  const args = runs.map(([begin, end], part) => [ptr(wasm, x), ptr(wasm, dy), ptr(wasm, out), zero.offset, work.offset + part * perPart * 4, begin, end, ...shape]);
  pool.run('winograd_filter_grad', args);
  work.free();
  zero.free();
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
