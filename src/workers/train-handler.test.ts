import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeDataset, trainingRows, type LoadedDataset } from '../core/dataset/loaded-dataset';
import { usageSplit } from '../core/dataset/splits';
import { computePixelStats } from '../core/dataset/standardize';
import { generateDemoBuffers } from '../core/demo/synthetic-faces';
import { NO_AUGMENTATION } from '../core/training/augment';
import { defaultTrainConfig, type TrainConfig } from '../core/training/train-config';
import { tinyClassifier } from '../core/testing/tiny-model';
import { closeDb } from '../storage/db';
import { getActiveModelId, listModels, loadSavedModel } from '../storage/model-store';
import { appendThinned, type BatchPoint } from '../storage/run-record';
import { getRun, latestUnfinishedRun } from '../storage/run-store';
import type { BackendInfo } from './backend-choice';
import type { TrainDataset, TrainEvent } from './train-protocol';
import { createTrainHandler, type TrainHandlerDeps } from './train-handler';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(async () => {
  await closeDb();
  globalThis.indexedDB = new IDBFactory();
});

const buffers = generateDemoBuffers({ training: 70, publicTest: 21, privateTest: 21, seed: 4 });
const split = usageSplit(buffers.usage);
const dataset: TrainDataset = {
  name: 'demo', fingerprint: 'fp', synthetic: true, buffers, train: split.train, validation: split.validation,
  stats: computePixelStats(buffers.pixels, split.train),
};
const config: TrainConfig = { ...defaultTrainConfig('compact'), epochs: 2, batchSize: 16, augment: NO_AUGMENTATION };

/** Backend selection stand-in: the CPU backend, after running the smoke test like the real one. */
const cpuOnly = async (_preference: unknown, smokeTest: () => Promise<void>): Promise<BackendInfo> => {
  await smokeTest();
  return { backend: 'cpu', reason: 'test', attempts: [], device: 'test' };
};

function harness(
  onEvent: (event: TrainEvent) => void = () => {},
  loadStoredDataset?: () => Promise<LoadedDataset | null>,
  moreDeps: Partial<TrainHandlerDeps> = {},
) {
  const events: TrainEvent[] = [];
  const handle = createTrainHandler(
    (event) => {
      events.push(event);
      onEvent(event);
    },
    { selectBackend: cpuOnly, createModel: () => tinyClassifier(), loadStoredDataset, ...moreDeps },
  );
  return { events, handle };
}

