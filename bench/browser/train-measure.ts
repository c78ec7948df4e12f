// Runs in a browser worker (bench/browser/train-bench.worker.ts) and in Node (bench/train.ts): times training
// and inference of one architecture on the active tfjs backend, and profiles one training step. No DOM.
import * as tf from '@tensorflow/tfjs';
import { buildModel, modelCost, type ArchitectureName } from '../../src/core/nets/architectures';
import { createOptimizer, disposeOptimizer } from '../../src/core/training/optimizers';
import { predictBatched, trainStep } from '../../src/core/training/train-step';
import { median } from '../../src/core/statistics';
import { stepMultiplyAdds } from '../../src/wasm-training/step-arithmetic';
import { measureSimdPeak, type SimdPeak } from '../../src/wasm-training/simd-peak';
import type { BackendWasm } from '../../src/wasm-training/wasm-backend';

export interface MeasureOptions {
  arch: ArchitectureName;
  /** Images per training / inference batch. */
  batch: number;
  /** Untimed steps first (compilation, operator caches, allocator). */
  warmupBatches: number;
  /** Timed steps: at least minBatches, then more until budgetMs is spent or maxBatches reached. */
  minBatches: number;
  maxBatches: number;
  budgetMs: number;
  /** A first warm-up step slower than this marks the backend slow: one more step only, stated in notes. */
  slowStepMs: number;
  /** Per-kernel timings of one training step (tf.profile; meaningful on synchronous backends: wasm, cpu). */
  profile: boolean;
}

export interface KernelRow {
  name: string;
  ms: number;
  calls: number;
}

export interface KernelCall {
  name: string;
  ms: number;
  inputShapes: number[][];
}

export interface MeasureRecord {
  arch: ArchitectureName;
  tfBackend: string;
  batch: number;
  params: number;
  flopsPerImage: number;
  trainImgPerSec: number;
  inferImgPerSec: number;
  /** Training counts 3 x the forward FLOPs (forward, input gradient, weight gradient). */
  trainGflopPerSec: number;
  inferGflopPerSec: number;
  trainStepMs: number[];
  inferBatchMs: number[];
  warmupMs: number[];
  tensorsBefore: number;
  tensorsAfter: number;
  finalLoss: number;
  notes: string[];
  profile?: { stepMs: number; kernels: KernelRow[]; slowest: KernelCall[] };
  /**
   * WASM only: the multiply-adds a training step does per face with our kernels' algorithms (Winograd's
   * included: step-arithmetic.ts), and the SIMD multiply-add peak of the kernel threads, measured right before.
   */
  arithmetic?: { multiplyAddsPerImage: number; multiplyAddsPerSecond: number; peak: SimdPeak };
}


/** Timed loop: warm-up, then steps until the options' count/budget rule stops it. */
async function timeSteps(step: () => Promise<void>, options: MeasureOptions, notes: string[], what: string) {
  const warmupMs: number[] = [];
  let slow = false;
  for (let i = 0; i < options.warmupBatches; i++) {
    const start = performance.now();
    await step();
    warmupMs.push(performance.now() - start);
    if (warmupMs[0] > options.slowStepMs) {
      slow = true;
      break;
    }
  }
  const times: number[] = [];
  const started = performance.now();
  const maxBatches = slow ? 1 : options.maxBatches;
  const minBatches = slow ? 1 : options.minBatches;
  while (times.length < maxBatches && (times.length < minBatches || performance.now() - started < options.budgetMs)) {
    const start = performance.now();
    await step();
    times.push(performance.now() - start);
  }
  if (slow) notes.push(`${what}: slow backend (first step ${(warmupMs[0] / 1000).toFixed(1)} s), so 1 warm-up + 1 timed batch`);
  return { warmupMs, times };
}

