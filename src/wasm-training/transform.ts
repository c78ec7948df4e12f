// Transform (tf.image.transform) for the 'wasm' backend when it is what augmentation asks for (bilinear,
// 'nearest' fill, float32): kernels.c warp_bilinear_nearest, the same arithmetic as tfjs-wasm's own kernel,
// split over the kernel threads by images (tfjs' runs on one thread: ~3.5 ms of every training batch of 64
// faces). Other cases go to the built-in kernel. Pure; no DOM.
import { util, type KernelConfig, type KernelFunc, type TensorInfo, type TransformAttrs } from '@tensorflow/tfjs-core';
import { runSplit } from './simd-threads';
import { type BackendWasm, ptr, runKernel } from './wasm-backend';

const transform: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = backend as BackendWasm;
  const { image, transforms } = inputs as { image: TensorInfo; transforms: TensorInfo };
  const { interpolation, fillMode, fillValue, outputShape } = attrs as unknown as TransformAttrs;
  const ours = image.dtype === 'float32' && transforms.dtype === 'float32' && interpolation === 'bilinear' && fillMode === 'nearest' && (fillValue ?? 0) === 0;
  if (!ours) return runKernel(wasm, 'Transform', inputs, attrs);
  const [n, h, w, c] = image.shape;
  const [oh, ow] = outputShape ?? [h, w];
  const out = wasm.makeOutput([n, oh, ow, c], 'float32');
  const perImage = transforms.shape[0] > 1 ? 1 : 0;
  const [pi, pt, po] = [ptr(wasm, image), ptr(wasm, transforms), ptr(wasm, out)];
  runSplit(wasm, 'warp_bilinear_nearest', n, 1, util.sizeFromShape(out.shape), (b0, b1) => [pi, pt, perImage, po, b0, b1, h, w, c, oh, ow]);
  return out;
};

export const transformConfig: KernelConfig = { kernelName: 'Transform', backendName: 'wasm', kernelFunc: transform };
