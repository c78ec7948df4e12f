import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWasmKernels, clangVersion, CLANG_VERSION, KERNELS_TS, renderKernelsTs } from './build-wasm-kernels';

// The committed kernels-binary.ts must be exactly what kernels.c compiles to with the pinned LLVM 16 toolchain
// (.ci/run installs clang-16, lld-16, llvm-16); elsewhere the test is skipped, and on CI a missing or other
// compiler is a failure.
const version = clangVersion();
const canBuild = version === CLANG_VERSION;

describe('kernels-binary.ts', () => {
  it.runIf(canBuild || !!process.env.CI)('is reproduced byte for byte from kernels.c by scripts/build-wasm-kernels.ts', () => {
    expect(version, `clang ${CLANG_VERSION} is needed (Debian bookworm: apt-get install clang-16 lld-16 llvm-16)`).toBe(CLANG_VERSION);
    expect(renderKernelsTs(buildWasmKernels())).toBe(readFileSync(KERNELS_TS, 'utf8'));
  });
});
