// Vitest setup for the Node test project: the wasm kernels' relaxed-SIMD build runs (and is tested) in Node too.
import { enableRelaxedSimdInNode } from './node-wasm-features';

enableRelaxedSimdInNode();
