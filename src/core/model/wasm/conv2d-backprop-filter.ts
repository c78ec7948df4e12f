// Conv2DBackpropFilter for the 'wasm' backend (tfjs-backend-wasm 4.22 has none). Pure; no DOM.
import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { scratch } from './conv2d-simd';
import { simdKernels } from './simd-module';
import { simdPool } from './simd-threads';
import { type BackendWasm, ptr } from './wasm-backend';

/**
 * dW[kh, kw, ci, co] = sum over n, oy, ox of x[n, oy*s + kh - padTop, ox*s + kw - padLeft, ci] * dy[n, oy, ox, co]
 * for x [n, h, w, ci] and dy [n, oh, ow, co], NHWC, any stride and padding.
 *
 * One SIMD GEMM over the output pixels (kernels.c, conv_filter_grad) on channel-panel copies of x and dy,
 * on as many threads as the pool has (simd-threads.ts). (Phrasing it as one XNNPACK convolution of
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
  const out = wasm.makeOutput(filterShape, 'float32');
  // makeOutput does not clear the heap; the kernel accumulates.
  wasm.typedArrayFromHeap(out).fill(0);
  const shape = [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
  // Channel-panel copies of x (4 wide) and dy (8 wide): the GEMM then streams consecutive memory.
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const xPacked = scratch(wasm, Math.ceil(ci / 4) * 4 * n * h * w);
  const dyPacked = scratch(wasm, Math.ceil(co / 8) * 8 * n * oh * ow);
  const kernels = simdKernels(wasm);
  kernels.pack_channels(ptr(wasm, x), xPacked.offset, n * h * w, ci, 4);
  kernels.pack_channels(ptr(wasm, dy), dyPacked.offset, n * oh * ow, co, 8);
  // Threads take disjoint runs of 8 output channels (the kernel's tile width), so no partial sums to add.
  const pool = simdPool(wasm);
  const blocks = Math.ceil(info.outChannels / 8);
  const parts = Math.min(pool.parts(), blocks);
  const args: number[][] = [];
  for (let part = 0; part < parts; part++) {
    const begin = Math.min(Math.round((blocks * part) / parts) * 8, info.outChannels);
    const end = Math.min(Math.round((blocks * (part + 1)) / parts) * 8, info.outChannels);
    args.push([xPacked.offset, dyPacked.offset, ptr(wasm, out), 0, n * oh, begin, end, ...shape]);
  }
  pool.run('conv_filter_grad', args);
  xPacked.free();
  dyPacked.free();
  return out;
};

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
