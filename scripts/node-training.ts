// Node side of training from the command line (the train CLI and bench:accuracy): reading a FER2013 file or image folders,
// starting the WASM backend with our kernels, and writing the model folder the Models screen imports.
import { mkdirSync, openAsBlob, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { parseFerBlob } from '../src/core/csv/parse-fer-blob';
import { enableRelaxedSimdInNode } from './node-wasm-features';
import { filesImageSource, zipImageSource, type ImageFileSource } from '../src/core/image-folders/image-sources';
import { UnknownFoldersError, type ImageFolderOrigin } from '../src/core/image-folders/load-image-folders';
import { loadImages } from '../src/core/dataset/load-images';
import { describeDataset, type LoadedDataset } from '../src/core/dataset/loaded-dataset';
import { detectDataSource } from '../src/core/dataset/sources';
import type { DatasetBuffers, ParsedDataset, PixelStats } from '../src/core/dataset/types';
import { joinFerPlusVotes, parseFerPlusCsv } from '../src/core/ferplus/label-file';
import { FERPLUS_MODES, processVotes, type FerPlusMode } from '../src/core/ferplus/votes';
import { FERPLUS_LABELS } from '../src/core/labels/ferplus';
import { labelSetText } from '../src/core/labels/label-set';
import { mappedLabelSet, mapLabels, mappingProblems, mapVotes, valenceMapping, type LabelMapping } from '../src/core/labels/mapping';
import { modelCost } from '../src/core/nets/architectures';
import { trainedModelMetadata } from '../src/core/model-format/model-metadata';
import { modelPackageFiles } from '../src/core/model-format/model-package';
import type { TrainConfig } from '../src/core/training/train-config';
import type { TrainingResult } from '../src/core/training/training-loop';
import { setWasmPathsForNode } from '../src/wasm-training/node-wasm-paths';
import { registerWasmTrainingKernels } from '../src/wasm-training/register';
import { decodeImageInNode } from './node-image-decode';
import { modelArtifacts } from '../src/core/model-format/weights-codec';

/** Durations as "12.3 s" or "4 min 5 s". */
export const formatMs = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`);

/** Every file under a folder, with its path relative to the folder's parent ('faces/train/happy/1.jpg'). */
async function folderFiles(folder: string): Promise<{ path: string; file: Blob }[]> {
  const entries = readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const base = basename(folder);
  return Promise.all(
    entries.map(async (entry) => {
      const full = join(entry.parentPath, entry.name);
      return { path: `${base}/${relative(folder, full).split(sep).join('/')}`, file: await openAsBlob(full) };
    }),
  );
}

/** A data set's file or folder as the app reads it: a CSV (plain or packed), or image folders (a folder or a ZIP). */
async function parseDataPath(path: string, ownClasses: boolean): Promise<ParsedDataset & { images?: ImageFolderOrigin }> {
  const onImages = async (source: ImageFileSource) => {
    const { origin, ...parsed } = await loadImages(source, decodeImageInNode, { ownClasses }).catch((error: unknown) => {
      // The app asks; the CLI names the option that answers.
      if (error instanceof UnknownFoldersError && error.choice.ownClassesProblem === null) throw new Error(`${error.message} (--own-classes trains on them as they are)`);
      throw error;
    });
    console.log(`image folders: ${origin.files} files, ${origin.resized} resized; splits: ${origin.splitDescription}`);
    return { ...parsed, images: origin };
  };
  if (statSync(path).isDirectory()) return onImages(filesImageSource(await folderFiles(path)));
  const blob = await openAsBlob(path);
  const kind = await detectDataSource(blob);
  if (kind === 'image-zip') return onImages(await zipImageSource(blob));
  if (kind === 'ferplus-votes') throw new Error(`${path} is FER+'s vote file (fer2013new.csv), which holds no faces: give the FER2013 CSV as the data, with --labels ferplus:MODE --ferplus ${path}`);
  return parseFerBlob(blob);
}

/** Class merges the CLI and bench:accuracy offer (`--merge NAME`). */
export const MERGES = ['valence'] as const;
export type MergeName = (typeof MERGES)[number];

