// MaxPoolGrad for the 'wasm' backend: one SIMD pass over the windows (the built-in is a scalar loop). Pure; no DOM.
import { backend_util, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { runSplit } from './simd-threads';
import { type BackendWasm, ptr, runKernel } from './wasm-backend';

/** dx [n, h, w, c]: each dy [n, oh, ow, c] value added at the first maximum of its window in `input`. */
const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const dy = inputs.dy as TensorInfo;
  const input = inputs.input as TensorInfo;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  if (input.dtype !== 'float32' || info.dilationHeight !== 1 || info.dilationWidth !== 1) return runKernel(wasm, 'MaxPoolGrad', inputs, attrs);
  const dx = wasm.makeOutput(input.shape, 'float32');
  const image = info.inHeight * info.inWidth * info.inChannels;
  const outImage = info.outHeight * info.outWidth * info.inChannels;
  const [px, pdy, pdx] = [ptr(wasm, input), ptr(wasm, dy), ptr(wasm, dx)];
  // Threads take runs of whole images.
  runSplit(wasm, 'max_pool_grad', info.batchSize, 1, info.batchSize * image, (b0, b1) => [
    px + b0 * image * 4,
    pdy + b0 * outImage * 4,
    pdx + b0 * image * 4,
    b1 - b0,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
  return dx;
};

export const maxPoolGradConfig: KernelConfig = { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad };
