import { describe, expect, it } from 'vitest';
import { describeDataset } from '../../core/dataset/loaded-dataset';
import { generateDemoBuffers } from '../../core/demo/synthetic-faces';
import type { ModelEvaluation } from '../../core/evaluation/types';
import { testMetadata } from '../../core/testing/tiny-model';
import { buildEvaluationData, evaluationRows } from './evaluation-rows';
import { initialEvaluationRunState, reduceEvaluationRun, type EvaluationRunState } from './evaluation-run-state';

const buffers = generateDemoBuffers({ training: 14, publicTest: 7, privateTest: 7, seed: 3 });
const dataset = describeDataset(buffers, { name: 'demo', synthetic: true, bytes: 0, hasUsage: true, skipped: { count: 0, first: [] }, loadMs: 0, parseMs: 0 });

describe('evaluation rows', () => {
  it('PrivateTest by default and PublicTest on demand under the Usage split; copies of exactly those faces', () => {
    const meta = testMetadata('m', 1, { dataset: { ...testMetadata('m', 1).dataset, fingerprint: 'other' } });
    const test = evaluationRows(dataset, meta, { strategy: 'usage', seed: 42 }, 'test');
    expect(test.rows.length).toBe(7);
    expect(test.splitLabel).toBe('PrivateTest (Usage split)');
    expect(test.sameDataset).toBe(false);
    expect(Array.from(test.rows).every((row) => buffers.usage[row] === 2)).toBe(true);
    expect(evaluationRows(dataset, meta, { strategy: 'usage', seed: 42 }, 'validation').splitLabel).toBe('PublicTest (Usage split)');
    const data = buildEvaluationData(dataset, test, 'test');
    expect(data.pixels.length).toBe(7 * 2304);
    expect(data.pixels.buffer).not.toBe(buffers.pixels.buffer);
    expect(Array.from(data.pixels.subarray(0, 2304))).toEqual(Array.from(buffers.pixels.subarray(test.rows[0] * 2304, (test.rows[0] + 1) * 2304)));
    expect(Array.from(data.labels)).toEqual(Array.from(test.rows, (row) => buffers.labels[row]));
  });

  it('a model trained on this data set is evaluated on its own split, whatever the Data screen shows', () => {
    const meta = testMetadata('m', 1, { dataset: { ...testMetadata('m', 1).dataset, fingerprint: dataset.fingerprint, split: { strategy: 'seed', seed: 7 } } });
    const chosen = evaluationRows(dataset, meta, { strategy: 'usage', seed: 42 }, 'test');
    expect(chosen.sameDataset).toBe(true);
    expect(chosen.options).toEqual({ strategy: 'seed', seed: 7 });
    expect(chosen.splitLabel).toBe('seed split test rows (seed 7)');
  });
});

describe('evaluation run state', () => {
  const evaluation = { durationMs: 1234 } as ModelEvaluation;
  const begin = (state: EvaluationRunState) =>
    reduceEvaluationRun(state, { type: 'begin', runId: 'r', modelId: 'm', modelName: 'M', splitLabel: 'PrivateTest', dataset, rows: new Uint32Array(7) });

  it('running -> progress -> done, ignoring other runs and imports', () => {
    let state = begin(initialEvaluationRunState);
    expect(state).toMatchObject({ status: 'running', total: 7, done: 0 });
    state = reduceEvaluationRun(state, { type: 'progress', runId: 'old', done: 5, total: 9, elapsedMs: 1 });
    expect(state.done).toBe(0);
    state = reduceEvaluationRun(state, { type: 'progress', runId: 'r', done: 4, total: 7, elapsedMs: 100 });
    state = reduceEvaluationRun(state, { type: 'imported', runId: 'r', meta: testMetadata('x', 1) });
    expect(state).toMatchObject({ done: 4, elapsedMs: 100, status: 'running' });
    const outcome = { modelId: 'm', evaluation, labels: [], probs: new Float32Array(0), ttaProbs: null, tenCropProbs: null, saved: true };
    state = reduceEvaluationRun(state, { type: 'done', runId: 'r', outcome });
    expect(state).toMatchObject({ status: 'done', done: 7, elapsedMs: 1234, outcome });
    // A late event of the finished run changes nothing.
    expect(reduceEvaluationRun(state, { type: 'error', runId: 'r', message: 'x' })).toBe(state);
  });

  it('cancelled and error end the run; a new begin starts clean', () => {
    expect(reduceEvaluationRun(begin(initialEvaluationRunState), { type: 'cancelled', runId: 'r' }).status).toBe('cancelled');
    const failed = reduceEvaluationRun(begin(initialEvaluationRunState), { type: 'error', runId: 'r', message: 'boom' });
    expect(failed).toMatchObject({ status: 'error', error: 'boom' });
    expect(begin(failed)).toMatchObject({ status: 'running', error: null, outcome: null });
  });
});