/** Pauses a run as soon as its first checkpoint is written, as a tab closing there would leave it. */
function pausedAtFirstCheckpoint(runId: string) {
  const box: { handle?: ReturnType<typeof harness>['handle'] } = {};
  const h = harness((event) => {
    if (event.type === 'checkpoint' && event.epoch === 1) void box.handle!({ type: 'pause', runId });
  });
  box.handle = h.handle;
  return h;
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('train handler: the data set from storage', () => {
  const stored = describeDataset(buffers, { name: 'kept.csv', synthetic: false, bytes: 0, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 });
  const fromStorage = { from: 'storage' as const, fingerprint: stored.fingerprint, split: { strategy: 'usage' as const, seed: 42 }, seedFaithful: false, voteMode: 'crossentropy' as const };

  it('reads the stored data set by fingerprint and makes the split and statistics the page would have sent', async () => {
    const { events, handle } = harness(() => {}, async () => stored);
    await handle({ type: 'start', runId: 's', config: { ...config, epochs: 1 }, data: fromStorage, backend: 'auto' });
    const started = events.find((event) => event.type === 'started');
    expect(started && started.type === 'started' && started.batchesPerEpoch).toBe(Math.ceil(split.train.length / config.batchSize));
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    const meta = done?.type === 'done' ? done.model : null;
    expect(meta?.dataset).toMatchObject({ name: 'kept.csv', fingerprint: stored.fingerprint });
    expect(Array.from(meta!.standardization.mean.slice(0, 5))).toEqual(Array.from(trainingRows(stored, fromStorage.split, false, 'crossentropy').stats.mean.slice(0, 5)));
  });

  it('refuses, saying what to do, when storage holds another data set or none', async () => {
    for (const load of [async () => null, async () => ({ ...stored, fingerprint: 'someone else' })]) {
      const { events, handle } = harness(() => {}, load);
      await handle({ type: 'start', runId: 'x', config, data: fromStorage, backend: 'auto' });
      const last = events.at(-1);
      expect(last?.type === 'error' && last.message).toMatch(/no longer in this browser.s storage .* load it again on the Data screen/);
    }
  });
});

describe('train handler', () => {
  it('runs: backend, started, batches, epochs with checkpoints, then saves the best epoch as the active model', async () => {
    const { events, handle } = harness();
    await handle({ type: 'start', runId: 'r', config, data: { from: 'copy', dataset }, backend: 'auto' });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('backend');
    expect(types[1]).toBe('started');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(2);
    expect(types.filter((t) => t === 'checkpoint')).toHaveLength(2);
    expect(types.filter((t) => t === 'batch').length).toBeGreaterThan(0);
    const done = events[events.length - 1];
    if (done.type !== 'done') throw new Error(`expected done, got ${done.type}`);
    expect(done.reason).toBe('completed');
    expect(done.model?.training?.epochsRun).toBe(2);
    expect(done.model?.standardization.mean).toHaveLength(2304);
    expect(done.model?.dataset.fingerprint).toBe('fp');
    expect((await listModels()).map((m) => m.id)).toEqual([done.model!.id]);
    expect(await getActiveModelId()).toBe(done.model!.id);
    expect(await getRun('r')).toBeUndefined(); // finished runs leave no checkpoint behind
    const model = await loadSavedModel(done.model!.id);
    expect(model.outputs[0].shape).toEqual([null, 7]);
    const tensors = events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.tensors : 0));
    expect(tensors[0]).toBe(tensors[1]);
    model.dispose();
  });

  it('keeps the checkpoint of an interrupted run and resumes it from the next epoch with the same curves', async () => {
    const first = pausedAtFirstCheckpoint('r2');
    const stopAfterEpoch1 = first.handle({ type: 'start', runId: 'r2', config: { ...config, epochs: 3 }, data: { from: 'copy', dataset }, backend: 'auto' });
    // Simulate a crash after epoch 1: read the stored run as a reload would find it.
    await until(() => first.events.some((e) => e.type === 'paused'));
    expect((await latestUnfinishedRun())?.runId).toBe('r2');
    const stored = await getRun('r2');
    expect(stored?.checkpoint?.state.epoch).toBe(1);
    await first.handle({ type: 'stop', runId: 'r2' });
    await stopAfterEpoch1;

    // The stop saved the best model and cleared the run; put the epoch-1 record back as a crash would leave it.
    const { saveRun } = await import('../storage/run-store');
    await saveRun(stored!);
    const second = harness();
    await second.handle({ type: 'resume-run', runId: 'r2', data: { from: 'copy', dataset }, backend: 'auto' });
    const started = second.events.find((e) => e.type === 'started');
    if (started?.type !== 'started') throw new Error('not started');
    expect(started.history.map((m) => m.epoch)).toEqual([1]);
    expect(started.batchHistory.length).toBeGreaterThan(0);
    const epochs = second.events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.metrics.epoch : 0));
    expect(epochs).toEqual([2, 3]);
    const done = second.events[second.events.length - 1];
    if (done.type !== 'done') throw new Error(`expected done, got ${done.type}`);
    const resumed = done.model!.training!.history;
    expect(resumed.map((m) => m.epoch)).toEqual([1, 2, 3]);

    // The same curves: the same config and seed trained without interruption.
    const uninterrupted = harness();
    await uninterrupted.handle({ type: 'start', runId: 'r2-whole', config: { ...config, epochs: 3 }, data: { from: 'copy', dataset }, backend: 'auto' });
    const whole = uninterrupted.events.at(-1);
    if (whole?.type !== 'done') throw new Error(`expected done, got ${whole?.type}`);
    const reference = whole.model!.training!.history;
    expect(reference.map((m) => m.epoch)).toEqual([1, 2, 3]);
    // Epoch 1 is the checkpointed one: the very same numbers. Accuracies agree exactly in every epoch (CPU backend,
    // same seed, same batches). Losses after the resume agree to 1e-4, not bit for bit: tfjs' Adam recomputes its
    // bias-correction powers as pow(beta, step) when its state is restored, where the uninterrupted run multiplies
    // them up step by step, so the float32 steps differ in the last bits (measured: at most 1.6e-5 here).
    expect(resumed[0]).toMatchObject({ loss: reference[0].loss, accuracy: reference[0].accuracy, valLoss: reference[0].valLoss, valAccuracy: reference[0].valAccuracy });
    expect(resumed.map((m) => [m.accuracy, m.valAccuracy])).toEqual(reference.map((m) => [m.accuracy, m.valAccuracy]));
    resumed.forEach((m, i) => {
      expect(Math.abs(m.loss - reference[i].loss)).toBeLessThan(1e-4);
      expect(Math.abs(m.valLoss - reference[i].valLoss)).toBeLessThan(1e-4);
    });
    // The curves moved from epoch to epoch, so agreeing is not the trivial agreement of flat lines.
    expect(new Set(reference.map((m) => m.valLoss)).size).toBe(3);
  });

  it('refuses to resume on a different data set, saying which one it needs', async () => {
    const first = pausedAtFirstCheckpoint('r3');
    const run = first.handle({ type: 'start', runId: 'r3', config: { ...config, epochs: 3 }, data: { from: 'copy', dataset }, backend: 'auto' });
    await until(() => first.events.some((e) => e.type === 'paused'));
    const stored = (await getRun('r3'))!;
    await first.handle({ type: 'stop', runId: 'r3' });
    await run;
    const { saveRun } = await import('../storage/run-store');
    await saveRun(stored);
    const second = harness();
    await second.handle({ type: 'resume-run', runId: 'r3', data: { from: 'copy', dataset: { ...dataset, fingerprint: 'other' } }, backend: 'auto' });
    expect(second.events[0]).toMatchObject({ type: 'error', runId: 'r3' });
    expect(second.events[0].type === 'error' && second.events[0].message).toMatch(/trained on demo \(fingerprint fp\); load that data set/);
  });

  it('a run another tab owns is not trained here: an error says so and its record stays as it was', async () => {
    const first = pausedAtFirstCheckpoint('r4');
    const run = first.handle({ type: 'start', runId: 'r4', config: { ...config, epochs: 3 }, data: { from: 'copy', dataset }, backend: 'auto' });
    await until(() => first.events.some((e) => e.type === 'paused'));
    const before = await getRun('r4');
    // A second tab: its claim on the run's lock fails while the first tab holds it.
    const events: TrainEvent[] = [];
    const second = createTrainHandler((event) => events.push(event), { selectBackend: cpuOnly, createModel: () => tinyClassifier(), claimRun: async () => null });
    await second({ type: 'resume-run', runId: 'r4', data: { from: 'copy', dataset }, backend: 'auto' });
    expect(events).toEqual([{ type: 'error', runId: 'r4', message: expect.stringContaining('being trained in another tab') }]);
    expect(await getRun('r4')).toEqual(before);
    await first.handle({ type: 'stop', runId: 'r4' });
    await run;
  });

  it('pauses between batches and plays on', async () => {
    const box: { handle?: ReturnType<typeof harness>['handle'] } = {};
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const { events, handle } = harness(
      (event) => {
        if (event.type === 'batch' && event.metrics.epoch === 1 && event.metrics.batch === 1) void box.handle!({ type: 'pause', runId: 'p' });
      },
      undefined,
      { onHeld: () => held() },
    );
    box.handle = handle;
    const run = handle({ type: 'start', runId: 'p', config: { ...config, epochs: 2 }, data: { from: 'copy', dataset }, backend: 'auto' });
    // Wait for the loop itself to stop at the next batch boundary (not for a guessed time).
    await holding;
    const typesWhileHeld = events.map((e) => e.type);
    expect(typesWhileHeld.slice(-2)).toEqual(['batch', 'paused']);
    expect(typesWhileHeld).not.toContain('epoch');
    await handle({ type: 'play', runId: 'p' });
    await run;
    // Nothing trained between the pause and the play: the next event after 'paused' is 'playing'; training then
    // goes on past batch 1.
    const after = events.slice(typesWhileHeld.length);
    expect(after[0]).toEqual({ type: 'playing', runId: 'p' });
    expect(events.filter((e) => e.type === 'batch').map((e) => (e.type === 'batch' ? e.metrics.batch : 0))[1]).toBeGreaterThan(1);
    expect(after.map((e) => e.type)).toEqual(expect.arrayContaining(['epoch', 'done']));
    expect(events.at(-1)).toMatchObject({ type: 'done', reason: 'completed', model: { training: { epochsRun: 2 } } });
  });
});

