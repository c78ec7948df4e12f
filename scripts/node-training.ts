// Node side of training from the command line (the train CLI and bench:accuracy): reading a FER2013 file or image folders,
// starting the WASM backend with our kernels, and writing the model folder the Models screen imports.
import { mkdirSync, openAsBlob, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { isZip } from '../src/core/archive/zip';
import { zipHoldsCsv } from '../src/core/csv/csv-source';
import type { ParsedFerCsv } from '../src/core/csv/fer-csv-builder';
import { parseFerBlob } from '../src/core/csv/parse-fer-blob';
import { enableRelaxedSimdInNode } from './node-wasm-features';
import { filesImageSource, zipImageSource, type ImageFileSource } from '../src/core/images/image-sources';
import { loadImageFolders, type ImageFolderOrigin } from '../src/core/images/load-image-folders';
import { describeDataset, type LoadedDataset } from '../src/core/dataset/loaded-dataset';
import type { PixelStats } from '../src/core/dataset/types';
import { modelCost } from '../src/core/model/architectures';
import { trainedModelMetadata } from '../src/core/model/model-metadata';
import { modelPackageFiles } from '../src/core/model/model-package';
import type { TrainConfig } from '../src/core/model/train-config';
import type { TrainingResult } from '../src/core/model/training-loop';
import { setWasmPathsForNode } from '../src/core/model/wasm/node-wasm-paths';
import { registerWasmTrainingKernels } from '../src/core/model/wasm/register';
import { decodeImageInNode } from './node-image-decode';
import { modelArtifacts } from '../src/core/model/weights-codec';

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
async function parseDataPath(path: string): Promise<ParsedFerCsv & { images?: ImageFolderOrigin }> {
  const onImages = async (source: ImageFileSource) => {
    const { origin, ...parsed } = await loadImageFolders(source, decodeImageInNode);
    console.log(`image folders: ${origin.files} files, ${origin.resized} resized; splits: ${origin.splitDescription}`);
    return { ...parsed, images: origin };
  };
  if (statSync(path).isDirectory()) return onImages(filesImageSource(await folderFiles(path)));
  const blob = await openAsBlob(path);
  if (isZip(new Uint8Array(await blob.slice(0, 4).arrayBuffer())) && !(await zipHoldsCsv(blob))) return onImages(await zipImageSource(blob));
  return parseFerBlob(blob);
}

/**
 * Reads a data set as the app does: a FER2013-format file (CSV, or packed: .csv.gz, .tar.gz, .zip) or image
 * folders (a folder, or a ZIP of them; JPEG and PNG here), keeping at most `limit` rows.
 */
export async function loadDatasetFile(file: string, limit = Infinity): Promise<LoadedDataset> {
  const started = performance.now();
  const path = resolve(file);
  const { images, ...parsed } = await parseDataPath(path);
  const rows = Math.min(parsed.rows, limit);
  const buffers = {
    rows,
    pixels: parsed.pixels.subarray(0, rows * 2304),
    labels: parsed.labels.subarray(0, rows),
    usage: parsed.usage.subarray(0, rows),
    labelSet: parsed.labelSet,
  };
  const parseMs = performance.now() - started;
  if (parsed.skipped.count > 0) console.warn(`${parsed.skipped.count} rows skipped, e.g. ${parsed.skipped.first.slice(0, 3).join('; ')}`);
  console.log(`read ${rows} rows from ${path} in ${formatMs(parseMs)}`);
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
