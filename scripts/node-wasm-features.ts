// Node only: lets this process compile WebAssembly with relaxed SIMD, so our kernels' fused multiply-add build
// runs in Node too (tests, benchmarks, the CLI). Node 20's V8 (11.3) has it behind a flag that Chromium 114+
// no longer needs. Call before the first tfjs-wasm backend starts.
import { setFlagsFromString } from 'node:v8';

let enabled = false;

/** Where Node cannot (no such flag), the kernels run their plain build (simd-module.ts). */
export function enableRelaxedSimdInNode(): void {
  if (enabled) return;
  enabled = true;
  // Only where it is missing: a V8 that has it by default may no longer know the flag.
  if (!WebAssembly.validate(new Uint8Array(RELAXED_PROBE))) setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/** A module of one function, (v128, v128, v128) -> f32x4.relaxed_madd of them. */
const RELAXED_PROBE = [
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01,
  0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b,
];
