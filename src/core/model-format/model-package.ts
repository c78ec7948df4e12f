// Pure export/import packing of a saved model: model.json + model.weights.bin (standard TensorFlow.js layers
// format) + metadata.json, loose or in one .zip. Runs on the page, in workers and in Node; no DOM.
import type * as tf from '@tensorflow/tfjs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { isZip } from '../archive/zip';
import { labelSetProblems } from '../labels/label-set';
import { ModelFileError, validateModelMetadata } from './metadata-validation';
import { isInputShape, outputsMatchLabels, shapeText } from './model-contract';
import type { ModelMetadata } from './model-metadata';
import { checkTopology } from './model-topology';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'model.weights.bin';
export const METADATA_JSON = 'metadata.json';

/** The most a model .zip may unpack to: the largest net here (seed) is 24 MB of weights. */
export const MAX_UNZIPPED_MODEL_BYTES = 256 * 2 ** 20;

class ZipTooLargeError extends Error {
  readonly entry: string;
  readonly total: number;
  constructor(entry: string, total: number) {
    super(`${entry} takes the archive past its size limit`);
    this.entry = entry;
    this.total = total;
  }
}

/** A file by name and contents (a dropped File's bytes, a zip entry, a file to download). */
export interface PackageFile {
  name: string;
  bytes: Uint8Array;
}

export interface ModelPackage {
  meta: ModelMetadata;
  /** Topology, weight specs and one ArrayBuffer of weights, as tf.io.fromMemory takes them. */
  artifacts: tf.io.ModelArtifacts;
  /** Names of the files the package was read from (zip entries as "archive.zip/model.json"). */
  files: string[];
}

/** Bytes per stored value of a weight entry (quantised weights are smaller than their dtype). */
function bytesPerValue(spec: tf.io.WeightsManifestEntry): number {
  if (spec.quantization) return spec.quantization.dtype === 'uint8' ? 1 : 2;
  return spec.dtype === 'bool' ? 1 : 4;
}

const valueCount = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * model.json as tf.io.browserDownloads ('downloads://model') writes it: the layers topology and a weights
 * manifest pointing at ./model.weights.bin. Loads with plain tf.loadLayersModel(url).
 */
export function modelJson(artifacts: tf.io.ModelArtifacts, weightsFile = WEIGHTS_BIN): tf.io.ModelJSON {
  if (!artifacts.modelTopology || !artifacts.weightSpecs) throw new Error('model artifacts are incomplete (no topology or weight specs)');
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs }],
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  return json;
}

function weightBytes(artifacts: tf.io.ModelArtifacts): Uint8Array {
  const data = artifacts.weightData;
  if (!data) throw new Error('model artifacts have no weight data');
  if (Array.isArray(data)) {
    const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
    let offset = 0;
    for (const part of data) {
      out.set(new Uint8Array(part), offset);
      offset += part.byteLength;
    }
    return out;
  }
  return new Uint8Array(data);
}

/** The three files of an export: model.json, model.weights.bin and metadata.json (pretty-printed). */
export function modelPackageFiles(meta: ModelMetadata, artifacts: tf.io.ModelArtifacts): PackageFile[] {
  return [
    { name: MODEL_JSON, bytes: strToU8(JSON.stringify(modelJson(artifacts))) },
    { name: WEIGHTS_BIN, bytes: weightBytes(artifacts) },
    { name: METADATA_JSON, bytes: strToU8(JSON.stringify(meta, null, 1)) },
  ];
}

/** One .zip holding the files; weights are stored (float bytes barely deflate), JSON is deflated. */
export function zipPackage(files: PackageFile[]): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const file of files) entries[file.name] = [file.bytes, { level: file.name.endsWith('.json') ? 6 : 0 }];
  return zipSync(entries);
}

