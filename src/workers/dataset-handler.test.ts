import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { PIXELS } from '../core/dataset/face-format';
import { ferCsv, validRows } from '../core/testing/fer-rows';
import { createDatasetHandler } from './dataset-handler';
import type { DatasetEvent } from './dataset-protocol';

function recorder() {
  const events: { event: DatasetEvent; transfer: Transferable[] }[] = [];
  const handle = createDatasetHandler((event, transfer = []) => events.push({ event, transfer }));
  return { events, handle };
}

describe('dataset handler', () => {
  it('parses a file: progress events, then the data set with its typed arrays in the transfer list', async () => {
    const { events, handle } = recorder();
    await handle({ type: 'parse', runId: 'r1', file: new Blob([ferCsv(validRows(12))]), name: 'mine.csv' });
    const types = events.map((e) => e.event.type);
    expect(types[types.length - 1]).toBe('loaded');
    expect(types.slice(0, -1).every((t) => t === 'progress')).toBe(true);
    expect(events.every((e) => e.event.runId === 'r1')).toBe(true);
    const last = events[events.length - 1];
    if (last.event.type !== 'loaded') throw new Error('expected loaded');
    const { dataset } = last.event;
    expect(dataset.name).toBe('mine.csv');
    expect(dataset.synthetic).toBe(false);
    expect(dataset.buffers.rows).toBe(12);
    expect(dataset.buffers.pixels.length).toBe(12 * PIXELS);
    expect(dataset.stats.usageTrain?.rows).toBe(4);
    expect(last.transfer).toContain(dataset.buffers.pixels.buffer);
    expect(last.transfer).toContain(dataset.buffers.labels.buffer);
  });

  it('times the stages on its clock: each progress event says when it came, parsing ends at standardising, loading after it', async () => {
    // A fake clock on which each progress report takes 10 ms, so every reported time is known exactly.
    let clockMs = 1000;
    const events: DatasetEvent[] = [];
    const handle = createDatasetHandler(
      (event) => {
        events.push(event);
        if (event.type === 'progress') clockMs += 10;
      },
      null,
      null,
      () => clockMs,
    );
    await handle({ type: 'parse', runId: 't', file: new Blob([ferCsv(validRows(12))]), name: 'timed.csv' });
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e] : []));
    const reading = progress.filter((e) => e.stage === 'reading');
    expect(reading.length).toBeGreaterThan(0);
    expect(progress.map((e) => e.stage)).toEqual([...reading.map(() => 'reading'), 'standardising']);
    expect(progress.map((e) => e.elapsedMs)).toEqual(progress.map((_, i) => i * 10));
    const loaded = events.at(-1)!;
    if (loaded.type !== 'loaded') throw new Error('expected loaded');
    // Parsing is everything before the standardising report; loading adds standardising (10 ms here).
    expect(loaded.dataset.parseMs).toBe(reading.length * 10);
    expect(loaded.dataset.loadMs).toBe(reading.length * 10 + 10);
  });

  it('generates the demo set through the same CSV parser, marked synthetic', async () => {
    const { events, handle } = recorder();
    await handle({ type: 'demo', runId: 'd', options: { training: 14, publicTest: 7, privateTest: 7, seed: 3 } });
    const stages = events.filter((e) => e.event.type === 'progress').map((e) => (e.event as { stage: string }).stage);
    expect(stages).toContain('generating');
    expect(stages).toContain('reading');
    const last = events[events.length - 1].event;
    if (last.type !== 'loaded') throw new Error('expected loaded');
    expect(last.dataset.synthetic).toBe(true);
    expect(last.dataset.buffers.rows).toBe(28);
    expect(last.dataset.name).toMatch(/Synthetic demo faces/);
  });

  it('reports a file-level problem as one error event naming the problem', async () => {
    const { events, handle } = recorder();
    await handle({ type: 'parse', runId: 'bad', file: new Blob(['a,b,c\n1,2,3\n']), name: 'x.csv' });
    const last = events[events.length - 1].event;
    expect(last).toMatchObject({ type: 'error', runId: 'bad' });
    expect(last.type === 'error' && last.message).toMatch(/column emotion and pixels is missing/);
  });
});

describe('dataset handler with storage', () => {
  it('a data set that cannot be stored says so, and a reload then restores nothing rather than the older one', async () => {
    const { cachedDataset, clearCachedDataset, startCachingDataset } = await import('../storage/dataset-cache');
    let full = false;
    const quota = Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    let forgotten: Promise<void> | null = null;
    const cache = {
      start: async (dataset: Parameters<typeof startCachingDataset>[0]) => (full ? { written: Promise.reject(quota) } : startCachingDataset(dataset)),
      load: cachedDataset,
      forget: () => (forgotten = clearCachedDataset()),
    };
    const events: DatasetEvent[] = [];
    const handle = createDatasetHandler((event) => events.push(event), cache);
    await handle({ type: 'parse', runId: 'a', file: new Blob([ferCsv(validRows(5))]), name: 'older.csv' });
    const stored = await cachedDataset();
    expect(stored?.name).toBe('older.csv');
    // Once stored, the page hears so (and may send the training worker the fingerprint instead of the pixels).
    expect(events.filter((e) => e.runId === 'a' && e.type !== 'progress')).toEqual([
      expect.objectContaining({ type: 'loaded', keeping: true }), // the client keeps the worker until 'kept'
      { type: 'kept', runId: 'a', fingerprint: stored!.fingerprint },
    ]);

    full = true;
    await handle({ type: 'parse', runId: 'b', file: new Blob([ferCsv(validRows(7))]), name: 'newer.csv' });
    const forB = events.filter((e) => e.runId === 'b' && e.type !== 'progress');
    expect(forB.map((e) => e.type)).toEqual(['loaded', 'not-kept']);
    const notKept = forB[1];
    expect(notKept.type === 'not-kept' && notKept.message).toMatch(/storage is full, so this data set will not be here after a reload .* no older data set will come back/);
    // The older record is dropped in the background: wait for that drop itself, not for a guessed time.
    expect(forgotten).not.toBeNull();
    await forgotten;
    await handle({ type: 'restore', runId: 'c' });
    expect(events.at(-1)).toEqual({ type: 'empty', runId: 'c' });
  });
});