describe('appendThinned', () => {
  it('keeps at most max points, spread evenly over the run', () => {
    let points: BatchPoint[] = [];
    for (let step = 1; step <= 1000; step++) points = appendThinned(points, { step, loss: 1, accuracy: 0 }, 100);
    expect(points.length).toBeLessThanOrEqual(100);
    expect(points.length).toBeGreaterThan(50);
    expect(points[0].step).toBe(1);
    expect(points[points.length - 1].step).toBeGreaterThan(900);
  });

  it('keeps a long run covered when points come at irregular steps (the live chart\u2019s throttled batches)', () => {
    // A 54-epoch run as the Train screen receives it: a point every 2-9 steps, 437 steps an epoch.
    let points: BatchPoint[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let step = 1; step <= 54 * 437; step += 2 + Math.floor(next() * 8)) points = appendThinned(points, { step, loss: 1, accuracy: 0 }, 2000);
    expect(points.length).toBeGreaterThan(1000);
    expect(points.length).toBeLessThanOrEqual(2000);
    const gaps = points.slice(1).map((p, i) => p.step - points[i].step);
    const mean = (points.at(-1)!.step - points[0].step) / gaps.length;
    // Before: a rule on step numbers ((step - first) % stride) kept almost nothing of some stretches: here a
    // gap of 204 steps against a mean of 14; on the Train screen, 15 minutes of a 60-minute run as one line.
    expect(Math.max(...gaps)).toBeLessThan(3 * mean);
    expect(points.at(-1)!.step).toBeGreaterThan(54 * 437 - 50);
  });
});
