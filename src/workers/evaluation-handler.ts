// Runs in the evaluation worker (and in Node tests with a fake `post` and the CPU backend): evaluates saved
// models on held-out faces and imports exported model files into the model store. No DOM.
import * as tf from '@tensorflow/tfjs';
import { errorMessage, isAbortError } from '../core/errors';
import { predictFaces } from '../core/evaluation/evaluate-model';
import { labelAgreement, labelsInModelOrder } from '../core/evaluation/label-agreement';
import { argMaxRows, averageProbabilities, confusionMatrix, matrixAccuracy } from '../core/evaluation/metrics';
import type { ModelEvaluation } from '../core/evaluation/types';
import { ModelFileError } from '../core/model-format/metadata-validation';
import { INPUT_SHAPE, modelShapeProblem } from '../core/model-format/model-contract';
import type { ModelMetadata } from '../core/model-format/model-metadata';
import { readModelPackage, type PackageFile } from '../core/model-format/model-package';
import { asStorageError } from '../storage/db';
import { getModelArtifacts, getModelMeta, modelUrl, newModelId, saveModel, updateModelMeta } from '../storage/model-store';
import type { BackendInfo, BackendPreference } from './backend-choice';
import type { EvaluationData, EvaluationEvent, EvaluationRequest, ImportFile } from './evaluation-protocol';
import type { Post } from './worker-messages';

/** At most this many progress events per second reach the page. */
const PROGRESS_EVENTS_PER_SECOND = 10;
/** Faces per predict call: 128 faces = 1.2 MB of input (2.4 MB with TTA), enough to keep WASM/XNNPACK busy. */
const BATCH_SIZE = 128;

export interface EvaluationHandlerDeps {
  /** Sets a backend that passes the smoke test (see backends.ts). Called once per worker. */
  selectBackend: (preference: BackendPreference, smokeTest: () => Promise<void>) => Promise<BackendInfo>;
}

