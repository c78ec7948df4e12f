import { describe, expect, it } from 'vitest';
import { PIXELS } from '../dataset/face-format';
import { FER2013_EMOTIONS } from '../labels/fer2013';
import { testMetadata } from '../testing/tiny-model';
import { ModelFileError, validateModelMetadata } from './metadata-validation';
import type { ModelMetadata } from './model-metadata';

const valid = testMetadata('m-1', 151);
const zero7 = () => FER2013_EMOTIONS.map(() => FER2013_EMOTIONS.map(() => 0));
const withConfusion = (counts: number[][]): ModelMetadata => ({
  ...valid,
  evaluation: {
    test: {
      split: 'test', splitLabel: 'PrivateTest', dataset: { name: 'd', fingerprint: 'f' }, rows: 3, accuracy: 1 / 3, confusion: counts, tta: null,
      evaluatedAt: '2026-01-01T00:00:00Z', durationMs: 5, backend: 'cpu',
    },
  },
});
const goodConfusion = zero7();
goodConfusion[0][0] = 1;
goodConfusion[1][2] = 2;

/** Each malformed case: a change to valid metadata and the message it must give. */
const cases: [string, (m: Record<string, unknown>) => unknown, RegExp][] = [
  ['not an object', () => [1, 2], /expected a JSON object of model metadata, found a list of 2/],
  ['null', () => null, /found null/],
  ['another format', (m) => ({ ...m, format: 'keras' }), /not this app's model metadata \("format" is "keras"/],
  ['a newer format version', (m) => ({ ...m, formatVersion: 9 }), /newer version of the app \(format 9\)/],
  ['missing labels', (m) => ({ ...m, labels: undefined }), /"labels" must be a list of 2 to 20 distinct class names, in output order \(it has no list of class names\) \(found missing\)/],
  ['21 classes', (m) => ({ ...m, labels: Array.from({ length: 21 }, (_, k) => `c${k}`) }), /"labels" must be a list of 2 to 20 .*it has 21 classes; 2 to 20 are supported/],
  ['labels not strings', (m) => ({ ...m, labels: [1, 2, 3] }), /"labels" must be/],
  ['duplicate labels', (m) => ({ ...m, labels: ['Happy', 'happy'] }), /"labels" must be a list of 2 to 20 distinct .*the class name "happy" occurs twice/],
  ['wrong input shape', (m) => ({ ...m, inputShape: [64, 64, 3] }), /"inputShape" must be \[48, 48, 1\] \(found a list of 3\)/],
  ['short mean', (m) => ({ ...m, standardization: { ...(m.standardization as object), mean: [1, 2] } }), /"standardization.mean" must be 2304 numbers/],
  ['zero std', (m) => ({ ...m, standardization: { ...(m.standardization as object), std: new Array(PIXELS).fill(0) } }), /"standardization.std" must be 2304 positive numbers/],
  ['NaN-like mean (null)', (m) => ({ ...m, standardization: { ...(m.standardization as object), mean: [...new Array(PIXELS - 1).fill(1), null] } }), /standardization.mean/],
  ['no standardisation', (m) => ({ ...m, standardization: 'none' }), /"standardization" must be an object \(found "none"\)/],
  ['unknown architecture', (m) => ({ ...m, architecture: 'resnet' }), /"architecture" must be one of seed, compact, mini-xception/],
  ['params not a number', (m) => ({ ...m, params: '151' }), /"params" must be a positive whole number/],
  ['bad date', (m) => ({ ...m, createdAt: 'yesterday' }), /"createdAt" must be an ISO date/],
  ['empty name', (m) => ({ ...m, name: '' }), /"name" must be a non-empty string/],
  ['dataset split', (m) => ({ ...m, dataset: { ...(m.dataset as object), split: { strategy: 'random' } } }), /"dataset.split" must be/],
  ['training not an object', (m) => ({ ...m, training: 5 }), /"training" must be null or an object/],
  ['training history', (m) => ({ ...m, training: { config: {}, history: [{}], epochsRun: 1, bestEpoch: 1, bestValAccuracy: 0.5, stopReason: 'completed', backend: 'cpu', durationMs: 1 } }), /"training.history" must be a list of epoch metrics/],
  ['training time', (m) => ({ ...m, training: { config: {}, history: [], trainingMs: 'long', epochsRun: 1, bestEpoch: 1, bestValAccuracy: 0.5, stopReason: 'completed', backend: 'cpu', durationMs: 1 } }), /"training.trainingMs" must be a number/],
  ['evaluation matrix of the wrong size', () => withConfusion([[1, 2], [0, 0]]), /"evaluation.test.confusion" must be a 7×7 matrix of counts/],
  ['evaluation matrix not summing to rows', () => withConfusion(zero7()), /"evaluation.test.confusion" must be counts summing to 3 rows \(found "a sum of 0"\)/],
  ['evaluation under an unknown split', (m) => ({ ...m, evaluation: { training: {} } }), /"evaluation" must be keyed by test or validation/],
];

describe('metadata validation', () => {
  it('accepts valid metadata, with or without an evaluation', () => {
    expect(validateModelMetadata(JSON.parse(JSON.stringify(valid)))).toEqual(valid);
    expect(validateModelMetadata(JSON.parse(JSON.stringify(withConfusion(goodConfusion)))).evaluation?.test?.rows).toBe(3);
  });

  for (const [name, change, message] of cases) {
    it(`rejects ${name}`, () => {
      const value = change(JSON.parse(JSON.stringify(valid)));
      expect(() => validateModelMetadata(value, 'm.json')).toThrow(ModelFileError);
      expect(() => validateModelMetadata(value, 'm.json')).toThrow(message);
      expect(() => validateModelMetadata(value, 'm.json')).toThrow(/^m\.json: /);
    });
  }

  it('names up to three problems and counts the rest', () => {
    const value = { ...JSON.parse(JSON.stringify(valid)), id: 1, name: 2, params: -1, labels: 'x', weightBytes: 'y' };
    expect(() => validateModelMetadata(value)).toThrow(/^metadata\.json: "id" must .*; "name" must .*; "params" must .* \(and 2 more\)$/);
  });
});
