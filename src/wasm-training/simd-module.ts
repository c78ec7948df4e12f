// Instantiates kernels.c (SIMD) on tfjs-backend-wasm's own memory, once per backend and build. Pure; no DOM.
import { KERNELS_PLAIN_BASE64, KERNELS_PLAIN_RELAXED_BASE64, KERNELS_SHARED_BASE64, KERNELS_SHARED_RELAXED_BASE64 } from './simd/kernels-binary';
import { type BackendWasm, emscripten } from './wasm-backend';

/** Exports of kernels.c; every pointer argument is a byte offset into the tfjs heap. See kernels.c for shapes. */
export interface SimdKernels extends SimdDepthwiseKernels {
  /** Sets subnormal floats of x[0..n) to 0, in place. */
  flush_subnormals(x: number, n: number): void;
  sum_rows(x: number, rows: number, cols: number, out: number, scale: number): void;
  /** Per column: sums = sum dy, products = sum dy*(x - m); rows `stride` floats apart. */
  bn_grad_sums(dy: number, x: number, m: number, rows: number, cols: number, stride: number, sums: number, products: number): void;
  /** dw [kh*kw][co], columns [oBegin, oEnd), of a conv with 1 input channel; xp: x zero-padded to [n][hp][wp]. */
  conv_filter_grad_c1(xp: number, dy: number, dw: number, oBegin: number, oEnd: number, n: number, hp: number, wp: number, oh: number, ow: number, co: number, kh: number, kw: number, sh: number, sw: number): void;
  /** tf.image.transform, bilinear, edges extended, for images [bBegin, bEnd); transforms [n or 1, 8]. */
  warp_bilinear_nearest(image: number, transforms: number, perImage: number, out: number, bBegin: number, bEnd: number, h: number, w: number, c: number, oh: number, ow: number): void;
  /** Adam's step: w', m', v' [n] from w, m, v, g [n]; params [8] = b1, 1-b1, b2, 1-b2, -lr, eps, 1-b1^t, 1-b2^t. */
  adam_update(w: number, m: number, v: number, g: number, n: number, params: number, wOut: number, mOut: number, vOut: number): void;
  /** Momentum SGD's step: w', a' [n] from w, a, g [n]; params [3] = momentum, -lr, nesterov (0/1). */
  momentum_update(w: number, a: number, g: number, n: number, params: number, wOut: number, aOut: number): void;
  /** `iterations` rounds of 48 multiply-adds; state [3] = a, b, start in, and out (state[2]) the sum of the 12 chains. For bench:train's peak. */
  simd_peak(state: number, iterations: number): void;
  /** out = x > 0 ? dy : 0, n floats. */
  relu_grad(dy: number, x: number, n: number, out: number): void;
  /** mean [cols] and population variance [cols] of x [rows, cols], rows `stride` floats apart. */
  bn_moments(x: number, rows: number, cols: number, stride: number, mean: number, variance: number): void;
  /** out = a*dy + b*(x - m) + d per column, params [4][cols] = m, a, b, d. */
  bn_input_grad(dy: number, x: number, rows: number, cols: number, params: number, out: number): void;
  normalize_cols(x: number, rows: number, cols: number, m: number, a: number, b: number, out: number): void;
  swap_outer(src: number, dst: number, outer: number, inner: number, len: number): void;
  transpose_batched(src: number, dst: number, batch: number, rows: number, cols: number, sbs: number, srs: number, dbs: number, drs: number): void;
  max_pool_grad(
    x: number,
    dy: number,
    dx: number,
    n: number,
    h: number,
    w: number,
    ch: number,
    oh: number,
    ow: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    padTop: number,
    padLeft: number,
  ): void;
}

