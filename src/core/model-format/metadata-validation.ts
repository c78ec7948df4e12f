// Pure validation of a model's metadata as read back from a file (import): every field the app relies on. No DOM.
import { EVALUATION_SPLITS } from '../evaluation/types';
import { ARCHITECTURES } from '../nets/architectures';
import { INPUT_SHAPE, isInputShape, shapeText, STANDARDIZATION_LENGTH } from './model-contract';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type ModelMetadata } from './model-metadata';
import { labelSetProblems, MAX_CLASSES, MIN_CLASSES } from '../labels/label-set';

/** A model file that cannot be used; the message names the file and the problem. Nothing was changed. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** At most this many problems are spelled out in one message (the first is usually the cause). */
const MAX_PROBLEMS = 3;

type Json = unknown;

const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInt = (value: Json, min = 0) => typeof value === 'number' && Number.isInteger(value) && value >= min;
const isFiniteNumber = (value: Json) => typeof value === 'number' && Number.isFinite(value);
const isText = (value: Json) => typeof value === 'string' && value.length > 0;

/** What a value is, for messages: "a string", "7 items", "null". */
function describe(value: Json): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : `"${value}"`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

class Checker {
  readonly problems: string[] = [];
  need(ok: boolean, path: string, expected: string, value: Json): boolean {
    if (!ok) this.problems.push(`"${path}" must be ${expected} (found ${describe(value)})`);
    return ok;
  }
}

function checkMatrix(c: Checker, path: string, value: Json, size: number, total: number | null): void {
  const square = Array.isArray(value) && value.length === size && value.every((row) => Array.isArray(row) && row.length === size && row.every((n) => isInt(n)));
  if (!c.need(square, path, `a ${size}×${size} matrix of counts`, value)) return;
  const sum = (value as number[][]).reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (total !== null) c.need(sum === total, path, `counts summing to ${total} rows`, `a sum of ${sum}`);
}

function checkEvaluation(c: Checker, value: Json, labels: number): void {
  if (value === undefined) return;
  if (!c.need(isObject(value), 'evaluation', 'an object', value)) return;
  for (const [key, entry] of Object.entries(value as Record<string, Json>)) {
    const path = `evaluation.${key}`;
    if (!c.need((EVALUATION_SPLITS as readonly string[]).includes(key), 'evaluation', `keyed by ${EVALUATION_SPLITS.join(' or ')}`, key)) continue;
    if (!c.need(isObject(entry), path, 'an object', entry)) continue;
    const e = entry as Record<string, Json>;
    c.need(e.split === key, `${path}.split`, `"${key}"`, e.split);
    c.need(typeof e.splitLabel === 'string', `${path}.splitLabel`, 'a string', e.splitLabel);
    c.need(isObject(e.dataset) && typeof e.dataset.name === 'string' && typeof e.dataset.fingerprint === 'string', `${path}.dataset`, 'a { name, fingerprint } object', e.dataset);
    const rows = isInt(e.rows) ? (e.rows as number) : null;
    c.need(rows !== null, `${path}.rows`, 'a whole number', e.rows);
    c.need(isFiniteNumber(e.accuracy) && (e.accuracy as number) >= 0 && (e.accuracy as number) <= 1, `${path}.accuracy`, 'a fraction 0–1', e.accuracy);
    checkMatrix(c, `${path}.confusion`, e.confusion, labels, rows);
    if (e.tenCrop !== undefined && e.tenCrop !== null && c.need(isObject(e.tenCrop), `${path}.tenCrop`, 'absent, null or an object', e.tenCrop)) {
      const tenCrop = e.tenCrop as Record<string, Json>;
      c.need(isFiniteNumber(tenCrop.accuracy), `${path}.tenCrop.accuracy`, 'a number', tenCrop.accuracy);
      checkMatrix(c, `${path}.tenCrop.confusion`, tenCrop.confusion, labels, rows);
    }
    if (e.tta !== null && c.need(isObject(e.tta), `${path}.tta`, 'null or an object', e.tta)) {
      const tta = e.tta as Record<string, Json>;
      c.need(isFiniteNumber(tta.accuracy), `${path}.tta.accuracy`, 'a number', tta.accuracy);
      checkMatrix(c, `${path}.tta.confusion`, tta.confusion, labels, rows);
    }
    c.need(typeof e.evaluatedAt === 'string', `${path}.evaluatedAt`, 'a date string', e.evaluatedAt);
    c.need(isFiniteNumber(e.durationMs), `${path}.durationMs`, 'a number', e.durationMs);
    c.need(typeof e.backend === 'string', `${path}.backend`, 'a string', e.backend);
  }
}

function checkTraining(c: Checker, value: Json): void {
  if (value === null) return;
  if (!c.need(isObject(value), 'training', 'null or an object', value)) return;
  const t = value as Record<string, Json>;
  c.need(isObject(t.config), 'training.config', 'an object', t.config);
  c.need(Array.isArray(t.history) && t.history.every((m) => isObject(m) && isInt(m.epoch, 1)), 'training.history', 'a list of epoch metrics', t.history);
  c.need(isInt(t.epochsRun), 'training.epochsRun', 'a whole number', t.epochsRun);
  c.need(isInt(t.bestEpoch), 'training.bestEpoch', 'a whole number', t.bestEpoch);
  c.need(isFiniteNumber(t.bestValAccuracy), 'training.bestValAccuracy', 'a number', t.bestValAccuracy);
  c.need(['completed', 'early-stopping', 'stopped'].includes(t.stopReason as string), 'training.stopReason', '"completed", "early-stopping" or "stopped"', t.stopReason);
  c.need(typeof t.backend === 'string', 'training.backend', 'a string', t.backend);
  c.need(isFiniteNumber(t.durationMs), 'training.durationMs', 'a number', t.durationMs);
  c.need(t.trainingMs === undefined || isFiniteNumber(t.trainingMs), 'training.trainingMs', 'a number', t.trainingMs);
}

