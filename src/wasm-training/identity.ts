// Identity for the 'wasm' backend: shares the data (tensors are immutable), as the CPU and WebGL backends
// do, instead of copying it. Pure; no DOM.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type BackendWasm, runKernel } from './wasm-backend';

const identity: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const x = inputs.x as TensorInfo;
  if (x.dtype === 'string') return runKernel(wasm, 'Identity', inputs);
  wasm.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

export const identityConfig: KernelConfig = { kernelName: 'Identity', backendName: 'wasm', kernelFunc: identity };
