// Runs in Node (bench/gpu/webgpu-node.ts), imported FIRST: puts Dawn's WebGPU implementation (npm `webgpu`,
// a native dawn.node) on globalThis, because tfjs-backend-webgpu decides at import time whether to register.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

interface Dawn {
  create(flags: string[]): GPU;
  globals: Record<string, unknown>;
}

/** dawn.node: $DAWN_NODE (the device script sets it), else the one in node_modules. */
export const DAWN_NODE_PATH = process.env.DAWN_NODE ?? 'node_modules/webgpu/dist/linux-x64/dawn.node';

/** Flags for Dawn, comma-separated in $DAWN_FLAGS (e.g. backend=vulkan, adapter=NAME). */
export const DAWN_FLAGS = (process.env.DAWN_FLAGS ?? '').split(',').filter(Boolean);

if (!existsSync(DAWN_NODE_PATH)) throw new Error(`dawn.node not found at ${DAWN_NODE_PATH} (set DAWN_NODE)`);
const dawn = createRequire(import.meta.url)(DAWN_NODE_PATH.startsWith('/') ? DAWN_NODE_PATH : `${process.cwd()}/${DAWN_NODE_PATH}`) as Dawn;
Object.assign(globalThis, dawn.globals);
const gpu = dawn.create(DAWN_FLAGS);
// Local smoke test without a GPU: DAWN_FLAGS=backend=opengles EGL_PLATFORM=surfaceless
// WEBGPU_FEATURE_LEVEL=compatibility runs on Mesa's llvmpipe (tfjs asks for a core adapter otherwise).
const featureLevel = process.env.WEBGPU_FEATURE_LEVEL;
if (featureLevel) {
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  gpu.requestAdapter = (options?: GPURequestAdapterOptions) => requestAdapter({ ...options, featureLevel } as GPURequestAdapterOptions);
}
// Node 20 has no navigator; Node 21+ has one without gpu.
if (typeof globalThis.navigator === 'undefined') Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
else Object.defineProperty(globalThis.navigator, 'gpu', { value: gpu, configurable: true });
