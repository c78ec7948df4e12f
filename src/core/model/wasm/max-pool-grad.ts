// MaxPoolGrad for the 'wasm' backend: one SIMD pass over the windows (the built-in is a scalar loop). Pure; no DOM.
import { backend_util, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-module';
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
  simdKernels(wasm).max_pool_grad(
    ptr(wasm, input),
    ptr(wasm, dy),
    ptr(wasm, dx),
    info.batchSize,
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
  );
  return dx;
};

export const maxPoolGradConfig: KernelConfig = { kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad };
