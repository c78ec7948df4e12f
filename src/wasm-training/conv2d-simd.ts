// Convolutions on the 'wasm' backend through kernels.c, split over the kernel threads: Winograd F(2x2,3x3)
// (winograd_conv) for 3x3 stride-1 convs with a multiple of 4 input channels, the direct conv_forward for the
// rest. Shared by Conv2D/FusedConv2D and by the stride-1 Conv2DBackpropInput. Pure; no DOM.
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-module';
import { simdPool, splitRange } from './simd-threads';
import { type BackendWasm, emscripten, ptr } from './wasm-backend';

/** NHWC conv geometry, as kernels.c takes it. */
export interface ConvGeometry {
  n: number;
  h: number;
  w: number;
  ci: number;
  oh: number;
  ow: number;
  co: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  padTop: number;
  padLeft: number;
}

/** Our kernels' geometry of a tfjs conv. */
export function geometry(info: backend_util.Conv2DInfo): ConvGeometry {
  return {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    ci: info.inChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    co: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

let winogradEnabled = true;
/** Benchmarks and tests: run 3x3 stride-1 convs by the direct kernel (false) to compare both. */
export function useWinograd(enabled: boolean): void {
  winogradEnabled = enabled;
}

/** Whether convForward takes the Winograd path for this geometry. */
export function winogradApplies(g: ConvGeometry): boolean {
  return winogradEnabled && g.kh === 3 && g.kw === 3 && g.sh === 1 && g.sw === 1 && g.ci % 4 === 0;
}

/** Heap scratch of `floats` zeros (or as found, when the kernel writes all of it first), freed by the returned function. */
export function scratch(wasm: BackendWasm, floats: number, zeroed = true): { offset: number; free: () => void } {
  const module = emscripten(wasm);
  const offset = module._malloc(Math.max(floats, 1) * 4) >>> 0;
  if (zeroed) new Float32Array(module.HEAPU8.buffer, offset, floats).fill(0);
  return { offset, free: () => module._free(offset) };
}

/**
 * out [n, oh, ow, co] = act(conv(x, filter) + bias), with `pack` writing the packed filter
 * ([ceil(co/8)][kh*kw*ci][8], see kernels.c) into the scratch it is given.
 * @param bias [co] or null; relu whether to clamp at 0. Returns a new tensor (caller owns it).
 */
export function convForward(
  wasm: BackendWasm,
  x: TensorInfo,
  g: ConvGeometry,
  pack: (packed: number) => void,
  bias: TensorInfo | null,
  relu: boolean,
): TensorInfo {
  const panels = Math.ceil(g.co / 8);
  const packed = scratch(wasm, panels * 8 * g.kh * g.kw * g.ci);
  pack(packed.offset);
  const zero = scratch(wasm, g.ci);
  let biasPtr = 0;
  let biasScratch: { offset: number; free: () => void } | null = null;
  if (bias) {
    // Padded to whole panels: the kernel loads 8 at a time.
    biasScratch = scratch(wasm, panels * 8);
    emscripten(wasm).HEAPU8.copyWithin(biasScratch.offset, ptr(wasm, bias), ptr(wasm, bias) + g.co * 4);
    biasPtr = biasScratch.offset;
  }
  const out = wasm.makeOutput([g.n, g.oh, g.ow, g.co], 'float32');
  if (winogradApplies(g)) winograd(wasm, x, g, packed.offset, biasPtr, zero.offset, out, relu);
  else direct(wasm, x, g, packed.offset, biasPtr, zero.offset, out, relu);
  packed.free();
  zero.free();
  biasScratch?.free();
  return out;
}

function direct(wasm: BackendWasm, x: TensorInfo, g: ConvGeometry, packed: number, bias: number, zero: number, out: TensorInfo, relu: boolean): void {
  const pixels = g.n * g.oh * g.ow;
  const shape = [g.n, g.h, g.w, g.ci, g.oh, g.ow, g.co, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padLeft];
  // Threads take runs of whole 4-pixel tiles.
  const pool = simdPool(wasm);
  const parts = Math.max(1, Math.min(pool.parts(), Math.floor(pixels / 64)));
  const args = splitRange(pixels, parts, 4).map(([begin, end]) => [ptr(wasm, x), packed, bias, zero, ptr(wasm, out), begin, end, 0, g.co, relu ? 1 : 0, ...shape]);
  pool.run('conv_forward', args);
}

/** Winograd F(2x2,3x3): the packed filter transformed once, then threads take runs of 2x2 output tiles. */
function winograd(wasm: BackendWasm, x: TensorInfo, g: ConvGeometry, packed: number, bias: number, zero: number, out: TensorInfo, relu: boolean): void {
  const kernels = simdKernels(wasm);
  const u = scratch(wasm, Math.ceil(g.co / 8) * 8 * 16 * g.ci, false);
  kernels.winograd_filter(packed, u.offset, g.ci, g.co);
  const tiles = g.n * Math.ceil(g.oh / 2) * Math.ceil(g.ow / 2);
  const pool = simdPool(wasm);
  const parts = Math.max(1, Math.min(pool.parts(), Math.floor(tiles / 16)));
  const perPart = kernels.winograd_conv_scratch(g.ci);
  const work = scratch(wasm, parts * perPart, false);
  const shape = [g.n, g.h, g.w, g.ci, g.oh, g.ow, g.co, g.padTop, g.padLeft];
  const args = splitRange(tiles, parts).map(([begin, end], part) => [
    ptr(wasm, x),
    u.offset,
    bias,
    zero,
    ptr(wasm, out),
    work.offset + part * perPart * 4,
    begin,
    end,
    relu ? 1 : 0,
    ...shape,
  ]);
  pool.run('winograd_conv', args);
  u.free();
  work.free();
}

/** Packs an HWIO filter [kh, kw, ci, co] for convForward. */
export function packFilter(wasm: BackendWasm, filter: TensorInfo): (packed: number) => void {
  const [kh, kw, ci, co] = filter.shape;
  return (packed) => simdKernels(wasm).pack_filter(ptr(wasm, filter), packed, kh * kw * ci, co);
}

/** Packs the filter of a stride-1 conv's input gradient: taps reversed, in and out swapped. */
export function packFlippedSwappedFilter(wasm: BackendWasm, filter: TensorInfo): (packed: number) => void {
  const [kh, kw, ci, co] = filter.shape;
  return (packed) => simdKernels(wasm).pack_filter_flip_swap(ptr(wasm, filter), packed, kh * kw, ci, co);
}
