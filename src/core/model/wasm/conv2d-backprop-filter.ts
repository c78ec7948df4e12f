// Conv2DBackpropFilter for the 'wasm' backend (tfjs-backend-wasm 4.22 has none). Pure; no DOM.
import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-module';
import { type BackendWasm, disposeInfo, ptr, runKernel } from './wasm-backend';

/**
 * dW[kh, kw, ci, co] = sum over n, oy, ox of x[n, oy*s + kh - padTop, ox*s + kw - padLeft, ci] * dy[n, oy, ox, co].
 *
 * Computed as ONE forward convolution, so XNNPACK's conv kernels (SIMD, threaded) do the arithmetic:
 * input  = x as [ci, h, w, n]   (batch = ci, channels = n),
 * filter = dy as [oh, ow, n, co] (an oh x ow kernel, dilated by the stride),
 * output = [ci, kh, kw, co], rearranged to [kh, kw, ci, co].
 * The rearrangements are SIMD kernels (kernels.c); tfjs' Transpose runs at ~1 GB/s for the x one.
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
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow } = info;
  const { batchSize: n, inChannels: ci, outChannels: co } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const temps: TensorInfo[] = [];
  // Bottom/right padding that makes the output exactly kh x kw; negative means rows/columns of x that no
  // output reads (e.g. a 1x1 stride-2 conv on an even size): crop them instead.
  let source = x;
  let [h, w] = [info.inHeight, info.inWidth];
  let bottom = kh + (oh - 1) * sh - h - top;
  let right = kw + (ow - 1) * sw - w - left;
  if (bottom < 0 || right < 0) {
    h += Math.min(bottom, 0);
    w += Math.min(right, 0);
    source = runKernel(wasm, 'Slice', { x }, { begin: [0, 0, 0, 0], size: [n, h, w, ci] });
    temps.push(source);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const kernels = simdKernels(wasm);
  const pixels = h * w;
  // x [n, h*w, ci] -> xT [ci, h*w, n]: for each pixel, an n x ci transpose.
  const xT = wasm.makeOutput([ci, h, w, n], 'float32');
  kernels.transpose_batched(ptr(wasm, source), ptr(wasm, xT), pixels, n, ci, ci, pixels * ci, n, pixels * n);
  // dy [n, oh*ow, co] -> dyT [oh*ow, n, co].
  const dyT = wasm.makeOutput([oh, ow, n, co], 'float32');
  kernels.swap_outer(ptr(wasm, dy), ptr(wasm, dyT), n, oh * ow, co);
  temps.push(xT, dyT);
  const conv = runKernel(
    wasm,
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: 1,
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [sh, sw],
    } as never,
  );
  temps.push(conv);
  // [ci, kh*kw, co] -> [kh*kw, ci, co].
  const out = wasm.makeOutput([kh, kw, ci, co], 'float32');
  kernels.swap_outer(ptr(wasm, conv), ptr(wasm, out), ci, kh * kw, co);
  disposeInfo(wasm, ...temps);
  return out;
};

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};
