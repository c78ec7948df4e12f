// Runs in a worker (and the backend-agreement test page): ends a training run cleanly when its GPU goes away. A
// lost WebGL context (the GPU reset, the driver crashed, the browser took the context back) or a lost WebGPU
// device leaves tfjs computing on nothing: calls return zeros or garbage instead of failing. Through the training
// hooks (core/training/backend-extensions.ts) the loop checks after every step and before every checkpoint, and
// the run stops with BackendLostError: the last checkpoint stored is from before the loss, so Resume continues
// from it, on another backend if need be. Reaches past tfjs' public API for the context and device (tfjs 4.22).
import * as tf from '@tensorflow/tfjs';
import { registerBackendTrainingHooks } from '../core/training/backend-extensions';

export class BackendLostError extends Error {
  constructor(what: string) {
    super(
      `${what}, so training stopped: nothing computed after that was kept. The run's last checkpoint is stored: ` +
        'Resume continues from it (choose another backend if this one fails again).',
    );
    this.name = 'BackendLostError';
  }
}

/** tfjs-backend-webgl 4.22 keeps its context at backend.gpgpu.gl. */
function webglContext(): WebGL2RenderingContext | WebGLRenderingContext | null {
  return (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl ?? null;
}

/** tfjs-backend-webgpu 4.22 keeps its device at backend.device. */
function webgpuDevice(): GPUDevice | null {
  return (tf.backend() as unknown as { device?: GPUDevice }).device ?? null;
}

/** How long an error waits for a device's `lost` promise to say whether the device is why, ms. */
const LOST_WAIT_MS = 2000;

/** Devices seen, with why each was lost once `device.lost` resolved (it resolves at most once). */
const lostDevices = new WeakMap<GPUDevice, string | null>();

/** Why a device was lost, in words. */
const lostText = (info: GPUDeviceLostInfo) => info.message || info.reason || 'no reason given';

function deviceLostReason(device: GPUDevice): string | null {
  if (!lostDevices.has(device)) {
    lostDevices.set(device, null);
    void device.lost.then((info) => lostDevices.set(device, lostText(info)));
  }
  return lostDevices.get(device) ?? null;
}

/** Registers the checks for 'webgl' and 'webgpu' (idempotent). Call once in a worker that trains. */
export function watchGpuLoss(): void {
  const webglLost = () => new BackendLostError('The WebGL context was lost (the GPU was reset, or the browser took the context back)');
  registerBackendTrainingHooks('webgl', {
    check: () => {
      if (webglContext()?.isContextLost()) throw webglLost();
    },
    explain: async () => (webglContext()?.isContextLost() ? webglLost() : undefined),
  });
  const webgpuLost = (reason: string) => new BackendLostError(`The WebGPU device was lost (${reason})`);
  registerBackendTrainingHooks('webgpu', {
    check: () => {
      const device = webgpuDevice();
      const reason = device && deviceLostReason(device);
      if (reason) throw webgpuLost(reason);
    },
    // Reading from a destroyed device fails (mapAsync) before its lost promise may have settled: wait for it a
    // little, so the person is told the device went, not a buffer-mapping error.
    explain: async (error) => {
      const device = webgpuDevice();
      if (!device || error instanceof BackendLostError) return undefined;
      const reason = await Promise.race([
        device.lost.then(lostText),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), LOST_WAIT_MS)),
      ]);
      return reason === null ? undefined : webgpuLost(reason);
    },
  });
}
