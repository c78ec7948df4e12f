// Runs in a fresh worker of e2e/backend-agreement/index.html per call (the GPU it loses is gone for good): the
// app's training loop on WebGL or WebGPU with the app's GPU-loss checks (src/workers/gpu-loss.ts), a tiny net on
// demo faces; right after epoch 1's checkpoint is stored, the context is lost (WEBGL_lose_context) or the device
// destroyed. Replies with how the run ended and which checkpoints were handed on.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { usageSplit } from '../../src/core/dataset/splits';
import { computePixelStats } from '../../src/core/dataset/standardize';
import { generateDemoBuffers } from '../../src/core/demo/synthetic-faces';
import { tinyTrainingNet } from '../../src/core/testing/tiny-model';
import { NO_AUGMENTATION } from '../../src/core/training/augment';
import { defaultTrainConfig } from '../../src/core/training/train-config';
import { runTraining } from '../../src/core/training/training-loop';
import { watchGpuLoss } from '../../src/workers/gpu-loss';

export interface GpuLossReply {
  /** Epochs whose checkpoint reached onCheckpoint (the app stores each one). */
  checkpoints: number[];
  /** Batches reported after the loss (their losses came from a lost GPU). */
  batchesAfterLoss: number;
  /** How the run ended: the error's name and message, or null when it finished. */
  errorName: string | null;
  error: string | null;
  /** tf.getBackend() when the run started (the test checks it ran where it meant to). */
  backend: string;
}

/** Loses the active backend's GPU as a driver reset would (the test's only reach past the app). */
function loseGpu(backend: string): void {
  if (backend === 'webgl') (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl.getExtension('WEBGL_lose_context')!.loseContext();
  else (tf.backend() as unknown as { device: GPUDevice }).device.destroy();
}

self.onmessage = async (event: MessageEvent<{ backend: string }>) => {
  const { backend } = event.data;
  const reply: GpuLossReply = { checkpoints: [], batchesAfterLoss: 0, errorName: null, error: null, backend: '' };
  let lost = false;
  try {
    if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend('${backend}') failed`);
    await tf.ready();
    reply.backend = tf.getBackend();
    watchGpuLoss();
    const buffers = generateDemoBuffers({ training: 48, publicTest: 16, privateTest: 16, seed: 5 });
    const split = usageSplit(buffers.usage);
    const data = { buffers, train: split.train, validation: split.validation, stats: computePixelStats(buffers.pixels, split.train) };
    const config = { ...defaultTrainConfig('compact'), batchSize: 16, augment: NO_AUGMENTATION, epochs: 3, earlyStoppingPatience: 0 };
    await runTraining(data, config, {
      createModel: () => tinyTrainingNet(buffers.labelSet.names.length),
      onBatch: () => {
        if (lost) reply.batchesAfterLoss++;
      },
      onCheckpoint: async (checkpoint) => {
        reply.checkpoints.push(checkpoint.state.epoch);
        if (checkpoint.state.epoch === 1) {
          loseGpu(backend);
          lost = true;
        }
      },
    });
  } catch (error) {
    reply.errorName = error instanceof Error ? error.name : 'thrown';
    reply.error = error instanceof Error ? error.message : String(error);
  }
  (self as unknown as Worker).postMessage(reply);
};