/** Depthwise conv shape, NHWC with multiplier 1: n, h, w, ch, oh, ow, kh, kw, sh, sw, dh, dw, padTop, padLeft. */
type DepthwiseShape = [number, number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Conv shape, NHWC: n, h, w, ci, oh, ow, co, kh, kw, sh, sw, padTop, padLeft. */
type ConvShape = [number, number, number, number, number, number, number, number, number, number, number, number, number];

/** Winograd conv shape, NHWC, 3x3 stride 1: n, h, w, ci, oh, ow, co, padTop, padLeft. */
type WinogradShape = [number, number, number, number, number, number, number, number, number];

/** Exports of kernels.c that take a DepthwiseShape after their pointers. */
export interface SimdDepthwiseKernels {
  depthwise_filter_grad(x: number, dy: number, dfilter: number, ...shape: DepthwiseShape): void;
  depthwise_input_grad(dy: number, filter: number, dx: number, ...shape: DepthwiseShape): void;
  /** Forward conv (see kernels.c) with a packed filter; bias 0 or 8-padded; zero a ci-float zero row; relu 0/1. */
  conv_forward(x: number, packed: number, bias: number, zero: number, out: number, pBegin: number, pEnd: number, oBegin: number, oEnd: number, relu: number, ...shape: ConvShape): void;
  /** packed [ceil(co/8)][rows][8] from w [rows, co]. */
  pack_filter(w: number, packed: number, rows: number, co: number): void;
  /** packed [ceil(ci/8)][taps*co][8]: w [taps, ci, co] with taps reversed and in/out swapped. */
  pack_filter_flip_swap(w: number, packed: number, taps: number, ci: number, co: number): void;
  /** Adds to dw [kh, kw, ci, co] the weight gradient from output rows [rowBegin, rowEnd) of n*oh, for output channels [oBegin, oEnd); x and dy packed by pack_channels (widths 4 and 8). */
  conv_filter_grad(xPacked: number, dyPacked: number, dw: number, rowBegin: number, rowEnd: number, oBegin: number, oEnd: number, ...shape: ConvShape): void;
  /** U [ceil(co/8)][16][ci][8], Winograd F(2x2,3x3)'s filter transform of a 3x3 filter packed by pack_filter or pack_filter_flip_swap. */
  winograd_filter(packed: number, u: number, ci: number, co: number): void;
  /** 3x3 stride-1 conv by Winograd F(2x2,3x3) for tiles [tBegin, tEnd) of n*ceil(oh/2)*ceil(ow/2); scratch 16*32*(ci+8) floats per thread; ci % 4 == 0. */
  winograd_conv(
    x: number,
    u: number,
    bias: number,
    zero: number,
    out: number,
    scratch: number,
    tBegin: number,
    tEnd: number,
    relu: number,
    ...shape: WinogradShape
  ): void;
  /** Floats of scratch one thread of winograd_conv needs. */
  winograd_conv_scratch(ci: number): number;
  /** Floats of scratch one thread of winograd_filter_grad needs for `outputs` output channels. */
  winograd_filter_grad_scratch(ci: number, outputs: number): number;
  /** dW [3, 3, ci, co] columns [oBegin, oEnd) of a 3x3 stride-1 conv by Winograd; scratch per thread (see kernels.c); ci % 4 == 0. */
  winograd_filter_grad(x: number, dy: number, dw: number, zero: number, scratch: number, oBegin: number, oEnd: number, ...shape: WinogradShape): void;
  /** packed [ceil(channels/width)][pixels][width] from src [pixels, channels]; width 4 or 8. */
  pack_channels(src: number, packed: number, pixels: number, channels: number, width: number): void;
}

/**
 * Parameters of each export of kernels.c, as the C declares them: checked when the module is instantiated,
 * so a binary built from other source (or an interface edited without the C) fails at once, by name.
 */
export const KERNEL_ARITY = {
  sum_rows: 5,
  bn_grad_sums: 8,
  bn_moments: 6,
  relu_grad: 4,
  bn_input_grad: 6,
  normalize_cols: 7,
  swap_outer: 5,
  transpose_batched: 9,
  max_pool_grad: 15,
  depthwise_filter_grad: 3 + 14,
  depthwise_input_grad: 3 + 14,
  conv_forward: 10 + 13,
  pack_filter: 4,
  pack_filter_flip_swap: 5,
  conv_filter_grad: 7 + 13,
  pack_channels: 5,
  winograd_filter: 4,
  winograd_conv: 9 + 9,
  winograd_filter_grad: 7 + 9,
  winograd_conv_scratch: 1,
  winograd_filter_grad_scratch: 2,
  flush_subnormals: 2,
  conv_filter_grad_c1: 15,
  warp_bilinear_nearest: 11,
  adam_update: 9,
  momentum_update: 7,
  simd_peak: 2,
} satisfies Record<keyof SimdKernels, number>;

/** The kernels, after checking every declared export is there with its number of parameters; throws naming what differs. */
export function checkedKernels(exports: WebAssembly.Exports): SimdKernels {
  const problems: string[] = [];
  for (const [name, arity] of Object.entries(KERNEL_ARITY)) {
    const found = exports[name];
    if (typeof found !== 'function') problems.push(`${name} is missing`);
    else if (found.length !== arity) problems.push(`${name} takes ${found.length} parameters, not ${arity}`);
  }
  if (problems.length > 0) throw new Error(`the SIMD kernels binary does not match its interface (rebuild it with scripts/build-wasm-kernels.ts): ${problems.join('; ')}`);
  return exports as unknown as SimdKernels;
}

interface Instance {
  kernels: SimdKernels;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
}

const instances = new WeakMap<object, Map<'relaxed' | 'plain', Instance>>();

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The WebAssembly.Memory behind tfjs' heap (shared in the threaded build). */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory {
  const module = emscripten(backend);
  const memory = module.wasmMemory ?? module.asm?.memory;
  if (!memory) throw new Error('cannot find the memory of the tfjs wasm module');
  return memory;
}