/** A short file-name-safe name for downloads: "compact · demo · 41.2 % val" -> "compact-demo-41-2-val". */
export function packageBaseName(meta: Pick<ModelMetadata, 'name' | 'id'>): string {
  const slug = meta.name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()
    .slice(0, 60);
  return slug || meta.id;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Zip entries as files (folders and macOS resource forks dropped), named "archive.zip/entry". */
function unzipFiles(zip: PackageFile): PackageFile[] {
  let entries: Record<string, Uint8Array>;
  let unpacked = 0;
  try {
    // Sizes are checked as the archive declares them, before each entry is inflated; fflate then inflates
    // into a buffer of exactly that size, so an entry that lies about its size cannot grow past it.
    entries = unzipSync(zip.bytes, {
      filter: (entry) => {
        unpacked += entry.originalSize;
        if (unpacked > MAX_UNZIPPED_MODEL_BYTES) throw new ZipTooLargeError(entry.name, unpacked);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof ZipTooLargeError) {
      throw new ModelFileError(
        `${zip.name}: unpacks to more than ${(MAX_UNZIPPED_MODEL_BYTES / 2 ** 20).toFixed(0)} MB (${(error.total / 2 ** 20).toFixed(0)} MB by ${error.entry}); no model of this app is that large, so it was not unpacked`,
      );
    }
    throw new ModelFileError(`${zip.name}: not a readable ZIP archive (${error instanceof Error ? error.message : String(error)}); it may be truncated`);
  }
  const files = Object.entries(entries)
    .filter(([path]) => !path.endsWith('/') && !path.startsWith('__MACOSX/') && !baseName(path).startsWith('._'))
    .map(([path, bytes]) => ({ name: `${zip.name}/${path}`, bytes }));
  if (files.length === 0) throw new ModelFileError(`${zip.name}: the ZIP archive is empty`);
  return files;
}

/** First non-blank byte is "{" or "[" (JSON), after an optional UTF-8 byte-order mark. */
function looksLikeJson(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x7b || bytes[i] === 0x5b;
}

function parseJson(file: PackageFile): unknown {
  try {
    return JSON.parse(strFromU8(file.bytes).replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelFileError(`${file.name}: not valid JSON (${reason})${file.bytes.length > 0 ? '; the file may be truncated' : ' — it is empty'}`);
  }
}

interface Sorted {
  model: { file: PackageFile; json: Record<string, unknown> } | null;
  meta: { file: PackageFile; json: unknown } | null;
  weights: PackageFile[];
}

/** Tells the files apart by content, not name: browsers rename repeated downloads ("model (1).json"). */
function sortFiles(files: PackageFile[]): Sorted {
  const sorted: Sorted = { model: null, meta: null, weights: [] };
  for (const file of files) {
    const lower = file.name.toLowerCase();
    if (lower.endsWith('.json') || (!lower.endsWith('.bin') && looksLikeJson(file.bytes))) {
      const json = parseJson(file);
      const object = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : null;
      if (object && 'modelTopology' in object) {
        if (sorted.model) throw new ModelFileError(`two model.json files (${sorted.model.file.name} and ${file.name}): drop the files of one model`);
        sorted.model = { file, json: object };
      } else if (object && 'format' in object && typeof object.format === 'string' && !('weightsManifest' in object)) {
        if (sorted.meta) throw new ModelFileError(`two metadata files (${sorted.meta.file.name} and ${file.name}): drop the files of one model`);
        sorted.meta = { file, json };
      } else {
        throw new ModelFileError(`${file.name}: neither a TensorFlow.js model.json (it has no "modelTopology") nor this app's metadata.json`);
      }
    } else if (lower.endsWith('.bin')) {
      sorted.weights.push(file);
    } else if (isZip(file.bytes)) {
      throw new ModelFileError(`${file.name}: a ZIP archive among other files; drop the .zip on its own, or its three files`);
    } else {
      throw new ModelFileError(`${file.name}: not part of a model export (expected ${MODEL_JSON}, ${WEIGHTS_BIN} and ${METADATA_JSON}, or one .zip of them)`);
    }
  }
  return sorted;
}

/** The weights manifest's groups and entries, checked for the fields loading relies on. */
function readManifest(model: { file: PackageFile; json: Record<string, unknown> }): tf.io.WeightsManifestConfig {
  const { file, json } = model;
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new ModelFileError(`${file.name}: a "${String(json.format)}" model; only TensorFlow.js layers models (format "layers-model") can be imported`);
  }
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null) throw new ModelFileError(`${file.name}: "modelTopology" is not an object`);
  const manifest = json.weightsManifest;
  const ok =
    Array.isArray(manifest) &&
    manifest.length > 0 &&
    manifest.every(
      (group) =>
        typeof group === 'object' &&
        group !== null &&
        Array.isArray(group.paths) &&
        group.paths.every((p: unknown) => typeof p === 'string') &&
        Array.isArray(group.weights) &&
        group.weights.every(
          (w: unknown) =>
            typeof w === 'object' &&
            w !== null &&
            typeof (w as tf.io.WeightsManifestEntry).name === 'string' &&
            Array.isArray((w as tf.io.WeightsManifestEntry).shape) &&
            (w as tf.io.WeightsManifestEntry).shape.every((d) => Number.isInteger(d) && d >= 0) &&
            ['float32', 'int32', 'bool'].includes((w as tf.io.WeightsManifestEntry).dtype),
        ),
    );
  if (!ok) throw new ModelFileError(`${file.name}: "weightsManifest" is missing or malformed (expected groups of { paths, weights: [{ name, shape, dtype }] })`);
  return manifest as tf.io.WeightsManifestConfig;
}

/** The weights bytes in manifest order: one .bin whatever its name, or several matched by file name. */
function joinWeights(manifest: tf.io.WeightsManifestConfig, weights: PackageFile[], modelFile: string): { bytes: Uint8Array; names: string[] } {
  const paths = manifest.flatMap((group) => group.paths);
  let ordered: PackageFile[];
  if (weights.length === 1 && paths.length === 1) ordered = weights;
  else {
    if (weights.length !== paths.length) {
      throw new ModelFileError(`${modelFile} lists ${paths.length} weight file(s) (${paths.map(baseName).join(', ')}) but ${weights.length} .bin file(s) were given`);
    }
    ordered = paths.map((path) => {
      const found = weights.find((w) => baseName(w.name) === baseName(path));
      if (!found) throw new ModelFileError(`missing the weight file ${baseName(path)} that ${modelFile} lists`);
      return found;
    });
  }
  const bytes = new Uint8Array(ordered.reduce((n, f) => n + f.bytes.length, 0));
  let offset = 0;
  for (const file of ordered) {
    bytes.set(file.bytes, offset);
    offset += file.bytes.length;
  }
  return { bytes, names: ordered.map((f) => f.name) };
}

/** [48, 48, 1] from the first layer that declares its batch input shape (Sequential or functional). */
function topologyInputShape(topology: unknown): number[] | null {
  let found: number[] | null = null;
  const visit = (node: unknown) => {
    if (found || typeof node !== 'object' || node === null) return;
    const shape = (node as { batch_input_shape?: unknown }).batch_input_shape;
    if (Array.isArray(shape)) {
      found = shape.slice(1) as number[];
      return;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(topology);
  return found;
}

/**
 * The number of outputs of a layers model's topology: the `units` or `filters` of its last layer that has
 * either (a classifier's output Dense, or Mini-Xception's last conv before pooling and softmax), or null.
 */
function topologyOutputUnits(topology: unknown): number | null {
  const config = (topology as { config?: unknown } | null)?.config;
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown } | undefined)?.layers;
  if (!Array.isArray(layers)) return null;
  for (let i = layers.length - 1; i >= 0; i--) {
    const layerConfig = (layers[i] as { config?: { units?: unknown; filters?: unknown } } | null)?.config;
    const units = layerConfig?.units ?? layerConfig?.filters;
    if (typeof units === 'number') return units;
  }
  return null;
}

/**
 * The first non-finite value (NaN or ±Infinity) of the float32 weights, by tensor name and index, or null.
 * Such a weight passes every shape check, then gives NaN on some backends and plausible nonsense on others.
 */
function firstNonFiniteWeight(specs: tf.io.WeightsManifestEntry[], bytes: Uint8Array): { name: string; index: number; value: number } | null {
  let offset = 0;
  for (const spec of specs) {
    const count = valueCount(spec.shape);
    const size = count * bytesPerValue(spec);
    if (!spec.quantization && spec.dtype === 'float32') {
      const view = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
      for (let i = 0; i < count; i++) {
        const value = view.getFloat32(i * 4, true);
        if (!Number.isFinite(value)) return { name: spec.name, index: i, value };
      }
    }
    offset += size;
  }
  return null;
}

/**
 * A model's labels must be a usable label set: 2 to 20 distinct names, in output order. Which set a face is
 * scored against is decided where a model meets a data set (Evaluate), not here.
 */
function checkLabels(labels: string[], file: string): void {
  const problems = labelSetProblems({ names: labels });
  if (problems.length > 0) throw new ModelFileError(`${file}: its labels (${labels.join(', ')}) are not a usable set of classes: ${problems.join('; ')}`);
}

/**
 * Reads dropped files back into a model: three loose files, or one .zip holding them. Checks that each file
 * is what it claims, that the layers stay within the caps and hold the parameters the manifest declares
 * (model-topology.ts), that the weights are complete and belong to this model.json (byte count), and that the
 * metadata describes this network (parameter count, input shape). The manifest's paths only pick dropped .bin
 * files by base name: nothing is fetched or read from them, whatever they say (a URL, "../"). Changes nothing;
 * the caller saves.
 * @throws ModelFileError naming the file and the problem.
 */
export function readModelPackage(input: PackageFile[]): ModelPackage {
  if (input.length === 0) throw new ModelFileError('no files were given');
  const files = input.length === 1 && isZip(input[0].bytes) ? unzipFiles(input[0]) : input;
  const sorted = sortFiles(files);
  if (!sorted.model) throw new ModelFileError(`missing ${MODEL_JSON} (the TensorFlow.js model: layers and weights manifest); drop all three files or the .zip`);
  if (!sorted.meta) {
    throw new ModelFileError(`missing ${METADATA_JSON} (labels and standardisation the model needs); drop it with ${MODEL_JSON} and ${WEIGHTS_BIN}`);
  }
  if (sorted.weights.length === 0) throw new ModelFileError(`missing the weights file ${WEIGHTS_BIN} that goes with ${sorted.model.file.name}`);

  const manifest = readManifest(sorted.model);
  const specs = manifest.flatMap((group) => group.weights);
  // Before tfjs builds anything (it allocates every layer's weights first): caps on layers, units and parameters,
  // and the layers must hold exactly the parameters the manifest declares.
  checkTopology(sorted.model.json.modelTopology, specs, sorted.model.file.name);
  const expectedBytes = specs.reduce((n, spec) => n + valueCount(spec.shape) * bytesPerValue(spec), 0);
  const weights = joinWeights(manifest, sorted.weights, sorted.model.file.name);
  if (weights.bytes.length !== expectedBytes) {
    const what = weights.bytes.length < expectedBytes ? 'it is truncated, or belongs to a smaller model' : 'it belongs to another, larger model';
    throw new ModelFileError(
      `${weights.names.join(' + ')}: ${weights.bytes.length.toLocaleString('en-US')} bytes, but ${sorted.model.file.name} needs ${expectedBytes.toLocaleString('en-US')} (${what})`,
    );
  }

  const bad = firstNonFiniteWeight(specs, weights.bytes);
  if (bad) {
    throw new ModelFileError(`${weights.names.join(' + ')}: weight "${bad.name}" holds ${bad.value} at index ${bad.index.toLocaleString('en-US')}: a model with non-finite weights gives no usable predictions`);
  }

  const meta = validateModelMetadata(sorted.meta.json, sorted.meta.file.name);
  checkLabels(meta.labels, sorted.meta.file.name);
  const params = specs.reduce((n, spec) => n + valueCount(spec.shape), 0);
  if (params !== meta.params) {
    throw new ModelFileError(
      `${sorted.meta.file.name} describes a ${meta.architecture} network with ${meta.params.toLocaleString('en-US')} parameters, but ${sorted.model.file.name} holds ${params.toLocaleString('en-US')}: the files come from different models`,
    );
  }
  const inputShape = topologyInputShape(sorted.model.json.modelTopology);
  // The metadata's inputShape is INPUT_SHAPE (validated above), so the topology must take it too.
  if (inputShape && !isInputShape(inputShape)) {
    throw new ModelFileError(`${sorted.model.file.name} takes input ${shapeText(inputShape)} but ${sorted.meta.file.name} says ${shapeText(meta.inputShape)}`);
  }
  const outputs = topologyOutputUnits(sorted.model.json.modelTopology);
  if (outputs !== null && !outputsMatchLabels(outputs, meta.labels.length)) {
    throw new ModelFileError(
      `${sorted.meta.file.name} names ${meta.labels.length} classes (${meta.labels.join(', ')}), but the model in ${sorted.model.file.name} outputs ${outputs}: the files do not belong together`,
    );
  }
  const json = sorted.model.json as unknown as tf.io.ModelJSON;
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    format: json.format ?? 'layers-model',
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    weightSpecs: specs,
    weightData: weights.bytes.buffer as ArrayBuffer,
  };
  if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
  if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
  return { meta: { ...meta, weightBytes: weights.bytes.length }, artifacts, files: [sorted.model.file.name, ...weights.names, sorted.meta.file.name] };
}