/** Trains and runs inference on random faces; the model and every tensor are disposed at the end. */
export async function measureArchitecture(options: MeasureOptions): Promise<MeasureRecord> {
  const notes: string[] = [];
  const model = buildModel(options.arch, 7);
  const cost = modelCost(model);
  // On WASM, the threads' SIMD peak, before the model's tensors load the memory system.
  const peak = tf.getBackend() === 'wasm' ? measureSimdPeak(tf.backend() as BackendWasm) : null;
  const multiplyAddsPerImage = peak ? stepMultiplyAdds(model) : 0;
  const optimizer = createOptimizer('adam', 1e-3); // the app's Adam (PyTorch's bench runs Adam at 1e-3 too)
  const xs = tf.randomNormal([options.batch, 48, 48, 1], 0, 1, 'float32', 7) as tf.Tensor4D;
  const labels = tf.tensor1d(Array.from({ length: options.batch }, (_, i) => i % 7), 'int32');
  let finalLoss = NaN;
  const train = async () => {
    const { loss, correct } = trainStep(model, optimizer, xs, labels);
    finalLoss = (await loss.data())[0]; // waits for the device
    tf.dispose([loss, correct]);
  };
  // Optimizer slots are created in the first step, so count tensors from the second one on.
  await train();
  const tensorsBefore = tf.memory().numTensors;
  const trainTimes = await timeSteps(train, { ...options, warmupBatches: Math.max(options.warmupBatches - 1, 0) }, notes, 'training');
  const tensorsAfter = tf.memory().numTensors;
  if (tensorsAfter !== tensorsBefore) notes.push(`tensor count changed during training: ${tensorsBefore} -> ${tensorsAfter}`);

  const infer = async () => {
    const probs = predictBatched(model, xs, options.batch);
    await probs.data();
    probs.dispose();
  };
  const inferTimes = await timeSteps(infer, { ...options, warmupBatches: Math.max(options.warmupBatches, 1), maxBatches: options.maxBatches * 2 }, notes, 'inference');

  let profile: MeasureRecord['profile'];
  if (options.profile) profile = await profileStep(() => tf.dispose(Object.values(trainStep(model, optimizer, xs, labels))));

  tf.dispose([xs, labels]);
  model.dispose();
  disposeOptimizer(optimizer);
  const trainMs = median(trainTimes.times);
  const inferMs = median(inferTimes.times);
  const trainImgPerSec = (options.batch / trainMs) * 1000;
  const inferImgPerSec = (options.batch / inferMs) * 1000;
  return {
    arch: options.arch,
    tfBackend: tf.getBackend(),
    batch: options.batch,
    params: cost.params,
    flopsPerImage: cost.flopsPerImage,
    trainImgPerSec,
    inferImgPerSec,
    trainGflopPerSec: (3 * cost.flopsPerImage * trainImgPerSec) / 1e9,
    inferGflopPerSec: (cost.flopsPerImage * inferImgPerSec) / 1e9,
    ...(peak ? { arithmetic: { multiplyAddsPerImage, multiplyAddsPerSecond: multiplyAddsPerImage * trainImgPerSec, peak } } : {}),
    trainStepMs: trainTimes.times,
    inferBatchMs: inferTimes.times,
    warmupMs: trainTimes.warmupMs,
    tensorsBefore,
    tensorsAfter,
    finalLoss,
    notes,
    profile,
  };
}

/**
 * Kernel timings of one call of `step`, summed by kernel name. Wrappers that tfjs records around other
 * kernels (customGrad ops such as fusedConv2d__op) are left out so the rows add up to the step.
 */
export async function profileStep(step: () => void): Promise<{ stepMs: number; kernels: KernelRow[]; slowest: KernelCall[] }> {
  const start = performance.now();
  const info = await tf.profile(step);
  const stepMs = performance.now() - start;
  const rows = new Map<string, KernelRow>();
  const calls: KernelCall[] = [];
  for (const kernel of info.kernels) {
    if (kernel.name.endsWith('__op')) continue;
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : NaN;
    const row = rows.get(kernel.name) ?? { name: kernel.name, ms: 0, calls: 0 };
    row.ms += ms;
    row.calls++;
    rows.set(kernel.name, row);
    calls.push({ name: kernel.name, ms, inputShapes: kernel.inputShapes });
  }
  return {
    stepMs,
    kernels: [...rows.values()].sort((a, b) => b.ms - a.ms),
    slowest: calls.sort((a, b) => b.ms - a.ms).slice(0, 12),
  };
}
