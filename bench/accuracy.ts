// npm run bench:accuracy -- --recipe NAME --budget-min M [--out FILE.json] [--csv PATH] [--save DIR]
//   [--arch A] [--lr X] [--optimizer O] [--wd X] [--smoothing X] [--batch N] [--limit N]
//   [--labels ferplus:MODE [--ferplus PATH]] [--merge valence]
// Time-to-accuracy: trains a recipe with the app's own src/core engine (Node + WASM, as `npm run train`) on
// FER2013's Training rows for a wall-clock budget counted from the first batch, keeps the epoch with the best
// PublicTest accuracy (nothing is chosen on PrivateTest), and reports PrivateTest accuracy plain, with mirror
// TTA and with ten-crop TTA, macro F1, speed and the PublicTest-versus-minutes curve. JSON with --out; the
// curve so far is rewritten after every epoch, so a run cut short still leaves its figures.
// --labels ferplus:MODE joins FER+'s votes (--ferplus PATH, default ../shared/data/ferplus/fer2013new.csv) to the
// FER2013 file by row and trains on MODE's targets (majority, crossentropy, probability, multi-target; default
// recipe ferplus-quick up to 30 min, ferplus-standard above); PublicTest and PrivateTest are then majority-filtered
// (FER+'s validation and test: 3,199 and 3,153 faces) and the JSON adds labels, mode and testAcc (+ Tta2, Tta10).
// --merge valence trains negative / neutral / positive (FER2013's seven or FER+'s eight merged at load).
import { cpus, loadavg, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { trainingRows } from '../src/core/dataset/loaded-dataset';
import { splitDataset } from '../src/core/dataset/splits';
import { predictFaces } from '../src/core/evaluation/evaluate-model';
import { valenceMatrix } from '../src/core/evaluation/valence';
import { argMaxRows, averageProbabilities, classificationReport, confusionMatrix, matrixAccuracy } from '../src/core/evaluation/metrics';
import { PIXELS } from '../src/core/dataset/face-format';
import { ARCHITECTURES, buildModel, type ArchitectureName } from '../src/core/nets/architectures';
import { findRecipe, recipeConfig, RECIPES } from '../src/core/training/recipes';
import { OPTIMIZERS, validateTrainConfig, type OptimizerName, type TrainConfig } from '../src/core/training/train-config';
import { classCountOf, runTraining, type EpochMetrics } from '../src/core/training/training-loop';
import { decodeModelWeights } from '../src/core/model-format/weights-codec';
import { FERPLUS_CSV, FULL_CSV_GZ, ferDataDir, ferPlusDataDir } from '../scripts/fer-data';
import { formatMs, loadDatasetFile, parseLabelsOption, parseMergeOption, startNodeBackend, writeModelFolder } from '../scripts/node-training';

const { values: args } = parseArgs({
  options: {
    recipe: { type: 'string' },
    'budget-min': { type: 'string' },
    csv: { type: 'string' },
    out: { type: 'string' },
    save: { type: 'string' },
    arch: { type: 'string' },
    lr: { type: 'string' },
    optimizer: { type: 'string' },
    wd: { type: 'string' },
    smoothing: { type: 'string' },
    batch: { type: 'string' },
    limit: { type: 'string' },
    labels: { type: 'string' },
    ferplus: { type: 'string' },
    merge: { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(`error: ${message}\nrecipes: ${RECIPES.map((r) => r.name).join(', ')}`);
  process.exit(2);
}

const mode = (() => {
  try {
    return parseLabelsOption(args.labels);
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const merge = (() => {
  try {
    return parseMergeOption(args.merge);
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (args.ferplus && !mode) fail('--ferplus goes with --labels ferplus:MODE');
const defaultRecipe = mode ? (args['budget-min'] && Number(args['budget-min']) > 30 ? 'ferplus-standard' : 'ferplus-quick') : 'standard';
const recipe = findRecipe(args.recipe ?? defaultRecipe) ?? fail(`unknown recipe ${args.recipe}`);
const budgetMin = args['budget-min'] ? Number(args['budget-min']) : recipe.budgetMinutes;
const base = { ...recipeConfig(recipe, budgetMin), ...(mode ? { voteMode: mode } : {}) };
const arch = (args.arch ?? base.architecture) as ArchitectureName;
if (!ARCHITECTURES.includes(arch)) fail(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
if (args.optimizer && !OPTIMIZERS.includes(args.optimizer as OptimizerName)) fail(`--optimizer must be one of ${OPTIMIZERS.join(', ')}`);
const config: TrainConfig = {
  ...base,
  architecture: arch,
  learningRate: args.lr ? Number(args.lr) : base.learningRate,
  optimizer: (args.optimizer as OptimizerName) ?? base.optimizer,
  weightDecay: args.wd ? Number(args.wd) : base.weightDecay,
  labelSmoothing: args.smoothing ? Number(args.smoothing) : base.labelSmoothing,
  batchSize: args.batch ? Number(args.batch) : base.batchSize,
};
const problems = validateTrainConfig(config);
if (problems.length > 0) fail(problems.join('; '));

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  engine: 'Node + tfjs WASM (one thread) + the app\u2019s training kernels',
  loadAtStart: loadavg()[0],
};

await startNodeBackend('wasm');
const labelOptions = { ...(mode ? { ferplus: args.ferplus ?? `${ferPlusDataDir()}/${FERPLUS_CSV}` } : {}), ...(merge ? { merge } : {}) };
const dataset = await loadDatasetFile(args.csv ?? `${ferDataDir()}/${FULL_CSV_GZ}`, args.limit ? Number(args.limit) : Infinity, labelOptions).catch((error: Error) =>
  fail(error.message),
);
if (!dataset.hasUsage) fail(`${dataset.name} has no Usage column: bench:accuracy needs FER2013's Training / PublicTest / PrivateTest split`);
// Training rows (with votes: the mode's kept faces and its targets); validation and test on buffers.labels
// (with votes: the majority label, so both are majority-filtered).
const usage = { strategy: 'usage', seed: 42 } as const;
const rows = trainingRows(dataset, usage, false, config.voteMode);
const split = { ...rows, test: splitDataset(dataset.buffers, usage).test };
const stats = rows.stats;
const data = { buffers: dataset.buffers, train: rows.train, validation: rows.validation, stats, ...(rows.soft ? { soft: rows.soft } : {}) };
const labelNames = dataset.buffers.labelSet.names;
console.log(
  `bench:accuracy ${recipe.name} (${arch}, ${config.optimizer} lr ${config.learningRate}, wd ${config.weightDecay}, smoothing ${config.labelSmoothing}) ` +
    `for ${budgetMin} min on ${split.train.length} Training / ${split.validation.length} PublicTest / ${split.test.length} PrivateTest rows; ${machine.cpu}, ${machine.cores} cores` +
    (mode || merge ? `\nlabels: ${labelNames.join(', ')}${mode ? ` · FER+ ${mode} targets, validation and test majority-filtered` : ''}${dataset.buffers.mapping ? ` · ${dataset.buffers.mapping.title}` : ''}` : ''),
);

interface CurvePoint {
  minutes: number;
  epoch: number;
  publicTestAcc: number;
  publicTestLoss: number;
  trainLoss: number;
  trainAcc: number;
  learningRate: number;
  imgPerSec: number;
  partial: boolean;
}
const curve: CurvePoint[] = [];
const report: Record<string, unknown> = {
  recipe: recipe.name,
  budgetMin,
  architecture: arch,
  ...(mode || merge ? { labels: labelNames, mode, ...(dataset.buffers.mapping ? { mapping: dataset.buffers.mapping } : {}) } : {}),
  config,
  machine,
  date: new Date().toISOString(),
  curve,
  finished: false,
};
const save = () => args.out && writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);

const started = performance.now();
const result = await runTraining(data, config, {
  onEpoch: (m: EpochMetrics) => {
    curve.push({
      minutes: (m.trainingMs ?? 0) / 60_000,
      epoch: m.epoch,
      publicTestAcc: m.valAccuracy,
      publicTestLoss: m.valLoss,
      trainLoss: m.loss,
      trainAcc: m.accuracy,
      learningRate: m.learningRate,
      imgPerSec: m.imagesPerSecond,
      partial: m.partial ?? false,
    });
    console.log(
      `${((m.trainingMs ?? 0) / 60_000).toFixed(1)} min · epoch ${m.epoch}${m.partial ? ' (part, budget spent)' : ''}: train loss ${m.loss.toFixed(4)} acc ${(m.accuracy * 100).toFixed(2)}% · ` +
        `PublicTest ${(m.valAccuracy * 100).toFixed(2)}% (loss ${m.valLoss.toFixed(4)}) · lr ${m.learningRate.toExponential(2)} · ${m.imagesPerSecond.toFixed(1)} img/s · tensors ${tf.memory().numTensors}`,
    );
    save();
  },
});
const trainingMs = result.state.trainingMs;
if (!result.bestWeights) fail('no epoch finished within the budget');

// The kept model (best PublicTest epoch) on PrivateTest: plain, mirror TTA, ten-crop TTA.
const model = buildModel(arch, classCountOf(data));
decodeModelWeights(model, result.bestWeights);
const testRows = split.test;
const pixels = new Uint8Array(testRows.length * PIXELS);
const labels = new Uint8Array(testRows.length);
testRows.forEach((row, i) => {
  pixels.set(dataset.buffers.pixels.subarray(row * PIXELS, (row + 1) * PIXELS), i * PIXELS);
  labels[i] = dataset.buffers.labels[row];
});
const evalStarted = performance.now();
const predictions = await predictFaces(model, { pixels, labels }, { mean: stats.mean, std: stats.std, flip: true, tenCrop: true });
const evalMs = performance.now() - evalStarted;
const accuracyOf = (probs: Float32Array) => matrixAccuracy(confusionMatrix(labels, argMaxRows(probs, predictions.classes), predictions.classes));
const plainMatrix = confusionMatrix(labels, argMaxRows(predictions.probs, predictions.classes), predictions.classes);
const plainReport = classificationReport(plainMatrix);
// Negative / neutral / positive read off the class matrix (a Fear face called Sad is a negative hit), when the classes carry valence.
const valence = dataset.buffers.labelSet.names.length > 3 ? valenceMatrix(plainMatrix, dataset.buffers.labelSet.valence) : null;
const imagesTrained = result.state.steps * config.batchSize;

Object.assign(report, {
  finished: true,
  stopReason: result.reason,
  epochs: result.state.epoch,
  bestEpoch: result.state.bestEpoch,
  steps: result.state.steps,
  trainingMin: trainingMs / 60_000,
  wallMin: (performance.now() - started) / 60_000,
  imgPerSec: (imagesTrained * 1000) / trainingMs,
  publicTestAcc: result.state.bestValAccuracy,
  privateTestAcc: plainReport.accuracy,
  privateTestAccTta2: accuracyOf(averageProbabilities(predictions.probs, predictions.flippedProbs!)),
  privateTestAccTta10: accuracyOf(predictions.tenCropProbs!),
  privateTestMacroF1: plainReport.macro.f1,
  privateTestRows: testRows.length,
  privateTestConfusion: plainMatrix,
  ...(valence ? { privateTestValenceAcc: matrixAccuracy(valence), privateTestValenceConfusion: valence } : {}),
  ...(mode || merge ? { testAcc: plainReport.accuracy } : {}),
  evaluationSec: evalMs / 1000,
  tensorsAfter: tf.memory().numTensors,
});
if (mode || merge) Object.assign(report, { testAccTta2: report.privateTestAccTta2, testAccTta10: report.privateTestAccTta10 });
(report.machine as typeof machine & { loadAtEnd: number }).loadAtEnd = loadavg()[0];
if (args.save) {
  const dir = await writeModelFolder(args.save, model, { config, stats, dataset, result, durationMs: trainingMs, nameSuffix: `(${recipe.name}, ${budgetMin} min)` });
  report.savedTo = dir;
}
model.dispose();
save();
const pct = (value: unknown) => `${((value as number) * 100).toFixed(2)} %`;
console.log(
  `\n${recipe.name} · ${arch} · budget ${budgetMin} min (trained ${formatMs(trainingMs)}, ${result.state.epoch} epochs, ${(report.imgPerSec as number).toFixed(1)} img/s)\n` +
    `kept epoch ${result.state.bestEpoch}: PublicTest ${pct(report.publicTestAcc)}\n` +
    `PrivateTest${mode ? ' (majority-filtered)' : ''}: ${pct(report.privateTestAcc)} plain · ${pct(report.privateTestAccTta2)} mirror TTA · ${pct(report.privateTestAccTta10)} ten-crop TTA · macro F1 ${(report.privateTestMacroF1 as number).toFixed(3)}` +
    (valence ? ` · valence ${pct(report.privateTestValenceAcc)}` : '') +
    `\n(evaluation ${formatMs(evalMs)}${args.out ? `; JSON in ${args.out}` : ''})`,
);
