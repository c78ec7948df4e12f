// Runs in the training worker (and in Node tests with a fake `post`): one training run at a time, with
// backend choice, pause/stop, a checkpoint in IndexedDB after every epoch, and the best epoch saved as a model.
import * as tf from '@tensorflow/tfjs';
import { trainingRows, type LoadedDataset } from '../core/dataset/loaded-dataset';
import { errorMessage } from '../core/errors';
import { buildModel, modelCost, type ModelCost } from '../core/nets/architectures';
import { INPUT_SHAPE } from '../core/model-format/model-contract';
import { trainedModelMetadata, type ModelMetadata } from '../core/model-format/model-metadata';
import { measureTrainingSpeed } from '../core/training/speed-probe';
import type { TrainConfig } from '../core/training/train-config';
import { trainStep } from '../core/training/train-step';
import { NonFiniteLossError, runTraining, type TrainingData, type TrainingResult } from '../core/training/training-loop';
import { decodeModelWeights, modelArtifacts, type EncodedWeights } from '../core/model-format/weights-codec';
import { cachedDataset } from '../storage/dataset-cache';
import { StorageFullError } from '../storage/db';
import { newModelId, saveModel, setActiveModel } from '../storage/model-store';
import { appendThinned, type RunRecord } from '../storage/run-record';
import { deleteRun, getRun, saveRun } from '../storage/run-store';
import type { BackendInfo, BackendPreference } from './backend-choice';
import { claimRun } from './run-lock';
import type { TrainDataSource, TrainDataset, TrainEvent, TrainRequest } from './train-protocol';
import type { Post } from './worker-messages';

/** At most this many batch events per second reach the page. */
const BATCH_EVENTS_PER_SECOND = 10;

export interface TrainHandlerDeps {
  /** Sets a backend that passes the smoke test (see backends.ts). */
  selectBackend: (preference: BackendPreference, smokeTest: () => Promise<void>) => Promise<BackendInfo>;
  /** Builds the network; tests pass tiny ones. */
  createModel?: (config: TrainConfig, classes: number) => tf.LayersModel;
  /** Takes ownership of a run for this tab (a Web Lock); null when another tab trains it. */
  claimRun?: (runId: string) => Promise<(() => void) | null>;
  /** The data set kept in the browser's storage (default: IndexedDB's); tests pass their own. */
  loadStoredDataset?: () => Promise<LoadedDataset | null>;
  /** Called when a paused run's loop has stopped between batches and waits for play or stop (tests wait on it). */
  onHeld?: (runId: string) => void;
}

interface ActiveRun {
  runId: string;
  abort: AbortController;
  paused: boolean;
  release: (() => void) | null;
}

/** Turns engine failures into what a user can act on. */
export function describeTrainingError(error: unknown, backend: string): string {
  const message = errorMessage(error);
  if (error instanceof NonFiniteLossError || error instanceof StorageFullError) return message;
  if (/out of memory|OOM|allocat|exceeds the size|Array buffer allocation failed|memory access out of bounds/i.test(message)) {
    return `the ${backend} backend ran out of memory (${message}). Try a smaller batch size or the compact network, or another backend.`;
  }
  return message;
}

/** Keeps the epoch-end model weights as a saved model with its metadata; returns the metadata. */
async function saveBestModel(
  createModel: () => tf.LayersModel,
  weights: EncodedWeights,
  result: TrainingResult,
  record: RunRecord,
  dataset: TrainDataset,
  cost: ModelCost,
  elapsedMs: number,
): Promise<ModelMetadata> {
  const model = createModel();
  try {
    decodeModelWeights(model, weights);
    const artifacts = await modelArtifacts(model);
    const meta = trainedModelMetadata({
      id: newModelId(),
      cost,
      config: record.config,
      stats: record.stats,
      dataset: record.dataset,
      labelSet: dataset.buffers.labelSet,
      ...(dataset.buffers.mapping ? { labelMapping: dataset.buffers.mapping } : {}),
      state: result.state,
      reason: result.reason,
      backend: record.backend,
      durationMs: elapsedMs,
      weightBytes: 0, // saveModel fills in the real size
    });
    await saveModel(meta, artifacts);
    await setActiveModel(meta.id);
    return meta;
  } finally {
    model.dispose();
  }
}

