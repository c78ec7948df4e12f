// Node-side build step: compiles src/wasm-training/simd/kernels.c with Debian's clang 16 + lld 16 into four
// wasm32 SIMD modules (tfjs' plain and shared/threaded memories, each with and without relaxed SIMD's fused
// multiply-add) and writes them, base64, into src/wasm-training/simd/kernels-binary.ts.
// Usage: npx tsx scripts/build-wasm-kernels.ts [--check]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enableRelaxedSimdInNode } from './node-wasm-features';

export const KERNELS_C = 'src/wasm-training/simd/kernels.c';
export const KERNELS_TS = 'src/wasm-training/simd/kernels-binary.ts';
/** The compiler the committed binary was built with; other versions emit other (valid) bytes. */
export const CLANG_VERSION = '16.0.6';
/**
 * The pinned toolchain: Debian bookworm's LLVM 16 packages (clang-16, lld-16, llvm-16 = 1:16.0.6-15~deb12u1),
 * which .ci/run installs by name, run from their own folder so that another LLVM on PATH cannot stand in for
 * them. (16 is the first LLVM that emits relaxed SIMD with the standard's opcodes; 14 emitted the prototype's.)
 */
export const LLVM_BIN = '/usr/lib/llvm-16/bin';
const tool = (name: string) => (existsSync(join(LLVM_BIN, name)) ? join(LLVM_BIN, name) : name);

const COMMON_FLAGS = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-mbulk-memory', // zeroing/copy loops become memory.fill/copy instead of calls to a libc we don't link
  '-nostdlib',
  '-ffreestanding',
  '-Wall',
  '-Werror',
  '-Wl,--no-entry',
  '-Wl,--import-memory',
  '-Wl,--strip-all',
];
// tfjs' threaded build has a shared memory of at most 4 GiB; an import must say so to accept it.
const SHARED_FLAGS = ['-matomics', '-Wl,--shared-memory', '-Wl,--max-memory=4294967296'];
// Relaxed SIMD (in Chromium since 114): kernels.c's madd() becomes f32x4.relaxed_madd, one FMA instruction.
// Engines without it reject the module, and the plain one runs instead (simd-module.ts).
const RELAXED_FLAGS = ['-mrelaxed-simd'];

/** The four builds of kernels.c, by export name in kernels-binary.ts. */
export interface KernelBinaries {
  plain: Uint8Array;
  shared: Uint8Array;
  plainRelaxed: Uint8Array;
  sharedRelaxed: Uint8Array;
}

/** The installed clang's version ("14.0.6"), or null when there is none. */
export function clangVersion(): string | null {
  try {
    const text = execFileSync(tool('clang'), ['--version'], { encoding: 'utf8' });
    return /clang version (\d+\.\d+\.\d+)/.exec(text)?.[1] ?? null;
  } catch {
    return null;
  }
}

function compile(extraFlags: string[], dir: string, name: string): Uint8Array {
  const out = join(dir, name);
  execFileSync(tool('clang'), [...COMMON_FLAGS, ...extraFlags, '-o', out, KERNELS_C], { stdio: ['ignore', 'inherit', 'inherit'] });
  const bytes = new Uint8Array(readFileSync(out)) as Uint8Array<ArrayBuffer>;
  assertSafe(out, bytes);
  return bytes;
}

/**
 * The module must not write memory it does not own: no data segments (they would be copied over the
 * emscripten heap at instantiation) and no use of the C stack pointer (its initial value points into the
 * emscripten runtime's static data).
 */
function assertSafe(path: string, bytes: Uint8Array<ArrayBuffer>): void {
  const sections = new Set<number>();
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset++];
    let size = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[offset++];
      size |= (byte & 0x7f) << shift;
      shift += 7;
      if (byte < 0x80) break;
    }
    sections.add(id);
    offset += size;
  }
  if (sections.has(11) || sections.has(12)) throw new Error(`${path}: has a data section (static data is not allowed)`);
  const disassembly = execFileSync(tool('llvm-objdump'), ['-d', path], { encoding: 'utf8' });
  if (/global\.(get|set)/.test(disassembly)) throw new Error(`${path}: uses a global (the C stack); avoid arrays and address-taken locals`);
  enableRelaxedSimdInNode(); // the relaxed builds compile here too
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module);
  if (imports.length !== 1 || imports[0].kind !== 'memory') throw new Error(`${path}: must import only memory, got ${JSON.stringify(imports)}`);
}

/** Compiles the four variants; needs LLVM 16's clang, lld and llvm (Debian bookworm: apt-get install clang-16 lld-16 llvm-16). */
export function buildWasmKernels(): KernelBinaries {
  const dir = mkdtempSync(join(tmpdir(), 'wasm-kernels-'));
  try {
    return {
      plain: compile([], dir, 'plain.wasm'),
      shared: compile(SHARED_FLAGS, dir, 'shared.wasm'),
      plainRelaxed: compile(RELAXED_FLAGS, dir, 'plain-relaxed.wasm'),
      sharedRelaxed: compile([...SHARED_FLAGS, ...RELAXED_FLAGS], dir, 'shared-relaxed.wasm'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderKernelsTs(binaries: KernelBinaries): string {
  const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  const constant = (doc: string, name: string, bytes: Uint8Array) => `/** ${doc} */\nexport const ${name} =\n  '${b64(bytes)}';\n`;
  return [
    `// GENERATED by scripts/build-wasm-kernels.ts from kernels.c with clang ${CLANG_VERSION}; do not edit.\n` +
      `// Runs anywhere (pure data). A test rebuilds it and checks these bytes.\n`,
    constant('kernels.c for a non-shared memory (tfjs-wasm without threads, e.g. in Node).', 'KERNELS_PLAIN_BASE64', binaries.plain),
    constant("kernels.c for the shared memory of tfjs-wasm's threaded build.", 'KERNELS_SHARED_BASE64', binaries.shared),
    constant('The plain build with relaxed SIMD (fused multiply-add), for engines that accept it.', 'KERNELS_PLAIN_RELAXED_BASE64', binaries.plainRelaxed),
    constant('The shared build with relaxed SIMD (fused multiply-add), for engines that accept it.', 'KERNELS_SHARED_RELAXED_BASE64', binaries.sharedRelaxed),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const version = clangVersion();
  if (version !== CLANG_VERSION) console.warn(`warning: clang ${version ?? 'not found'}; the committed binary was built with ${CLANG_VERSION}`);
  const text = renderKernelsTs(buildWasmKernels());
  if (process.argv.includes('--check')) {
    if (readFileSync(KERNELS_TS, 'utf8') !== text) throw new Error(`${KERNELS_TS} is stale: run npx tsx scripts/build-wasm-kernels.ts`);
    console.log(`${KERNELS_TS} is up to date`);
  } else {
    writeFileSync(KERNELS_TS, text);
    console.log(`wrote ${KERNELS_TS}`);
  }
}
