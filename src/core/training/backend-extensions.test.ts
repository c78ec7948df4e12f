// The backend extension point: the training loop calls the active backend's hooks after every step, and only
// that backend's; a custom kernel is run only where the active backend registered it.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usageSplit } from '../dataset/splits';
import { computePixelStats } from '../dataset/standardize';
import { generateDemoBuffers } from '../demo/synthetic-faces';
import { tinyTrainingNet } from '../testing/tiny-model';
import { NO_AUGMENTATION } from './augment';
import { ADAM_UPDATE, backendHasKernel, backendTrainingHooks, registerBackendTrainingHooks } from './backend-extensions';
import { defaultTrainConfig } from './train-config';
import { runTraining, type TrainingData } from './training-loop';

beforeAll(() => tf.setBackend('cpu'));
afterEach(() => {
  registerBackendTrainingHooks('cpu', {});
  registerBackendTrainingHooks('webgl', {});
});

const buffers = generateDemoBuffers({ training: 70, publicTest: 20, privateTest: 20, seed: 3 });
const split = usageSplit(buffers.usage);
const data: TrainingData = { buffers, train: split.train, validation: split.validation, stats: computePixelStats(buffers.pixels, split.train) };

describe('backend training hooks', () => {
  it('runTraining calls the active backend\u2019s afterStep once per optimizer step, numbered from 1 across epochs', async () => {
    const steps: number[] = [];
    const otherBackend: number[] = [];
    registerBackendTrainingHooks('cpu', { afterStep: (step) => steps.push(step) });
    registerBackendTrainingHooks('webgl', { afterStep: (step) => otherBackend.push(step) });
    const config = { ...defaultTrainConfig('compact'), batchSize: 32, augment: NO_AUGMENTATION, epochs: 2, earlyStoppingPatience: 0 };
    const result = await runTraining(data, config, { createModel: tinyTrainingNet, onCheckpoint: async () => {} });
    expect(result.reason).toBe('completed');
    const perEpoch = Math.ceil(split.train.length / 32);
    expect(steps).toEqual(Array.from({ length: 2 * perEpoch }, (_, i) => i + 1));
    expect(otherBackend).toEqual([]);
  }, 120_000);

  it('reports an error thrown while training as the backend explains it (a lost GPU), or as it is', async () => {
    const config = { ...defaultTrainConfig('compact'), batchSize: 32, augment: NO_AUGMENTATION, epochs: 1, earlyStoppingPatience: 0 };
    const failing = { createModel: tinyTrainingNet, onCheckpoint: async () => Promise.reject(new Error('buffer mapping failed')) };
    registerBackendTrainingHooks('cpu', { explain: async (error) => (String(error).includes('mapping') ? new Error('the device was lost') : undefined) });
    await expect(runTraining(data, config, failing)).rejects.toThrow('the device was lost');
    registerBackendTrainingHooks('cpu', { explain: async () => undefined });
    await expect(runTraining(data, config, failing)).rejects.toThrow('buffer mapping failed');
  }, 120_000);

  it('gives an empty set for a backend that registered none, and the latest set for one that did', () => {
    expect(backendTrainingHooks()).toEqual({});
    const afterStep = () => {};
    registerBackendTrainingHooks('cpu', { afterStep });
    expect(backendTrainingHooks().afterStep).toBe(afterStep);
  });

  it('knows a custom kernel only where the active backend registered it', () => {
    expect(backendHasKernel(ADAM_UPDATE)).toBe(false); // core registers nothing for 'cpu'
    expect(backendHasKernel('Conv2D')).toBe(true);
  });
});
