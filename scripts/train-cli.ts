// Node: `npm run train -- --data PATH --arch compact --epochs N --backend wasm` trains with the app's own
// src/core engine (tfjs + the WASM backend, no native addon), prints progress, evaluates on the test split
// and writes a model folder (model.json + model.weights.bin + metadata.json) that the app's Models screen imports.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describeDataset, trainingRows } from '../src/core/dataset/loaded-dataset';
import { splitDataset, type SplitOptions } from '../src/core/dataset/splits';
import { DEMO_SIZES, generateDemoBuffers, type DemoSize } from '../src/core/demo/synthetic-faces';
import { ARCHITECTURES, buildModel, type ArchitectureName } from '../src/core/nets/architectures';
import { NO_AUGMENTATION } from '../src/core/training/augment';
import { findRecipe, recipeConfig, RECIPES } from '../src/core/training/recipes';
import { defaultTrainConfig, validateTrainConfig, type TrainConfig } from '../src/core/training/train-config';
import { classCountOf, evaluateRows, runTraining } from '../src/core/training/training-loop';
import { decodeModelWeights } from '../src/core/model-format/weights-codec';
import { FERPLUS_CSV, ferPlusDataDir } from './fer-data';
import { formatMs as fmt, loadDatasetFile, MERGES, memoryLine, mergeClasses, parseLabelsOption, parseMergeOption, startNodeBackend, writeModelFolder } from './node-training';
import { valenceMapping } from '../src/core/labels/mapping';
import { FERPLUS_MODES } from '../src/core/ferplus/votes';

const HELP = `npm run train -- [options]
  --data PATH           FER2013-format CSV (header emotion,pixels[,Usage]), or a .csv.gz, .tar.gz or .zip holding one;
                        or image folders: a folder or .zip of train/ and test/ (optional val/) with one folder per
                        emotion (angry, disgust, fear, happy, sad, surprise, neutral), or the emotion folders alone
                        (JPEG and PNG; Kaggle's Training_/PublicTest_/PrivateTest_ file names keep FER2013's split)
  --csv PATH            the same as --data
  --demo SIZE           or train on generated demo faces: tiny | small | large
  --labels WHICH        fer2013 (the file's labels, default) or ferplus:MODE: join FER+'s crowd votes to a FER2013
                        CSV by row and train on MODE's targets (${FERPLUS_MODES.join(' | ')});
                        validation and test are then majority-filtered
  --ferplus PATH        FER+'s fer2013new.csv (default ../shared/data/ferplus/fer2013new.csv)
  --merge NAME          merge the classes at load: ${MERGES.join(' | ')} (negative / neutral / positive)
  --own-classes         image folders that are not FER2013's emotions train as classes of your own, named as the
                        folders (2 to 20; FER+'s FER2013Train/ FER2013Valid/ FER2013Test/ folders need nothing)
  --recipe NAME         train a time-budget recipe (${RECIPES.map((r) => r.name).join(' | ')}): its net, optimizer and
                        one-cycle schedule over --budget-min minutes (default: the recipe's); --arch, --batch and
                        --lr still override it
  --budget-min M        with --recipe: minutes of training
  --arch NAME           ${ARCHITECTURES.join(' | ')} (default compact)
  --epochs N            default: the architecture's (compact 30, seed 100)
  --batch N             batch size (default 64)
  --lr X                learning rate (Adam's, default 0.001; a recipe's peak rate with --recipe)
  --backend NAME        wasm | cpu (default wasm)
  --split NAME          usage | seed (default usage; seed when the file has no Usage column)
  --seed-faithful       standardise over all rows, as the 2018 tutorial did
  --no-augment          train without flips/shifts/rotations/zooms
  --class-weights       balanced class weights
  --patience N          early-stopping patience in epochs (0 = off)
  --limit N             use only the first N rows of the file (quick experiments)
  --out DIR             model folder to write (default models-out/<arch>-<time>)`;

