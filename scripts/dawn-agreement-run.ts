// Runs in Node, started by scripts/dawn-agreement.test.ts (which makes a Vulkan driver visible: Chromium's
// SwiftShader): trains the app's nets for a few steps on tfjs' WebGPU backend over Dawn (the `webgpu` package, as
// bench/gpu does) and on the CPU backend, from the same weights and faces, and prints the comparisons as JSON on
// its last line. Usage: tsx scripts/dawn-agreement-run.ts [arch,...]
import '../bench/gpu/dawn-globals';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import {
  AGREEMENT_CASES,
  AGREEMENT_TOLERANCE,
  compareRuns,
  initialWeights,
  runSteps,
  testFaces,
  type AgreementCase,
  type RunComparison,
} from '../src/core/testing/backend-agreement';

export interface DawnAgreementReport {
  adapter: string;
  comparisons: RunComparison[];
  /** CPU reference step times per net, ms. */
  refStepMs: Record<string, number[]>;
  /** Errors the WebGPU device raised and nobody caught (none expected). */
  deviceErrors: string[];
}

/**
 * The browser test's cases, smaller: tfjs' CPU backend runs about 5x slower in Node than in Chromium, so the nets
 * train on 16 px faces, 4 of them, for 2 steps, and the seed net (0.8 GFLOP a face, 40 px at least) is left to
 * e2e/backend-agreement.spec.ts, which runs it on Chromium's WebGPU (the same tfjs backend on SwiftShader). Measured
 * at these settings: 1e-4 or below against the CPU (2 faces of 16 px gave Mini-Xception's Adam a rounding-level
 * flip, 7.5e-3 on 24 px; see the tolerance in the spec).
 */
export const DAWN_CASES: AgreementCase[] = AGREEMENT_CASES.filter((c) => c.arch !== 'seed').map((c) => ({ ...c, batch: 4, steps: 2, inputSize: 16 }));

async function use(backend: string): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
  await tf.ready();
}

async function main() {
  const archs = process.argv[2]?.split(',');
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('no WebGPU adapter from Dawn');
  const info = adapter.info;
  const report: DawnAgreementReport = {
    adapter: `${info.vendor} ${info.architecture} ${info.description}${info.isFallbackAdapter ? ' (fallback adapter)' : ''}`,
    comparisons: [],
    refStepMs: {},
    deviceErrors: [],
  };
  let listening = false;
  for (const c of DAWN_CASES.filter((c) => !archs || archs.includes(c.arch))) {
    await use('cpu');
    const initial = await initialWeights(c.arch, c.seed, c.inputSize);
    const faces = testFaces(c.batch * c.steps, c.seed);
    const ref = await runSteps(c, initial, faces);
    report.refStepMs[c.arch] = ref.stepMs.map(Math.round);
    await use('webgpu');
    if (!listening) {
      const device = (tf.backend() as unknown as { device: GPUDevice }).device;
      device.onuncapturederror = (event) => report.deviceErrors.push(`${c.arch}: ${event.error.message}`);
      listening = true;
    }
    report.comparisons.push(compareRuns(c.arch, ref, await runSteps(c, initial, faces), initial, AGREEMENT_TOLERANCE));
    console.error(`${c.arch}: ${report.comparisons.at(-1)!.failures.length === 0 ? 'agrees' : 'DIFFERS'}`);
  }
  console.log(JSON.stringify(report));
}

main().then(
  () => process.exit(0), // Dawn keeps handles open
  (error: unknown) => {
    console.error(`FAIL: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
