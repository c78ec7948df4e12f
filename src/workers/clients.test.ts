// The clients the page uses, over a stand-in Worker: what they send, how they cancel, what they transfer.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatasetEvent } from './dataset-protocol';
import { FakeWorker } from './testing/fake-worker';

beforeAll(() => {
  vi.stubGlobal('Worker', FakeWorker);
});

const { datasetClient } = await import('./dataset-client');
const { evaluationClient } = await import('./evaluation-client');
const { trainClient } = await import('./train-client');

/** The newest worker (a client keeps one warm between runs: it is the one its next request goes to). */
const lastWorker = () => FakeWorker.created.at(-1)!;

describe('dataset client', () => {
  it('a new load cancels the running one (its run ends "cancelled") in a fresh worker', () => {
    const events: DatasetEvent[] = [];
    const unsubscribe = datasetClient.subscribe((event) => events.push(event));
    const file = new File(['x'], 'a.csv');
    datasetClient.parseFile(file, { runId: 'one' });
    const first = lastWorker();
    expect(first.sent.map((sent) => sent.message)).toEqual([{ type: 'parse', runId: 'one', file, name: 'a.csv', skipFolders: [] }]);
    expect(datasetClient.busy).toBe(true);
    datasetClient.parseFile(file, { runId: 'two', skipFolders: ['contempt'] });
    expect(first.terminated).toBe(true);
    expect(events).toEqual([{ type: 'cancelled', runId: 'one' }]);
    expect(lastWorker()).not.toBe(first);
    expect(lastWorker().sent.at(-1)!.message).toMatchObject({ runId: 'two', skipFolders: ['contempt'] });
    datasetClient.cancel();
    unsubscribe();
  });

  it('aborting the signal cancels the load', () => {
    const events: DatasetEvent[] = [];
    const unsubscribe = datasetClient.subscribe((event) => events.push(event));
    const controller = new AbortController();
    datasetClient.restore({ runId: 'r', signal: controller.signal });
    const worker = lastWorker();
    controller.abort();
    expect(worker.terminated).toBe(true);
    expect(events).toEqual([{ type: 'cancelled', runId: 'r' }]);
    expect(datasetClient.busy).toBe(false);
    unsubscribe();
  });
});

describe('evaluation client', () => {
  it('transfers the copies it is given, and aborting asks the worker to cancel after its batch', () => {
    const controller = new AbortController();
    const data = { split: 'test' as const, splitLabel: 'PrivateTest', dataset: { name: 'd', fingerprint: 'f' }, pixels: new Uint8Array(2304), labels: new Uint8Array(1), labelNames: ['A', 'B'] };
    evaluationClient.evaluate('e', 'model-1', data, { mirror: true, tenCrop: false }, 'auto', controller.signal);
    const worker = lastWorker();
    expect(worker.sent[0].transfer).toEqual([data.pixels.buffer, data.labels.buffer]);
    controller.abort();
    expect(worker.sent[1].message).toEqual({ type: 'cancel', runId: 'e' });
    expect(worker.terminated).toBe(false);
  });
});

describe('train client', () => {
  const config = {} as never;
  it('a stored data set goes by fingerprint (nothing transferred); copies are transferred', () => {
    trainClient.start('s', config, { from: 'storage', fingerprint: 'fp', split: { strategy: 'usage', seed: 42 }, seedFaithful: false, voteMode: 'crossentropy' }, 'auto');
    const worker = lastWorker();
    expect(worker.sent[0].transfer).toEqual([]);
    const buffers = { rows: 1, pixels: new Uint8Array(2304), labels: new Uint8Array(1), usage: new Uint8Array(1), labelSet: { names: ['a', 'b'] } };
    const dataset = { name: 'd', fingerprint: 'f', synthetic: false, buffers, train: new Uint32Array(1), validation: new Uint32Array(0), stats: { mean: new Float32Array(2304), std: new Float32Array(2304), rows: 1 } };
    const controller = new AbortController();
    trainClient.start('c', config, { from: 'copy', dataset }, 'auto', controller.signal);
    expect(worker.sent[1].transfer).toHaveLength(5);
    controller.abort(); // as the Stop button: the worker keeps the best epoch
    expect(worker.sent[2].message).toEqual({ type: 'stop', runId: 'c' });
  });
});