/**
 * Checks parsed metadata.json content field by field and returns it typed.
 * @param file the file name, for messages.
 * @throws ModelFileError naming the file and (up to three of) its problems.
 */
export function validateModelMetadata(value: Json, file = 'metadata.json'): ModelMetadata {
  const c = new Checker();
  if (!isObject(value)) throw new ModelFileError(`${file}: expected a JSON object of model metadata, found ${describe(value)}`);
  const m = value;
  if (m.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${file}: not this app's model metadata ("format" is ${describe(m.format)}, expected "${MODEL_FORMAT}")`);
  }
  if (isInt(m.formatVersion, 1) && (m.formatVersion as number) > MODEL_FORMAT_VERSION) {
    throw new ModelFileError(`${file}: written by a newer version of the app (format ${m.formatVersion}); this one reads format ${MODEL_FORMAT_VERSION}`);
  }
  c.need(isInt(m.formatVersion, 1), 'formatVersion', `a version from 1 to ${MODEL_FORMAT_VERSION}`, m.formatVersion);
  c.need(isText(m.id), 'id', 'a non-empty string', m.id);
  c.need(isText(m.name), 'name', 'a non-empty string', m.name);
  c.need(typeof m.createdAt === 'string' && !Number.isNaN(Date.parse(m.createdAt)), 'createdAt', 'an ISO date', m.createdAt);
  c.need((ARCHITECTURES as readonly Json[]).includes(m.architecture), 'architecture', `one of ${ARCHITECTURES.join(', ')}`, m.architecture);
  c.need(isInt(m.params, 1), 'params', 'a positive whole number', m.params);
  c.need(isFiniteNumber(m.flopsPerImage) && (m.flopsPerImage as number) >= 0, 'flopsPerImage', 'a number ≥ 0', m.flopsPerImage);
  const labelProblems = labelSetProblems({ names: m.labels, ...(isObject(m.labelStyle) ? m.labelStyle : {}) });
  const labelsOk = c.need(
    labelProblems.length === 0,
    'labels',
    `a list of ${MIN_CLASSES} to ${MAX_CLASSES} distinct class names, in output order (${labelProblems.join('; ')})`,
    m.labels,
  );
  if (m.labelStyle !== undefined) c.need(isObject(m.labelStyle), 'labelStyle', 'a { colors?, valence? } object', m.labelStyle);
  if (m.labelMapping !== undefined) {
    const mapping = m.labelMapping;
    c.need(
      isObject(mapping) && Array.isArray(mapping.from) && Array.isArray(mapping.to) && Array.isArray(mapping.names) && mapping.to.length === mapping.from.length,
      'labelMapping',
      'a { title, from, names, to } object',
      mapping,
    );
  }
  c.need(isInputShape(m.inputShape), 'inputShape', shapeText(INPUT_SHAPE), m.inputShape);
  if (c.need(isObject(m.standardization), 'standardization', 'an object', m.standardization)) {
    const s = m.standardization as Record<string, Json>;
    const stats = (name: 'mean' | 'std', positive: boolean) =>
      c.need(
        Array.isArray(s[name]) && s[name].length === STANDARDIZATION_LENGTH && s[name].every((v) => isFiniteNumber(v) && (!positive || (v as number) > 0)),
        `standardization.${name}`,
        `${STANDARDIZATION_LENGTH} ${positive ? 'positive ' : ''}numbers (one per pixel)`,
        s[name],
      );
    stats('mean', false);
    stats('std', true);
    c.need(isInt(s.rows), 'standardization.rows', 'a whole number', s.rows);
    c.need(s.scope === 'training' || s.scope === 'all', 'standardization.scope', '"training" or "all"', s.scope);
  }
  if (c.need(isObject(m.dataset), 'dataset', 'an object', m.dataset)) {
    const d = m.dataset as Record<string, Json>;
    c.need(typeof d.name === 'string', 'dataset.name', 'a string', d.name);
    c.need(typeof d.fingerprint === 'string', 'dataset.fingerprint', 'a string', d.fingerprint);
    c.need(isInt(d.rows), 'dataset.rows', 'a whole number', d.rows);
    c.need(typeof d.synthetic === 'boolean', 'dataset.synthetic', 'true or false', d.synthetic);
    c.need(
      isObject(d.split) && (d.split.strategy === 'usage' || d.split.strategy === 'seed') && isInt(d.split.seed),
      'dataset.split',
      'a { strategy: "usage" | "seed", seed } object',
      d.split,
    );
  }
  checkTraining(c, m.training);
  c.need(isInt(m.weightBytes), 'weightBytes', 'a whole number', m.weightBytes);
  if (labelsOk) checkEvaluation(c, m.evaluation, (m.labels as string[]).length);
  if (m.imported !== undefined) {
    c.need(isObject(m.imported) && Array.isArray(m.imported.files) && typeof m.imported.importedAt === 'string', 'imported', 'a { files, importedAt } object', m.imported);
  }
  if (c.problems.length > 0) {
    const more = c.problems.length > MAX_PROBLEMS ? ` (and ${c.problems.length - MAX_PROBLEMS} more)` : '';
    throw new ModelFileError(`${file}: ${c.problems.slice(0, MAX_PROBLEMS).join('; ')}${more}`);
  }
  return m as unknown as ModelMetadata;
}