/** What labels a run trains on besides the file's own: FER+ votes joined by row, and a class merge. */
export interface LabelOptions {
  /** Path of fer2013new.csv to join to a FER2013 CSV (row i votes for row i), or absent for the file's labels. */
  ferplus?: string;
  /** Merge the classes (valence: negative / neutral / positive) after loading. */
  merge?: MergeName;
  /** Image folders that are not FER2013's emotions train as the person's own classes (named as the folders). */
  ownClasses?: boolean;
}

/**
 * `--labels ferplus:MODE` -> the FER+ mode (majority, crossentropy, probability, multi-target); null for
 * `--labels fer2013` or no option. Throws a message naming the choices otherwise.
 */
export function parseLabelsOption(text: string | undefined): FerPlusMode | null {
  if (text === undefined || text === 'fer2013') return null;
  const [source, mode = 'crossentropy'] = text.split(':');
  if (source !== 'ferplus' || !(FERPLUS_MODES as readonly string[]).includes(mode)) {
    throw new Error(`--labels must be fer2013 or ferplus:MODE with MODE one of ${FERPLUS_MODES.join(', ')} (got "${text}")`);
  }
  return mode as FerPlusMode;
}

/** `--merge NAME` checked (undefined when absent). */
export function parseMergeOption(text: string | undefined): MergeName | undefined {
  if (text === undefined) return undefined;
  if (!(MERGES as readonly string[]).includes(text)) throw new Error(`--merge must be one of ${MERGES.join(', ')} (got "${text}")`);
  return text as MergeName;
}

/**
 * FER2013 rows with FER+'s votes: fer2013new.csv joined by row order (Usage checked on every row), FER+'s eight
 * classes, `labels` = the majority label (LABEL_NONE where majority voting drops the face: such rows are in no
 * validation or test split; a vote mode picks its own training rows from the votes).
 */
function withFerPlusVotes(parsed: ParsedDataset, labelsPath: string, facesName: string): DatasetBuffers {
  if (parsed.skipped.count > 0) {
    throw new Error(`${facesName}: ${parsed.skipped.count} rows were skipped, so its rows no longer line up with FER+'s votes (join by row order)`);
  }
  const file = parseFerPlusCsv(readFileSync(labelsPath, 'utf8'), basename(labelsPath));
  const joined = joinFerPlusVotes(parsed.usage, file, { labels: basename(labelsPath), faces: facesName });
  return {
    rows: parsed.rows,
    pixels: parsed.pixels,
    usage: parsed.usage,
    labels: processVotes(joined.votes, joined.rows, 'majority').majority,
    votes: joined.votes,
    labelSet: FERPLUS_LABELS,
  };
}

/**
 * Buffers with their classes merged: labels mapped (a left-out class's rows become LABEL_NONE); votes summed
 * per merged class, and then `labels` is the majority of the merged votes (as FER+'s own rule on K classes).
 */
export function mergeClasses(buffers: DatasetBuffers, mapping: LabelMapping): DatasetBuffers {
  const source = buffers.labelSet;
  const problems = mappingProblems(source, mapping);
  if (problems.length > 0) throw new Error(`cannot merge ${labelSetText(source.names)}: ${problems.join('; ')}`);
  const labelSet = mappedLabelSet(source, mapping);
  const applied = { ...mapping, from: [...source.names] };
  if (!buffers.votes) return { ...buffers, labels: mapLabels(buffers.labels, mapping), labelSet, mapping: applied };
  const votes = mapVotes(buffers.votes, source.names.length, mapping);
  const labels = processVotes(votes, buffers.rows, 'majority', mapping.names.length).majority;
  return { ...buffers, votes, labels, labelSet, mapping: applied };
}

/**
 * Reads a data set as the app does: a FER2013-format file (CSV, or packed: .csv.gz, .tar.gz, .zip) or image
 * folders (a folder, or a ZIP of them; JPEG and PNG here), keeping at most `limit` rows. With `labels.ferplus`
 * FER+'s votes are joined to the FER2013 file first; with `labels.merge` the classes are merged.
 */
