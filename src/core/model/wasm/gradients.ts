// Gradient overrides used while the 'wasm' backend is active. Pure tfjs; no DOM.
// tfjs' gradients of Sum and Mean multiply dy by `ones(x.shape)`, which fills a full-size array in JavaScript
// (~0.6 s per compact-net step, most of it BatchNorm's statistics). Broadcasting dy gives the same values
// bit for bit with one Tile (a block copy on wasm). Other backends keep tfjs' own gradients.
import { broadcastTo, div, getBackend, getGradient, registerGradient, reshape, util, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

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
function overrideOnWasm(kernelName: string, wasmGrad: (dy: Tensor, x: Tensor, attrs: NamedAttrMap) => Tensor): void {
  const original: GradConfig | undefined = getGradient(kernelName);
  if (!original) throw new Error(`tfjs has no gradient for ${kernelName}`);
  registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) =>
      getBackend() === 'wasm' ? { x: () => wasmGrad(dy as Tensor, saved[0], attrs) } : original.gradFunc(dy, saved, attrs),
  });
}

let registered = false;

/** Installs the overrides once (idempotent). */
export function registerWasmGradients(): void {
  if (registered) return;
  registered = true;
  overrideOnWasm('Sum', sumGrad);
  overrideOnWasm('Mean', meanGrad);
}