const { values: args } = parseArgs({
  options: {
    data: { type: 'string' },
    csv: { type: 'string' },
    demo: { type: 'string' },
    labels: { type: 'string' },
    ferplus: { type: 'string' },
    merge: { type: 'string' },
    'own-classes': { type: 'boolean', default: false },
    arch: { type: 'string' },
    recipe: { type: 'string' },
    'budget-min': { type: 'string' },
    epochs: { type: 'string' },
    batch: { type: 'string' },
    lr: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    split: { type: 'string', default: 'usage' },
    'seed-faithful': { type: 'boolean', default: false },
    'no-augment': { type: 'boolean', default: false },
    'class-weights': { type: 'boolean', default: false },
    patience: { type: 'string' },
    limit: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(`error: ${message}\n\n${HELP}`);
  process.exit(2);
}

/** The options as values, or a usage error. */
function option<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    return fail((error as Error).message);
  }
}

async function loadData() {
  const mode = option(() => parseLabelsOption(args.labels));
  const merge = option(() => parseMergeOption(args.merge));
  if (args.ferplus && !mode) fail('--ferplus goes with --labels ferplus:MODE');
  if (args.demo) {
    if (mode) fail('--labels ferplus:MODE needs a FER2013 CSV (--data), not demo faces');
    const size = args.demo as DemoSize;
    if (!(size in DEMO_SIZES)) fail(`--demo must be one of ${Object.keys(DEMO_SIZES).join(', ')}`);
    const generated = generateDemoBuffers(DEMO_SIZES[size]);
    const buffers = merge ? mergeClasses(generated, valenceMapping(generated.labelSet)!) : generated;
    return describeDataset(buffers, { name: `demo-${size}`, synthetic: true, bytes: 0, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 });
  }
  const data = args.data ?? args.csv;
  if (!data) fail('give --data PATH or --demo SIZE');
  const labels = { ...(mode ? { ferplus: args.ferplus ?? `${ferPlusDataDir()}/${FERPLUS_CSV}` } : {}), ...(merge ? { merge } : {}), ownClasses: args['own-classes'] };
  return loadDatasetFile(data, args.limit ? Number(args.limit) : Infinity, labels).catch((error: Error) => fail(error.message));
}

