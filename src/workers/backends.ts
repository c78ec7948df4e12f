// Runs in a worker: chooses and initialises the tfjs backend (WebGPU -> WebGL -> WASM -> CPU), saying why.
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { claimWasmThreads } from '../wasm-training/tfjs-wasm-internals';
import { registerWasmTrainingKernels, startWasmTrainingThreads } from '../wasm-training/register';
import { kernelsBuild } from '../wasm-training/simd-module';
import { chooseBackend, type BackendInfo, type BackendName, type BackendPreference } from './backend-choice';
import { describeWasm, probeBackend, startBackend } from './backend-probes';
import { watchGpuLoss } from './gpu-loss';

// IMPORTANT: import this module only in workers: it changes navigator.hardwareConcurrency and registers
// kernels at load. Types and the list of backends come from backend-choice.ts.
import './wasm-paths';

/** Threads for the WASM backend: every core, up to 4. */
const WASM_THREADS = Math.max(1, Math.min(4, (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) || 1));
// IMPORTANT: before the backend starts (see claimWasmThreads).
if (typeof navigator !== 'undefined') claimWasmThreads(WASM_THREADS, setThreadsCount, navigator);
// tfjs-backend-wasm 4.22 cannot train conv nets by itself (no Conv2DBackpropFilter), and several of its
// kernels are slow: ours (src/wasm-training) replace them while 'wasm' is the backend.
registerWasmTrainingKernels();
// A GPU lost mid-run stops the run before its numbers reach a checkpoint (see gpu-loss.ts).
watchGpuLoss();

/** Threads our SIMD kernels got (set when the WASM backend starts). */
let kernelThreads = 1;

/** Hooks run once a backend is set, before it is used. */
const afterInit: Partial<Record<BackendName, () => Promise<void>>> = {
  // Our kernels' threads join only while this thread's event loop is free: start them before training.
  wasm: async () => {
    kernelThreads = await startWasmTrainingThreads();
  },
};

/**
 * Sets the first backend that initialises and passes `smokeTest` (e.g. one training step), in the order
 * WebGPU, WebGL, WASM, CPU (or the preferred one first). In auto mode software GPU renderers are skipped:
 * on such machines WASM trains faster.
 */
export function selectBackend(preference: BackendPreference, smokeTest: () => Promise<void>): Promise<BackendInfo> {
  return chooseBackend(preference, smokeTest, {
    probe: probeBackend,
    start: async (backend) => {
      await startBackend(backend);
      await afterInit[backend]?.();
    },
    describe: (backend, probed) => (backend === 'wasm' ? describeWasm({ threads: kernelThreads, fusedMultiplyAdd: kernelsBuild() === 'relaxed' }) : probed),
  });
}
