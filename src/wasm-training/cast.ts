// Cast for the 'wasm' backend: to the same dtype it shares the data instead of copying it (tfjs-layers'
// BatchNorm casts float32 activations to float32 on every call). Pure; no DOM.
import type { CastAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type BackendWasm, runKernel } from './wasm-backend';

const cast: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  if ((attrs as unknown as CastAttrs).dtype !== x.dtype || x.dtype === 'string') return runKernel(wasm, 'Cast', inputs, attrs);
  wasm.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

export const castConfig: KernelConfig = { kernelName: 'Cast', backendName: 'wasm', kernelFunc: cast };
