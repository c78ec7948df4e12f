import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { datasetBackgroundWork, isFinalDatasetEvent, type DatasetEvent, type DatasetRequest } from './dataset-protocol';
import { isFinalInferenceEvent, type InferenceEvent, type InferenceRequest } from './inference-protocol';
import { FakeWorker } from './testing/fake-worker';
import { WorkerBridge } from './worker-bridge';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';

const datasetBridge = (idleMs?: number) =>
  new WorkerBridge<DatasetRequest, DatasetEvent>(() => new FakeWorker() as unknown as Worker, { what: 'data loading', isFinal: isFinalDatasetEvent, idleMs, backgroundWork: datasetBackgroundWork });

beforeEach(() => {
  FakeWorker.created = [];
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => vi.useRealTimers());

describe('WorkerBridge', () => {
  it('starts the worker on the first request only, and a run is active until its final event', () => {
    const bridge = datasetBridge();
    expect(FakeWorker.created).toHaveLength(0);
    bridge.send({ type: 'restore', runId: 'a' });
    expect(FakeWorker.created).toHaveLength(1);
    expect(bridge.activeRun).toBe('a');
    const events: DatasetEvent[] = [];
    bridge.subscribe((event) => events.push(event as DatasetEvent));
    FakeWorker.created[0].answer({ type: 'progress', runId: 'a', stage: 'reading', progress: { bytesRead: 1, bytesTotal: 2, rows: 0, skipped: 0 }, elapsedMs: 1 });
    expect(bridge.activeRun).toBe('a');
    FakeWorker.created[0].answer({ type: 'empty', runId: 'a' });
    expect(bridge.activeRun).toBeNull();
    expect(events.map((event) => event.type)).toEqual(['progress', 'empty']);
  });

  it('reports a crash to every pending run, each under its own id, and starts a fresh worker next time', () => {
    const bridge = new WorkerBridge<InferenceRequest, InferenceEvent>(() => new FakeWorker() as unknown as Worker, { what: 'photo and webcam', isFinal: isFinalInferenceEvent });
    const errors: (string | null)[] = [];
    bridge.subscribe((event) => event.type === 'error' && errors.push(event.runId));
    bridge.send({ type: 'saliency', runId: 'photo-1', modelId: 'm', input: new Float32Array(1), classIndex: 0 });
    bridge.send({ type: 'saliency', runId: 'photo-2', modelId: 'm', input: new Float32Array(1), classIndex: 0 });
    FakeWorker.created[0].answer({ type: 'saliency', runId: 'photo-1', classIndex: 0, saliency: null as never });
    FakeWorker.created[0].crash('out of memory');
    // photo-1 had its answer; only photo-2 is told (the last request sent would have been blamed before).
    expect(errors).toEqual(['photo-2']);
    expect(FakeWorker.created[0].terminated).toBe(true);
    expect(bridge.activeRun).toBeNull();
    bridge.send({ type: 'saliency', runId: 'photo-3', modelId: 'm', input: new Float32Array(1), classIndex: 0 });
    expect(FakeWorker.created).toHaveLength(2);
  });

  it('a crash with no run going is reported against no run', () => {
    const bridge = datasetBridge();
    const errors: (string | null)[] = [];
    bridge.subscribe((event) => event.type === 'error' && errors.push(event.runId));
    bridge.warmUp();
    FakeWorker.created[0].crash('boom');
    expect(errors).toEqual([null]);
  });

  it('terminate ends pending runs with the event the client gives', () => {
    const bridge = datasetBridge();
    const events: DatasetEvent[] = [];
    bridge.subscribe((event) => events.push(event as DatasetEvent));
    bridge.send({ type: 'restore', runId: 'a' });
    bridge.terminate((runId) => ({ type: 'cancelled', runId }));
    expect(events).toEqual([{ type: 'cancelled', runId: 'a' }]);
    expect(bridge.running).toBe(false);
  });

  it('aborting a signal calls the client\u2019s stop, only while the run is going', () => {
    const bridge = datasetBridge();
    const stop = vi.fn();
    const first = new AbortController();
    bridge.send({ type: 'restore', runId: 'a' }, { signal: first.signal, onAbort: stop });
    first.abort();
    expect(stop).toHaveBeenCalledTimes(1);
    const second = new AbortController();
    bridge.send({ type: 'restore', runId: 'b' }, { signal: second.signal, onAbort: stop });
    FakeWorker.created[0].answer({ type: 'empty', runId: 'b' });
    second.abort(); // over already: nothing to stop
    expect(stop).toHaveBeenCalledTimes(1);
    const already = new AbortController();
    already.abort();
    bridge.send({ type: 'restore', runId: 'c' }, { signal: already.signal, onAbort: stop });
    expect(FakeWorker.created[0].sent.map(({ message }) => (message as DatasetRequest).runId)).toEqual(['a', 'b']); // c never sent
  });

  it('an abandoned run is no longer pending: a crash after it is not reported to it', () => {
    const bridge = datasetBridge();
    const errors: (string | null)[] = [];
    bridge.subscribe((event) => event.type === 'error' && errors.push(event.runId));
    bridge.send({ type: 'restore', runId: 'a' });
    bridge.abandon('a');
    expect(bridge.activeRun).toBeNull();
    FakeWorker.created[0].crash('boom');
    expect(errors).toEqual([null]);
  });

  it('shuts an idle worker down after idleMs, and not while a run is going', () => {
    vi.useFakeTimers();
    const bridge = datasetBridge(1000);
    bridge.send({ type: 'restore', runId: 'a' });
    vi.advanceTimersByTime(5000);
    expect(bridge.running).toBe(true); // busy: never shut down
    FakeWorker.created[0].answer({ type: 'empty', runId: 'a' });
    vi.advanceTimersByTime(999);
    expect(bridge.running).toBe(true);
    bridge.send({ type: 'restore', runId: 'b' }); // a new run in time keeps it
    vi.advanceTimersByTime(2000);
    expect(bridge.running).toBe(true);
    FakeWorker.created[0].answer({ type: 'error', runId: 'b', message: 'x' });
    vi.advanceTimersByTime(1000);
    expect(bridge.running).toBe(false);
    expect(FakeWorker.created[0].terminated).toBe(true);
  });

  it('is not shut down for idleness while it stores a loaded data set (from loaded with keeping to kept or not-kept)', () => {
    vi.useFakeTimers();
    const bridge = datasetBridge(1000);
    const dataset = {} as LoadedDataset;
    for (const [runId, last] of [['a', { type: 'kept', runId: 'a', fingerprint: 'f' }], ['b', { type: 'not-kept', runId: 'b', message: 'full' }]] as const) {
      bridge.send({ type: 'restore', runId });
      const worker = FakeWorker.created.at(-1)!;
      worker.answer({ type: 'loaded', runId, dataset, keeping: true });
      expect(bridge.activeRun).toBeNull(); // the run is over for the page
      vi.advanceTimersByTime(5000);
      expect(bridge.running).toBe(true); // still writing
      worker.answer(last);
      vi.advanceTimersByTime(999);
      expect(bridge.running).toBe(true);
      vi.advanceTimersByTime(1);
      expect(bridge.running).toBe(false);
    }
    // A data set that is not being stored (restored from storage) lets it go as before.
    bridge.send({ type: 'restore', runId: 'c' });
    FakeWorker.created.at(-1)!.answer({ type: 'loaded', runId: 'c', dataset });
    vi.advanceTimersByTime(1000);
    expect(bridge.running).toBe(false);
  });
});