/** One small convolution: proves the backend runs the ops a face classifier needs. */
async function smokeTest(): Promise<void> {
  const out = tf.tidy(() => tf.sum(tf.conv2d(tf.ones([1, 8, 8, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, 1, 'same')));
  try {
    const value = (await out.data())[0];
    if (value !== 2 * (36 * 9 + 24 * 6 + 4 * 4)) throw new Error(`a test convolution gave ${value}`);
  } finally {
    out.dispose();
  }
}

/** Checks that a loaded network takes 48x48 gray faces and gives one score per label (the model contract). */
function checkModelShape(model: tf.LayersModel, labels: number, what: string): void {
  const problem = modelShapeProblem(model, labels);
  if (problem) throw new ModelFileError(`${what} ${problem}`);
}

export function createEvaluationHandler(post: Post<EvaluationEvent>, deps: EvaluationHandlerDeps) {
  let backend: Promise<BackendInfo> | null = null;
  let current: { runId: string; abort: AbortController } | null = null;

  /** The backend, chosen on the first request (its preference wins) and kept; a failure lets the next try again. */
  const ready = (preference: BackendPreference) =>
    (backend ??= deps.selectBackend(preference, smokeTest).catch((error: unknown) => {
      backend = null;
      throw error;
    }));

  async function evaluate(runId: string, signal: AbortSignal, modelId: string, data: EvaluationData, tta: { mirror: boolean; tenCrop: boolean }, preference: BackendPreference) {
    const started = performance.now();
    const [meta, artifacts] = await Promise.all([getModelMeta(modelId), getModelArtifacts(modelId)]);
    if (!meta || !artifacts) throw new Error(`the model ${modelUrl(modelId)} is no longer saved (deleted in another tab?)`);
    // IMPORTANT: the data's classes must be the model's (in any order), or the figures would mean nothing.
    const agreement = labelAgreement(meta.labels, data.labelNames, { model: meta.name, data: `the data set ${data.dataset.name}` });
    if (agreement.kind === 'refused') throw new Error(agreement.message);
    const labels = agreement.kind === 'reordered' ? labelsInModelOrder(data.labels, agreement.toModel) : data.labels;
    const info = await ready(preference);
    post({ type: 'backend', runId, info });
    const total = labels.length;
    if (total === 0) throw new Error(`the ${data.splitLabel} split of ${data.dataset.name} has no faces`);
    const maxLabel = labels.reduce((max, label) => Math.max(max, label), 0);
    if (maxLabel >= meta.labels.length) throw new Error(`the faces have class ${maxLabel} but "${meta.name}" knows ${meta.labels.length} classes`);

    const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    try {
      checkModelShape(model, meta.labels.length, `model "${meta.name}"`);
      let lastPost = -Infinity;
      post({ type: 'progress', runId, done: 0, total, elapsedMs: performance.now() - started });
      // IMPORTANT: the model's own standardisation, not the data set's current statistics.
      const predictions = await predictFaces(
        model,
        { pixels: data.pixels, labels },
        {
          mean: Float32Array.from(meta.standardization.mean),
          std: Float32Array.from(meta.standardization.std),
          flip: tta.mirror,
          tenCrop: tta.tenCrop,
          batchSize: BATCH_SIZE,
          signal,
          onProgress: (done) => {
            const now = performance.now();
            if (now - lastPost < 1000 / PROGRESS_EVENTS_PER_SECOND && done < total) return;
            lastPost = now;
            post({ type: 'progress', runId, done, total, elapsedMs: now - started });
          },
        },
      );
      const classes = meta.labels.length;
      const confusion = confusionMatrix(labels, argMaxRows(predictions.probs, classes), classes);
      const ttaProbs = predictions.flippedProbs ? averageProbabilities(predictions.probs, predictions.flippedProbs) : null;
      const ttaConfusion = ttaProbs ? confusionMatrix(labels, argMaxRows(ttaProbs, classes), classes) : null;
      const tenCropProbs = predictions.tenCropProbs;
      const tenCropConfusion = tenCropProbs ? confusionMatrix(labels, argMaxRows(tenCropProbs, classes), classes) : null;
      const evaluation: ModelEvaluation = {
        split: data.split,
        splitLabel: data.splitLabel,
        dataset: data.dataset,
        rows: total,
        accuracy: matrixAccuracy(confusion),
        confusion,
        tta: ttaConfusion ? { accuracy: matrixAccuracy(ttaConfusion), confusion: ttaConfusion } : null,
        tenCrop: tenCropConfusion ? { accuracy: matrixAccuracy(tenCropConfusion), confusion: tenCropConfusion } : null,
        evaluatedAt: new Date().toISOString(),
        durationMs: performance.now() - started,
        backend: info.backend,
        ...(agreement.kind === 'reordered' ? { dataLabels: [...data.labelNames] } : {}),
      };
      signal.throwIfAborted();
      let saved = true;
      try {
        await updateModelMeta(modelId, (stored) => ({ ...stored, evaluation: { ...stored.evaluation, [data.split]: evaluation } }));
      } catch (error) {
        // Deleted meanwhile: the result is still shown, there is just nothing to store it in.
        if (!(await getModelMeta(modelId))) saved = false;
        else throw asStorageError(error, `the evaluation of "${meta.name}"`);
      }
      const transfer: ArrayBuffer[] = [predictions.probs.buffer as ArrayBuffer];
      if (ttaProbs) transfer.push(ttaProbs.buffer as ArrayBuffer);
      if (tenCropProbs) transfer.push(tenCropProbs.buffer as ArrayBuffer);
      post({ type: 'done', runId, outcome: { modelId, evaluation, labels: [...meta.labels], probs: predictions.probs, ttaProbs, tenCropProbs, saved } }, transfer);
    } finally {
      model.dispose();
    }
  }

  async function importFiles(runId: string, files: ImportFile[]) {
    const read: PackageFile[] = await Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.data.arrayBuffer()) })));
    const pkg = readModelPackage(read);
    const [modelFile, ...rest] = pkg.files;
    await ready('auto');
    // Build it for real: a topology tfjs cannot construct, or weights that do not fit its layers, fail here.
    let model: tf.LayersModel;
    try {
      model = await tf.loadLayersModel(tf.io.fromMemory(pkg.artifacts));
    } catch (error) {
      throw new ModelFileError(`${modelFile} and ${rest[0]} do not make a working model: ${errorMessage(error)}`);
    }
    try {
      checkModelShape(model, pkg.meta.labels.length, modelFile);
      const probe = tf.tidy(() => model.predict(tf.zeros([1, ...INPUT_SHAPE])) as tf.Tensor);
      const values = await probe.data();
      probe.dispose();
      if (!values.every(Number.isFinite)) throw new ModelFileError(`${rest[0]}: the weights give non-finite outputs (damaged file?)`);
    } finally {
      model.dispose();
    }
    // Keep the id (so the same model keeps one identity across machines) unless one by that id is saved here.
    const clash = await getModelMeta(pkg.meta.id);
    const meta: ModelMetadata = {
      ...pkg.meta,
      id: clash ? newModelId() : pkg.meta.id,
      name: clash ? `${pkg.meta.name} (imported)` : pkg.meta.name,
      imported: { files: pkg.files, importedAt: new Date().toISOString() },
    };
    await saveModel(meta, pkg.artifacts);
    post({ type: 'imported', runId, meta: (await getModelMeta(meta.id)) ?? meta });
  }

  return async (msg: EvaluationRequest): Promise<void> => {
    switch (msg.type) {
      case 'evaluate': {
        current?.abort.abort();
        const run = (current = { runId: msg.runId, abort: new AbortController() });
        try {
          await evaluate(run.runId, run.abort.signal, msg.modelId, msg.data, { mirror: msg.tta, tenCrop: msg.tenCrop ?? false }, msg.backend);
        } catch (error) {
          if (run.abort.signal.aborted && isAbortError(error)) post({ type: 'cancelled', runId: run.runId });
          else {
            console.error(error);
            post({ type: 'error', runId: run.runId, message: errorMessage(error) });
          }
        } finally {
          if (current === run) current = null;
        }
        return;
      }
      case 'cancel':
        if (current?.runId === msg.runId) current.abort.abort();
        return;
      case 'import':
        try {
          await importFiles(msg.runId, msg.files);
        } catch (error) {
          if (!(error instanceof ModelFileError)) console.error(error);
          post({ type: 'error', runId: msg.runId, message: errorMessage(error) });
        }
        return;
      default:
        msg satisfies never;
    }
  };
}
