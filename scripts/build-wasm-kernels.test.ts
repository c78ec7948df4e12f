import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWasmKernels, clangVersion, CLANG_VERSION, KERNELS_TS, renderKernelsTs } from './build-wasm-kernels';

// The committed kernels-binary.ts must be exactly what kernels.c compiles to. Needs Debian's clang 14 and lld
// (.ci/run installs them); elsewhere the test is skipped, and on CI a missing compiler is a failure.
const version = clangVersion();
const canBuild = version === CLANG_VERSION;

describe('kernels-binary.ts', () => {
  it.runIf(canBuild || !!process.env.CI)('is reproduced byte for byte from kernels.c by scripts/build-wasm-kernels.ts', () => {
    expect(version, `clang ${CLANG_VERSION} is needed (Debian bookworm: apt-get install clang lld)`).toBe(CLANG_VERSION);
    expect(renderKernelsTs(buildWasmKernels())).toBe(readFileSync(KERNELS_TS, 'utf8'));
  });
});
