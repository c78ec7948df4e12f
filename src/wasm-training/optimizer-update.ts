// The optimizers' update of one variable as one SIMD pass on 'wasm' (kernels.c adam_update, momentum_update),
// where tfjs runs ~14 element-wise kernels per variable for Adam and 6 for Nesterov momentum, each a separate
// call, allocation and pass. Used by core/training/fused-optimizers.ts when the backend has them. Pure; no DOM.
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from '../core/training/backend-extensions';
import { runSplit } from './simd-threads';
import { type BackendWasm, ptr, scratchF32 } from './wasm-backend';

// ADAM_UPDATE and MOMENTUM_UPDATE: names, inputs and attrs in core/training/backend-extensions.ts.

interface AdamAttrs {
  beta1: number;
  beta2: number;
  learningRate: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

const adamUpdate: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { w, m, v, g } = inputs as Record<string, TensorInfo>;
  const a = attrs as unknown as AdamAttrs;
  const outs = [w, m, v].map(() => wasm.makeOutput(w.shape, 'float32'));
  const params = scratchF32(wasm, [a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, -a.learningRate, a.epsilon, a.correction1, a.correction2]);
  const [pw, pm, pv, pg] = [w, m, v, g].map((t) => ptr(wasm, t));
  const [ow, om, ov] = outs.map((t) => ptr(wasm, t));
  const n = util.sizeFromShape(w.shape);
  runSplit(wasm, 'adam_update', n, 4, 7 * n, (i0, i1) => [pw + i0 * 4, pm + i0 * 4, pv + i0 * 4, pg + i0 * 4, i1 - i0, params.offset, ow + i0 * 4, om + i0 * 4, ov + i0 * 4]);
  params.free();
  return outs;
};

const momentumUpdate: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { w, a, g } = inputs as Record<string, TensorInfo>;
  const { momentum, learningRate, nesterov } = attrs as unknown as { momentum: number; learningRate: number; nesterov: boolean };
  const outs = [w, a].map(() => wasm.makeOutput(w.shape, 'float32'));
  const params = scratchF32(wasm, [momentum, -learningRate, nesterov ? 1 : 0]);
  const [pw, pa, pg] = [w, a, g].map((t) => ptr(wasm, t));
  const [ow, oa] = outs.map((t) => ptr(wasm, t));
  const n = util.sizeFromShape(w.shape);
  runSplit(wasm, 'momentum_update', n, 4, 5 * n, (i0, i1) => [pw + i0 * 4, pa + i0 * 4, pg + i0 * 4, i1 - i0, params.offset, ow + i0 * 4, oa + i0 * 4]);
  params.free();
  return outs;
};

export const adamUpdateConfig: KernelConfig = { kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc: adamUpdate };
export const momentumUpdateConfig: KernelConfig = { kernelName: MOMENTUM_UPDATE, backendName: 'wasm', kernelFunc: momentumUpdate };