export async function loadDatasetFile(file: string, limit = Infinity, labels: LabelOptions = {}): Promise<LoadedDataset> {
  const started = performance.now();
  const path = resolve(file);
  const { images, ...parsed } = await parseDataPath(path, labels.ownClasses ?? false);
  // FER+'s own folder layout brings its votes (label.csv); fer2013new.csv joins a FER2013 CSV by row.
  const joinVotes = labels.ferplus !== undefined && parsed.votes === undefined;
  if (joinVotes && images) throw new Error('FER+ votes join a FER2013 CSV by row order, not image folders (FER+\'s own FER2013Train/ … folders carry theirs)');
  let full: DatasetBuffers = joinVotes ? withFerPlusVotes(parsed, resolve(labels.ferplus!), basename(path)) : parsed;
  if (labels.merge === 'valence') {
    const mapping = valenceMapping(full.labelSet);
    if (!mapping) throw new Error(`--merge valence: the classes ${labelSetText(full.labelSet.names)} carry no valence groups`);
    full = mergeClasses(full, mapping);
  }
  const rows = Math.min(full.rows, limit);
  const columns = full.labelSet.names.length + 2;
  const buffers: DatasetBuffers = {
    rows,
    pixels: full.pixels.subarray(0, rows * 2304),
    labels: full.labels.subarray(0, rows),
    usage: full.usage.subarray(0, rows),
    labelSet: full.labelSet,
    ...(full.votes ? { votes: full.votes.subarray(0, rows * columns) } : {}),
    ...(full.mapping ? { mapping: full.mapping } : {}),
  };
  const parseMs = performance.now() - started;
  if (parsed.skipped.count > 0) console.warn(`${parsed.skipped.count} rows skipped, e.g. ${parsed.skipped.first.slice(0, 3).join('; ')}`);
  console.log(
    `read ${rows} rows from ${path}${joinVotes ? ` with FER+ votes from ${resolve(labels.ferplus!)}` : ''} in ${formatMs(parseMs)}; ` +
      `classes ${labelSetText(buffers.labelSet.names)}${buffers.mapping ? ` (${buffers.mapping.title})` : ''}`,
  );
  return describeDataset(buffers, { name: path.split('/').pop()!, synthetic: false, bytes: 0, hasUsage: parsed.hasUsage, skipped: parsed.skipped, loadMs: parseMs, parseMs, ...(images ? { images } : {}) });
}

/** Memory a long run should keep flat: WASM heap (grows, never shrinks), JS heap, tensors. For epoch lines. */
export function memoryLine(): string {
  const backend = tf.getBackend() === 'wasm' ? (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }) : null;
  const wasmMb = backend ? ` · wasm heap ${(backend.wasm.HEAPU8.length / 2 ** 20).toFixed(0)} MB` : '';
  return `tensors ${tf.memory().numTensors}${wasmMb} · JS heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`;
}

/** Starts tfjs on 'wasm' (with our training kernels) or 'cpu'; throws when it does not initialise. */
export async function startNodeBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    enableRelaxedSimdInNode();
    setWasmPathsForNode();
    registerWasmTrainingKernels();
  } else if (name !== 'cpu') throw new Error('the backend must be wasm or cpu');
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not initialise`);
  await tf.ready();
}

/**
 * Writes model.json, model.weights.bin and metadata.json (the app's export format) for a trained model.
 * @param model the kept weights, already loaded; not disposed.
 */
export async function writeModelFolder(
  out: string,
  model: tf.LayersModel,
  facts: { config: TrainConfig; stats: PixelStats; dataset: LoadedDataset; result: TrainingResult; durationMs: number; nameSuffix: string },
): Promise<string> {
  const saved = await modelArtifacts(model);
  const { dataset, result } = facts;
  const meta = trainedModelMetadata({
    id: `cli-${new Date().toISOString().replace(/[-:T.Z]/g, '').slice(0, 14)}`,
    cost: modelCost(model),
    config: facts.config,
    stats: facts.stats,
    dataset: { name: dataset.name, fingerprint: dataset.fingerprint, rows: dataset.buffers.rows, synthetic: dataset.synthetic },
    labelSet: dataset.buffers.labelSet,
    ...(dataset.buffers.mapping ? { labelMapping: dataset.buffers.mapping } : {}),
    state: result.state,
    reason: result.reason,
    backend: `node-${tf.getBackend()}`,
    durationMs: facts.durationMs,
    weightBytes: saved.weightSpecs!.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4, 0),
    nameSuffix: facts.nameSuffix,
  });
  const dir = resolve(out);
  mkdirSync(dir, { recursive: true });
  for (const file of modelPackageFiles(meta, saved)) writeFileSync(join(dir, file.name), file.bytes);
  return dir;
}
