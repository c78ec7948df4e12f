// Test-only helpers (Node, Vitest): run the same computation on tfjs' 'cpu' and 'wasm' backends and compare.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createRng, gaussian } from '../core/random';
import { setWasmPathsForNode } from './node-wasm-paths';
import { registerWasmTrainingKernels } from './register';
import { kernelsBuild, useRelaxedSimd } from './simd-module';

/** Registers our kernels and initialises both backends (call in beforeAll). Leaves 'wasm' active. */
export async function initCpuAndWasm(): Promise<void> {
  setWasmPathsForNode();
  registerWasmTrainingKernels();
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
}

/**
 * The builds of kernels.c every kernel test runs on: 'relaxed' (the GEMM loops' multiply-adds as relaxed SIMD's
 * fused f32x4.relaxed_madd: Chromium 114+, and Node here, where the test setup enables it) and 'plain' (separate
 * multiply and add: what Firefox and Safari run). Each comes in a shared-memory variant for tfjs' threaded
 * build; simd-module.ts picks that one by the memory it is given (simd-threads.test.ts runs it on a real pool).
 */
export const KERNEL_BUILDS = ['relaxed', 'plain'] as const;
export type KernelBuild = (typeof KERNEL_BUILDS)[number];

/**
 * Declares `body`'s tests once per build of kernels.c, each set in a describe block named after its build
 * ("relaxed build", "plain build") that selects the build before its tests (checking the engine gave it:
 * a Node without relaxed SIMD fails here rather than testing the plain build twice) and restores the default
 * (relaxed where supported) after them. Kernels pick their build at each call (simd-module.ts), so everything
 * run inside, through tfjs or directly, uses the selected one.
 */
export function forEachBuild(body: (build: KernelBuild) => void): void {
  describe.each(KERNEL_BUILDS)('%s build', (build) => {
    beforeAll(() => {
      useRelaxedSimd(build === 'relaxed');
      expect(kernelsBuild(), 'the build this engine runs').toBe(build);
    });
    afterAll(() => useRelaxedSimd(true));
    body(build);
  });
}

/** Standard-normal values from a seeded generator; `zeroFraction` of them set to 0 (ties, as after a ReLU). */
export function randomValues(size: number, seed: number, zeroFraction = 0): Float32Array {
  const random = createRng(seed);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = random() < zeroFraction ? 0 : gaussian(random);
  return values;
}

export interface Input {
  shape: number[];
  values: Float32Array | Int32Array;
  dtype?: 'float32' | 'int32' | 'bool';
}

export function randomInput(shape: number[], seed: number, zeroFraction = 0): Input {
  return { shape, values: randomValues(shape.reduce((a, b) => a * b, 1), seed, zeroFraction) };
}

interface BackendResults {
  values: Float32Array[];
  shapes: number[][];
}

/** CPU results by the key their caller gave (runOnBoth's cpuKey), for the life of the test file, with their inputs' fingerprint. */
const cpuResults = new Map<string, { results: BackendResults; inputs: string }>();

/** Shapes, types and a checksum of the values: a key given again with other inputs is a mistake in the test. */
function fingerprint(inputs: Input[]): string {
  return inputs
    .map((input) => {
      let sum = 0;
      for (let i = 0; i < input.values.length; i++) sum += input.values[i] * ((i % 7) + 1);
      return `${input.shape.join('x')} ${input.dtype ?? input.values.constructor.name} ${sum}`;
    })
    .join('; ');
}

/**
 * Runs `f` (inside tf.tidy) on fresh tensors made from `inputs`, on 'cpu' and then on 'wasm', and returns each
 * output's values and shape. Leaves 'wasm' active and checks that no tensors leak on either backend.
 * With `cpuKey`, the CPU results are computed once per key and reused: tests repeated for each build of the
 * kernels (forEachBuild) or each algorithm then pay for the slow CPU reference once. The key must name
 * everything the computation depends on (inputs and every parameter `f` reads), never the build.
 */
export async function runOnBoth(inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], cpuKey?: string) {
  const results: Record<'cpu' | 'wasm', BackendResults> = {
    cpu: { values: [], shapes: [] },
    wasm: { values: [], shapes: [] },
  };
  for (const backend of ['cpu', 'wasm'] as const) {
    const cached = backend === 'cpu' && cpuKey !== undefined ? cpuResults.get(cpuKey) : undefined;
    if (cached) {
      expect(fingerprint(inputs), `the inputs of CPU results "${cpuKey}"`).toBe(cached.inputs);
      results.cpu = cached.results;
      continue;
    }
    await tf.setBackend(backend);
    const xs = inputs.map((input) => tf.tensor(input.values, input.shape, input.dtype ?? (input.values instanceof Int32Array ? 'int32' : 'float32')));
    const before = tf.memory().numTensors;
    const out = tf.tidy(() => f(...xs));
    const outs = Array.isArray(out) ? out : [out];
    for (const t of outs) {
      results[backend].values.push(Float32Array.from(await t.data()));
      results[backend].shapes.push(t.shape);
    }
    tf.dispose(outs);
    expect(tf.memory().numTensors, `tensors leaked on ${backend}`).toBe(before);
    tf.dispose(xs);
    if (backend === 'cpu' && cpuKey !== undefined) cpuResults.set(cpuKey, { results: results.cpu, inputs: fingerprint(inputs) });
  }
  return results;
}

/**
 * Expects every value within `tolerance` x the largest magnitude in `expected` (a norm-wise relative error:
 * sums of many terms that nearly cancel cannot be compared element by element in float32).
 */
export function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  let scale = 0;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= worst)) {
      worst = error;
      at = i;
    }
  }
  const limit = tolerance * Math.max(scale, 1e-30);
  expect(worst, `${label}: worst |wasm - cpu| = ${worst} at ${at} (wasm ${actual[at]}, cpu ${expected[at]}), scale ${scale}`).toBeLessThanOrEqual(limit);
}

/**
 * Runs on both backends and compares every output (shapes equal, values within `tolerance`, see expectClose);
 * `cpuKey` reuses the CPU results (see runOnBoth).
 */
export async function expectSameOnBoth(label: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], tolerance = 1e-4, cpuKey?: string) {
  const { cpu, wasm } = await runOnBoth(inputs, f, cpuKey);
  expect(wasm.shapes, label).toEqual(cpu.shapes);
  cpu.values.forEach((expected, i) => expectClose(wasm.values[i], expected, tolerance, `${label} output ${i}`));
}