async function main() {
  if (args.help) {
    console.log(HELP);
    return;
  }
  const recipe = args.recipe ? (findRecipe(args.recipe) ?? fail(`--recipe must be one of ${RECIPES.map((r) => r.name).join(', ')}`)) : null;
  if (args['budget-min'] && !recipe) fail('--budget-min goes with --recipe');
  const arch = (args.arch ?? recipe?.architecture ?? 'compact') as ArchitectureName;
  if (!ARCHITECTURES.includes(arch)) fail(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
  const dataset = await loadData();
  const split: SplitOptions = { strategy: args.split === 'seed' || !dataset.hasUsage ? 'seed' : 'usage', seed: 42 };
  const defaults = recipe
    ? { ...recipeConfig(recipe, args['budget-min'] ? Number(args['budget-min']) : recipe.budgetMinutes), architecture: arch }
    : defaultTrainConfig(arch);
  const config: TrainConfig = {
    ...defaults,
    epochs: args.epochs ? Number(args.epochs) : defaults.epochs,
    batchSize: args.batch ? Number(args.batch) : defaults.batchSize,
    learningRate: args.lr ? Number(args.lr) : defaults.learningRate,
    augment: args['no-augment'] ? NO_AUGMENTATION : defaults.augment,
    classWeights: args['class-weights'] ? 'balanced' : 'off',
    earlyStoppingPatience: args.patience ? Number(args.patience) : defaults.earlyStoppingPatience,
    split,
    seedFaithful: args['seed-faithful'],
    voteMode: option(() => parseLabelsOption(args.labels)) ?? defaults.voteMode,
  };
  const problems = validateTrainConfig(config);
  if (problems.length > 0) fail(problems.join('; '));

  await startNodeBackend(args.backend!).catch((error: Error) => fail(error.message));

  // With votes: the vote mode's training rows and targets; validation and test on the majority label.
  const rows = trainingRows(dataset, split, config.seedFaithful, config.voteMode);
  const indices = { train: rows.train, validation: rows.validation, test: splitDataset(dataset.buffers, split).test };
  const stats = rows.stats;
  const data = { buffers: dataset.buffers, train: indices.train, validation: indices.validation, stats, ...(rows.soft ? { soft: rows.soft } : {}) };
  const { labelSet, votes, mapping } = dataset.buffers;
  if (votes || mapping) {
    console.log(`classes: ${labelSet.names.join(', ')}${votes ? ` · crowd votes, ${config.voteMode} targets, validation and test majority-filtered` : ''}${mapping ? ` · ${mapping.title}` : ''}`);
  }
  console.log(
    `training ${arch} on ${dataset.name}: ${indices.train.length} train / ${indices.validation.length} validation / ${indices.test.length} test rows, ` +
      `${config.budgetMinutes !== null ? `a ${config.budgetMinutes} min budget (recipe ${config.recipe})` : `${config.epochs} epochs`}, batch ${config.batchSize}, backend ${tf.getBackend()}`,
  );

  // "epoch 3/30", or "epoch 3 (of a 15 min budget)" and the minutes trained for a budgeted run.
  const epochOf = (epoch: number) => (config.budgetMinutes === null ? `${epoch}/${config.epochs}` : `${epoch}`);
  const started = performance.now();
  let lastPrint = 0;
  const result = await runTraining(data, config, {
    onBatch: (m) => {
      const now = performance.now();
      if (now - lastPrint < 2000 && m.batch !== m.batchesPerEpoch) return;
      lastPrint = now;
      const line = `epoch ${epochOf(m.epoch)} batch ${m.batch}/${m.batchesPerEpoch} loss ${m.loss.toFixed(3)} acc ${(m.accuracy * 100).toFixed(0)}% ${m.imagesPerSecond.toFixed(1)} img/s`;
      // On a terminal the line rewrites itself; in a log each update is its own line.
      if (process.stdout.isTTY) process.stdout.write(`\r${line}   `);
      else console.log(line);
    },
    onEpoch: (m) => {
      if (process.stdout.isTTY) process.stdout.write('\r');
      console.log(
        `epoch ${epochOf(m.epoch)}: loss ${m.loss.toFixed(4)} acc ${(m.accuracy * 100).toFixed(2)}% · val loss ${m.valLoss.toFixed(4)} ` +
          `val acc ${(m.valAccuracy * 100).toFixed(2)}% · lr ${m.learningRate.toExponential(1)} · ${fmt(m.elapsedMs)} (${m.imagesPerSecond.toFixed(1)} img/s) · ${memoryLine()}`,
      );
    },
  });
  const durationMs = performance.now() - started;
  if (!result.bestWeights) fail('no epoch finished, nothing to save');

  const model = buildModel(arch, classCountOf(data));
  decodeModelWeights(model, result.bestWeights);
  const test = await evaluateRows(model, data, indices.test);
  console.log(`best epoch ${result.state.bestEpoch}: validation accuracy ${(result.state.bestValAccuracy * 100).toFixed(2)}%, test accuracy ${(test.accuracy * 100).toFixed(2)}% on ${indices.test.length} rows`);

  // The same three files the app's Download button writes, so the Models screen imports them as they are.
  const stamp = new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14);
  const out = await writeModelFolder(args.out ?? join('models-out', `${arch}-${stamp}`), model, { config, stats, dataset, result, durationMs, nameSuffix: '(CLI)' });
  model.dispose();
  console.log(`trained in ${fmt(durationMs)}; wrote ${out}/{model.json,model.weights.bin,metadata.json} (import it on the Models screen)`);
}

await main();
