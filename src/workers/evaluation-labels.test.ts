// Evaluation handler: a model is evaluated on a data set only when their classes agree (same order as they are,
// another order matched by name, otherwise refused naming both). Fake `post`, CPU backend, in-memory IndexedDB.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PIXELS } from '../core/dataset/face-format';
import { labelAgreement, labelsInModelOrder } from '../core/evaluation/label-agreement';
import { FER2013_EMOTIONS } from '../core/labels/fer2013';
import { labelFields } from '../core/model-format/model-metadata';
import { createRng } from '../core/random';
import { artifactsOf, testMetadata, tinyClassifier } from '../core/testing/tiny-model';
import { closeDb } from '../storage/db';
import { getModelMeta, saveModel } from '../storage/model-store';
import type { BackendInfo } from './backend-choice';
import { createEvaluationHandler } from './evaluation-handler';
import type { EvaluationData, EvaluationEvent, EvaluationOutcome } from './evaluation-protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(async () => {
  await closeDb();
  globalThis.indexedDB = new IDBFactory();
});

const cpuOnly = async (_preference: unknown, smokeTest: () => Promise<void>): Promise<BackendInfo> => {
  await smokeTest();
  return { backend: 'cpu', reason: 'test', attempts: [], device: 'test' };
};

function harness() {
  const events: EvaluationEvent[] = [];
  const handle = createEvaluationHandler((event) => events.push(event), { selectBackend: cpuOnly });
  const outcome = (runId: string): EvaluationOutcome => {
    const done = events.find((e) => e.runId === runId && e.type === 'done');
    if (done?.type !== 'done') throw new Error(`run ${runId}: ${JSON.stringify(events.filter((e) => e.runId === runId))}`);
    return done.outcome;
  };
  return { events, handle, outcome };
}

const VALENCE = ['Negative', 'Neutral', 'Positive'];

async function savedModel(id: string, names: string[]) {
  const model = tinyClassifier(4, names.length);
  await saveModel(testMetadata(id, model.countParams(), { name: `model ${id}`, ...labelFields({ names }) }), await artifactsOf(model));
  model.dispose();
}

const random = createRng(5);
function faces(rows: number, labelNames: string[]): EvaluationData {
  return {
    split: 'test',
    splitLabel: 'PrivateTest (Usage split)',
    dataset: { name: 'faces.csv', fingerprint: 'fp' },
    pixels: Uint8Array.from({ length: rows * PIXELS }, () => Math.floor(random() * 256)),
    labels: Uint8Array.from({ length: rows }, (_, i) => (i * 5) % labelNames.length),
    labelNames,
  };
}

describe('evaluation: the model’s classes and the data set’s', () => {
  it('other classes are refused, naming both sets; nothing runs and nothing is stored', async () => {
    await savedModel('m7', [...FER2013_EMOTIONS]);
    const { events, handle } = harness();
    await handle({ type: 'evaluate', runId: 'r', modelId: 'm7', data: faces(12, VALENCE), tta: false, backend: 'auto' });
    expect(events.map((e) => e.type)).toEqual(['error']);
    const error = events[0];
    expect(error.type === 'error' && error.message).toBe(
      'the model "model m7" knows Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral (7 classes) but the data set faces.csv has Negative, Neutral, Positive (3 classes). ' +
        'A model is evaluated only on faces of its own classes: load a data set with those classes, or merge this one\'s on the Data screen to match.',
    );
    expect((await getModelMeta('m7'))?.evaluation).toBeUndefined();
  });

  it('the same names in another order are matched by name: the same matrix and accuracy as labels reordered by hand, and it says so', async () => {
    await savedModel('m3', VALENCE);
    const { handle, outcome } = harness();
    // The data lists Positive, Negative, Neutral: its class k is the model's class toModel[k].
    const dataNames = ['Positive', 'Negative', 'Neutral'];
    const toModel = [2, 0, 1];
    const data = faces(60, dataNames);
    const byHand: EvaluationData = { ...data, pixels: data.pixels.slice(), labels: Uint8Array.from(data.labels, (k) => toModel[k]), labelNames: VALENCE };
    await handle({ type: 'evaluate', runId: 'hand', modelId: 'm3', data: byHand, tta: true, backend: 'auto' });
    await handle({ type: 'evaluate', runId: 'mapped', modelId: 'm3', data: { ...data, pixels: data.pixels.slice() }, tta: true, backend: 'auto' });
    const hand = outcome('hand').evaluation;
    const mapped = outcome('mapped').evaluation;
    expect(mapped.confusion).toEqual(hand.confusion);
    expect(mapped.accuracy).toBe(hand.accuracy);
    expect(mapped.tta).toEqual(hand.tta);
    expect(mapped.confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([0, 1, 2].map((k) => byHand.labels.filter((l) => l === k).length));
    expect(mapped.dataLabels).toEqual(dataNames);
    expect(hand.dataLabels).toBeUndefined();
    expect(outcome('mapped').labels).toEqual(VALENCE);
  });

  it('labelAgreement: same order, another order (case-insensitive), or refused', () => {
    const names = { model: 'm', data: 'd' };
    expect(labelAgreement(VALENCE, ['negative', 'NEUTRAL', 'Positive'], names)).toEqual({ kind: 'same' });
    expect(labelAgreement(VALENCE, ['Neutral', 'Positive', 'Negative'], names)).toEqual({ kind: 'reordered', toModel: [1, 2, 0] });
    expect(labelAgreement(VALENCE, ['Negative', 'Neutral'], names).kind).toBe('refused');
    expect(labelAgreement(VALENCE, ['Negative', 'Neutral', 'Happy'], names).kind).toBe('refused');
    expect(Array.from(labelsInModelOrder(Uint8Array.from([0, 1, 2, 255]), [1, 2, 0]))).toEqual([1, 2, 0, 255]);
  });
});