/**
 * kernels.c instantiated on the backend's memory (compiled synchronously on first use: ~8 KB, so fine in a
 * worker, where training runs).
 */
export function simdKernels(backend: BackendWasm): SimdKernels {
  return simdModule(backend).kernels;
}

/** Whether this engine accepts relaxed SIMD (the kernels' fused multiply-add build): Chromium 114+, not everywhere. */
export function relaxedSimdSupported(): boolean {
  relaxedSupported ??= WebAssembly.validate(decodeBase64(KERNELS_PLAIN_RELAXED_BASE64));
  return relaxedSupported;
}
let relaxedSupported: boolean | undefined;

let relaxedWanted = true;
/**
 * Benchmarks and tests: false runs the build without relaxed SIMD even where the engine has it, to compare.
 * Takes effect from the next kernel call (each build is instantiated once per backend, with its own pool).
 */
export function useRelaxedSimd(enabled: boolean): void {
  relaxedWanted = enabled;
}

/** Which build of kernels.c a backend whose kernels are instantiated now gets. */
export function kernelsBuild(): 'relaxed' | 'plain' {
  return relaxedWanted && relaxedSimdSupported() ? 'relaxed' : 'plain';
}

/**
 * The compiled module and the memory too (worker threads instantiate the same module on the same memory).
 * One per backend and build; the relaxed build (one FMA per multiply-add in the GEMM loops) where the engine has
 * relaxed SIMD, else the plain one.
 */
export function simdModule(backend: BackendWasm): Instance {
  const build = kernelsBuild();
  const key = backend.wasm as object;
  let byBuild = instances.get(key);
  if (!byBuild) instances.set(key, (byBuild = new Map()));
  let instance = byBuild.get(build);
  if (!instance) {
    const memory = backendMemory(backend);
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const base64 = build === 'relaxed' ? (shared ? KERNELS_SHARED_RELAXED_BASE64 : KERNELS_PLAIN_RELAXED_BASE64) : shared ? KERNELS_SHARED_BASE64 : KERNELS_PLAIN_BASE64;
    const module = new WebAssembly.Module(decodeBase64(base64));
    const kernels = checkedKernels(new WebAssembly.Instance(module, { env: { memory } }).exports);
    instance = { kernels, module, memory };
    byBuild.set(build, instance);
  }
  return instance;
}
