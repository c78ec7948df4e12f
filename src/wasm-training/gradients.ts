// Gradient overrides used while the 'wasm' backend is active. Pure tfjs; no DOM.
// tfjs' gradients of Sum and Mean multiply dy by `ones(x.shape)`, which fills a full-size array in JavaScript
// (~0.6 s per compact-net step, most of it BatchNorm's statistics). Broadcasting dy gives the same values
// bit for bit with one Tile (a block copy on wasm). ReLU's is one SIMD pass (FerReluGrad) instead of Step
// and Multiply. Other backends keep tfjs' own gradients.
import {
  broadcastTo,
  div,
  engine,
  getBackend,
  getGradient,
  registerGradient,
  reshape,
  util,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { runSplit } from './simd-threads';
import { type BackendWasm, ptr } from './wasm-backend';

const RELU_GRAD = 'FerReluGrad';

/** inputs {dy, x} (same shape, float32) -> dy where x > 0, else 0. */
const reluGradKernel: KernelFunc = ({ inputs, backend }) => {
  const wasm = backend as BackendWasm;
  const { dy, x } = inputs as Record<string, TensorInfo>;
  const out = wasm.makeOutput(x.shape, 'float32');
  const size = util.sizeFromShape(x.shape);
  const [pdy, px, po] = [ptr(wasm, dy), ptr(wasm, x), ptr(wasm, out)];
  runSplit(wasm, 'relu_grad', size, 4, size, (i0, i1) => [pdy + i0 * 4, px + i0 * 4, i1 - i0, po + i0 * 4]);
  return out;
};

export const reluGradConfig: KernelConfig = { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: reluGradKernel };

function reluGrad(dy: Tensor, x: Tensor): Tensor {
  return engine().runKernel(RELU_GRAD, { dy, x }, {}) as Tensor;
}

/** dy reshaped so that it broadcasts against x: the reduced axes become 1. */
function expandedDy(dy: Tensor, x: Tensor, attrs: NamedAttrMap): { expanded: Tensor; reduceSize: number } {
  const axes = util.parseAxisParam(attrs.axis as number | number[], x.shape);
  const shape = x.shape.slice();
  let reduceSize = 1;
  for (const axis of axes) {
    reduceSize *= shape[axis];
    shape[axis] = 1;
  }
  return { expanded: reshape(dy, shape), reduceSize };
}

function sumGrad(dy: Tensor, x: Tensor, attrs: NamedAttrMap): Tensor {
  return broadcastTo(expandedDy(dy, x, attrs).expanded, x.shape);
}

function meanGrad(dy: Tensor, x: Tensor, attrs: NamedAttrMap): Tensor {
  const { expanded, reduceSize } = expandedDy(dy, x, attrs);
  return broadcastTo(div(expanded, reduceSize), x.shape);
}

/** Wraps tfjs' gradient of `kernelName`: `wasmGrad` while 'wasm' is the backend, the original otherwise. */
function overrideOnWasm(kernelName: string, wasmGrad: (dy: Tensor, x: Tensor, attrs: NamedAttrMap) => Tensor, applies: (x: Tensor) => boolean = () => true): void {
  const original: GradConfig | undefined = getGradient(kernelName);
  if (!original) throw new Error(`tfjs has no gradient for ${kernelName}`);
  registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) =>
      getBackend() === 'wasm' && applies(saved[0]) ? { x: () => wasmGrad(dy as Tensor, saved[0], attrs) } : original.gradFunc(dy, saved, attrs),
  });
}

let registered = false;

/** Installs the overrides once (idempotent). */
export function registerWasmGradients(): void {
  if (registered) return;
  registered = true;
  overrideOnWasm('Sum', sumGrad);
  overrideOnWasm('Mean', meanGrad);
  overrideOnWasm('Relu', reluGrad, (x) => x.dtype === 'float32');
}
