// The dataset worker's 'remap' request: classes merged or left out on the loaded data set, with a fake `post`
// and the real IndexedDB store (in memory).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import { FER2013_LABELS } from '../core/labels/fer2013';
import { LABEL_NONE } from '../core/labels/label-set';
import { dropMapping, valenceMapping } from '../core/labels/mapping';
import { ferCsv, validRows } from '../core/testing/fer-rows';
import { cachedDataset, clearCachedDataset, startCachingDataset } from '../storage/dataset-cache';
import { createDatasetHandler } from './dataset-handler';
import type { DatasetEvent } from './dataset-protocol';

function harness() {
  const events: { event: DatasetEvent; transfer: Transferable[] }[] = [];
  const handle = createDatasetHandler((event, transfer = []) => events.push({ event, transfer }), {
    start: startCachingDataset,
    load: cachedDataset,
    forget: clearCachedDataset,
  });
  /** The events of one run, progress left out. */
  const of = (runId: string) => events.filter((e) => e.event.runId === runId && e.event.type !== 'progress');
  /** The data set a run posted. */
  const loaded = (runId: string): LoadedDataset => {
    const event = of(runId).find((e) => e.event.type === 'loaded')?.event;
    if (event?.type !== 'loaded') throw new Error(`run ${runId} loaded nothing: ${JSON.stringify(of(runId).map((e) => e.event))}`);
    return event.dataset;
  };
  return { handle, of, loaded };
}

/** What the page sends: its own data set, structured-cloned (the page keeps its arrays). */
const copy = (dataset: LoadedDataset): LoadedDataset => structuredClone(dataset);

describe('dataset handler: remap', () => {
  it('merges the loaded data set into valence: loaded (3 classes, new fingerprint), kept, and restored so after a reload', async () => {
    const { handle, of, loaded } = harness();
    await handle({ type: 'parse', runId: 'load', file: new Blob([ferCsv(validRows(21))]), name: 'faces.csv' });
    const original = loaded('load');

    await handle({ type: 'remap', runId: 'merge', dataset: copy(original), mapping: valenceMapping(FER2013_LABELS) });
    const merged = loaded('merge');
    expect(of('merge').map((e) => e.event)).toEqual([
      expect.objectContaining({ type: 'loaded' }),
      { type: 'kept', runId: 'merge', fingerprint: merged.fingerprint },
    ]);
    expect(merged.fingerprint).not.toBe(original.fingerprint);
    expect(merged.name).toBe('faces.csv');
    expect(merged.buffers.labelSet.names).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(merged.buffers.mapping).toEqual({ ...valenceMapping(FER2013_LABELS), from: [...FER2013_LABELS.names] });
    const valence = [0, 0, 0, 2, 0, 2, 1];
    expect(Array.from(merged.buffers.labels)).toEqual(Array.from(original.buffers.labels, (label) => valence[label]));
    // The arrays cross back transferred, the kept source labels included.
    const { transfer } = of('merge')[0];
    expect(transfer).toContain(merged.buffers.pixels.buffer);
    expect(transfer).toContain(merged.buffers.labels.buffer);
    expect(transfer).toContain(merged.sourceClasses!.labels.buffer);

    // A reload brings back the merged data set, with the file's classes still at hand.
    const stored = await cachedDataset();
    expect(stored?.fingerprint).toBe(merged.fingerprint);
    expect(stored?.buffers.labelSet.names).toEqual(['Negative', 'Neutral', 'Positive']);
    expect(stored?.buffers.mapping?.title).toBe(valenceMapping(FER2013_LABELS)!.title);
    expect(Array.from(stored!.sourceClasses!.labels)).toEqual(Array.from(original.buffers.labels));
  });

  it('another choice needs no reload (it applies to the file’s classes), and "as in the file" gives back the original data set', async () => {
    const { handle, loaded } = harness();
    await handle({ type: 'parse', runId: 'load', file: new Blob([ferCsv(validRows(21))]), name: 'faces.csv' });
    const original = loaded('load');
    await handle({ type: 'remap', runId: 'merge', dataset: copy(original), mapping: valenceMapping(FER2013_LABELS) });
    await handle({ type: 'remap', runId: 'drop', dataset: copy(loaded('merge')), mapping: dropMapping(FER2013_LABELS, 1) });
    const dropped = loaded('drop');
    expect(dropped.buffers.labelSet.names).toEqual(['Angry', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral']);
    expect(Array.from(dropped.buffers.labels)).toEqual(Array.from(original.buffers.labels, (l) => (l === 1 ? LABEL_NONE : l > 1 ? l - 1 : l)));

    await handle({ type: 'remap', runId: 'file', dataset: copy(dropped), mapping: null });
    const back = loaded('file');
    expect(back.fingerprint).toBe(original.fingerprint);
    expect(back.buffers.labelSet.names).toEqual(FER2013_LABELS.names);
    expect(Array.from(back.buffers.labels)).toEqual(Array.from(original.buffers.labels));
    expect(back.buffers.mapping).toBeUndefined();
    expect(back.sourceClasses).toBeUndefined();
    expect((await cachedDataset())?.fingerprint).toBe(original.fingerprint);
  });

  it('a mapping that does not fit is one error event naming the classes; the stored data set is unchanged', async () => {
    const { handle, of, loaded } = harness();
    await handle({ type: 'parse', runId: 'load', file: new Blob([ferCsv(validRows(14))]), name: 'faces.csv' });
    const original = loaded('load');
    await handle({ type: 'remap', runId: 'bad', dataset: copy(original), mapping: { title: 'two', names: ['A', 'B'], to: [0, 1] } });
    const events = of('bad').map((e) => e.event);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', runId: 'bad' });
    expect(events[0].type === 'error' && events[0].message).toMatch(/cannot be applied to Angry, Disgust, .* \(7 classes\): it maps 2 classes, the data has 7/);
    expect((await cachedDataset())?.fingerprint).toBe(original.fingerprint);
  });
});