export function createTrainHandler(post: Post<TrainEvent>, deps: TrainHandlerDeps) {
  let current: ActiveRun | null = null;
  const createModel = (config: TrainConfig, classes: number) => (deps.createModel ? deps.createModel(config, classes) : buildModel(config.architecture, classes));

  /** One step on two random faces: proves the backend can train this net before we commit to it. */
  const smokeTest = (config: TrainConfig, classes: number, costOut: { cost: ModelCost | null }) => async () => {
    const model = createModel(config, classes);
    const optimizer = tf.train.adam(1e-3);
    const xs = tf.randomNormal([2, ...INPUT_SHAPE]) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1], 'int32');
    try {
      const step = trainStep(model, optimizer, xs, labels);
      const loss = (await step.loss.data())[0];
      tf.dispose([step.loss, step.correct]);
      if (!Number.isFinite(loss)) throw new Error(`a test step gave loss ${loss}`);
      costOut.cost = modelCost(model);
    } finally {
      tf.dispose([xs, labels]);
      optimizer.dispose();
      model.dispose();
    }
  };

  async function train(run: ActiveRun, record: RunRecord, dataset: TrainDataset, preference: BackendPreference): Promise<void> {
    const { runId } = run;
    const sessionStart = performance.now();
    const elapsed = () => record.elapsedMs + performance.now() - sessionStart;
    const costOut: { cost: ModelCost | null } = { cost: null };
    const classes = dataset.buffers.labelSet.names.length;
    const info = await deps.selectBackend(preference, smokeTest(record.config, classes, costOut));
    post({ type: 'backend', runId, info });
    record.backend = info.backend;
    await saveRun({ ...record, updatedAt: new Date().toISOString() });

    const config = record.config;
    const data: TrainingData = { buffers: dataset.buffers, train: dataset.train, validation: dataset.validation, stats: record.stats, soft: dataset.soft };
    const batchesPerEpoch = Math.ceil(dataset.train.length / config.batchSize);
    post({
      type: 'started',
      runId,
      config,
      cost: costOut.cost!,
      batchesPerEpoch,
      history: record.checkpoint?.state.history ?? [],
      batchHistory: record.batchHistory,
      elapsedMs: record.elapsedMs,
    });

    let lastBatchPost = -Infinity;
    const result = await runTraining(
      data,
      config,
      {
        signal: run.abort.signal,
        createModel: () => createModel(config, classes),
        waitWhilePaused: () => {
          if (!run.paused) return Promise.resolve();
          const held = new Promise<void>((resolve) => (run.release = resolve));
          deps.onHeld?.(runId);
          return held;
        },
        onBatch: (metrics) => {
          const step = (metrics.epoch - 1) * metrics.batchesPerEpoch + metrics.batch;
          record.batchHistory = appendThinned(record.batchHistory, { step, loss: metrics.loss, accuracy: metrics.accuracy, trainingMs: metrics.trainingMs });
          const now = performance.now();
          if (now - lastBatchPost >= 1000 / BATCH_EVENTS_PER_SECOND || metrics.batch === metrics.batchesPerEpoch) {
            lastBatchPost = now;
            post({ type: 'batch', runId, metrics });
          }
        },
        onEpoch: (metrics, state) => {
          post({
            type: 'epoch',
            runId,
            metrics,
            bestEpoch: state.bestEpoch,
            bestValAccuracy: state.bestValAccuracy,
            tensors: tf.memory().numTensors,
            elapsedMs: elapsed(),
          });
        },
        onCheckpoint: async (checkpoint) => {
          record.checkpoint = checkpoint;
          record.updatedAt = new Date().toISOString();
          await saveRun({ ...record, elapsedMs: elapsed() });
          post({ type: 'checkpoint', runId, epoch: checkpoint.state.epoch });
        },
      },
      record.checkpoint,
    );

    const model =
      result.bestWeights === null ? null : await saveBestModel(() => createModel(config, classes), result.bestWeights, result, record, dataset, costOut.cost!, elapsed());
    await deleteRun(runId);
    post({ type: 'done', runId, reason: result.reason, model });
  }

  /** The run's data: the copies sent, or the stored data set, read here and split as the page asked. */
  async function resolveData(data: TrainDataSource): Promise<TrainDataset> {
    if (data.from === 'copy') return data.dataset;
    const stored = await (deps.loadStoredDataset ?? cachedDataset)();
    if (!stored || stored.fingerprint !== data.fingerprint) {
      throw new Error(`the data set to train on (fingerprint ${data.fingerprint}) is no longer in this browser\u2019s storage (another tab may have loaded a different one): load it again on the Data screen`);
    }
    const { train, validation, stats, soft } = trainingRows(stored, data.split, data.seedFaithful, data.voteMode);
    return { name: stored.name, fingerprint: stored.fingerprint, synthetic: stored.synthetic, buffers: stored.buffers, train, validation, stats, ...(soft ? { soft } : {}) };
  }

  async function begin(runId: string, preference: BackendPreference, data: TrainDataSource, load: (dataset: TrainDataset) => Promise<RunRecord>) {
    current?.abort.abort();
    current?.release?.();
    const run: ActiveRun = (current = { runId, abort: new AbortController(), paused: false, release: null });
    let record: RunRecord | null = null;
    let release: (() => void) | null = null;
    try {
      release = await (deps.claimRun ?? claimRun)(runId);
      if (!release) throw new Error('this run is being trained in another tab of this app; it can be resumed here once that tab stops or closes');
      const dataset = await resolveData(data);
      record = await load(dataset);
      if (record.dataset.fingerprint !== dataset.fingerprint) {
        throw new Error(
          `this run was trained on ${record.dataset.name} (fingerprint ${record.dataset.fingerprint}); load that data set to resume it`,
        );
      }
      await train(run, record, dataset, preference);
    } catch (error) {
      console.error(error);
      post({ type: 'error', runId, message: describeTrainingError(error, record?.backend || 'chosen') });
    } finally {
      release?.();
      if (current === run) current = null;
    }
  }

  return async (msg: TrainRequest): Promise<void> => {
    switch (msg.type) {
      case 'start': {
        const { config } = msg;
        const now = new Date().toISOString();
        await begin(msg.runId, msg.backend, msg.data, async (dataset) => ({
          runId: msg.runId,
          status: 'unfinished',
          createdAt: now,
          updatedAt: now,
          config,
          dataset: { name: dataset.name, fingerprint: dataset.fingerprint, rows: dataset.buffers.rows, synthetic: dataset.synthetic },
          stats: dataset.stats,
          backend: '',
          checkpoint: null,
          batchHistory: [],
          elapsedMs: 0,
        }));
        return;
      }
      case 'measure': {
        if (current) {
          post({ type: 'error', runId: msg.runId, message: 'a run is training: its speed is on screen' });
          return;
        }
        try {
          const info = await deps.selectBackend(msg.backend, smokeTest(msg.config, msg.classes, { cost: null }));
          const model = createModel(msg.config, msg.classes);
          try {
            post({ type: 'measured', runId: msg.runId, info, imagesPerSecond: await measureTrainingSpeed(model, msg.config) });
          } finally {
            model.dispose();
          }
        } catch (error) {
          post({ type: 'error', runId: msg.runId, message: `could not measure the speed: ${describeTrainingError(error, 'chosen')}` });
        }
        return;
      }
      case 'resume-run':
        await begin(msg.runId, msg.backend, msg.data, async () => {
          const record = await getRun(msg.runId);
          if (!record) throw new Error('this run is no longer stored (it may have finished in another tab)');
          return record;
        });
        return;
      case 'pause':
        if (current?.runId === msg.runId && !current.paused) {
          current.paused = true;
          post({ type: 'paused', runId: msg.runId });
        }
        return;
      case 'play':
        if (current?.runId === msg.runId && current.paused) {
          current.paused = false;
          current.release?.();
          current.release = null;
          post({ type: 'playing', runId: msg.runId });
        }
        return;
      case 'stop':
        if (current?.runId === msg.runId) {
          current.abort.abort();
          current.paused = false;
          current.release?.();
          current.release = null;
        }
        return;
      default:
        msg satisfies never;
    }
  };
}
