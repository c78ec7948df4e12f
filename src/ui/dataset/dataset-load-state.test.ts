import { describe, expect, it } from 'vitest';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { initialDatasetLoadState, reduceDatasetLoad, type DatasetLoadState } from './dataset-load-state';

const dataset = { name: 'old.csv' } as LoadedDataset;
const progress = { bytesRead: 5, bytesTotal: 10, rows: 1, skipped: 0 };

describe('reduceDatasetLoad', () => {
  const loaded: DatasetLoadState = { ...initialDatasetLoadState, status: 'done', dataset };

  it('follows a run from start through progress to loaded', () => {
    let state = reduceDatasetLoad(loaded, { type: 'start', runId: 'a', source: 'new.csv' });
    expect(state).toMatchObject({ status: 'running', runId: 'a', source: 'new.csv', dataset });
    state = reduceDatasetLoad(state, { type: 'progress', runId: 'a', stage: 'reading', progress, elapsedMs: 50 });
    expect(state.progress).toEqual(progress);
    const fresh = { name: 'new.csv', loadMs: 80 } as LoadedDataset;
    state = reduceDatasetLoad(state, { type: 'loaded', runId: 'a', dataset: fresh });
    expect(state).toMatchObject({ status: 'done', dataset: fresh, elapsedMs: 80 });
  });

  it('keeps the loaded data set when a load fails, is cancelled or is refused', () => {
    const running = reduceDatasetLoad(loaded, { type: 'start', runId: 'b', source: 'bad.csv' });
    expect(reduceDatasetLoad(running, { type: 'error', runId: 'b', message: 'nope' })).toMatchObject({ status: 'error', error: 'nope', dataset });
    expect(reduceDatasetLoad(running, { type: 'cancelled', runId: 'b' })).toMatchObject({ status: 'cancelled', dataset });
    expect(reduceDatasetLoad(loaded, { type: 'rejected', source: 'empty.csv', message: 'empty' })).toMatchObject({ status: 'error', dataset });
  });

  it('holds the class-folder choice of a stopped load until the next load starts', () => {
    const running = reduceDatasetLoad(loaded, { type: 'start', runId: 'f', source: 'pets.zip' });
    const folderChoice = { unknown: [{ folder: 'cat', files: 1 }, { folder: 'dog', files: 2 }], classes: [{ folder: 'cat', files: 1 }, { folder: 'dog', files: 2 }], ownClassesProblem: null, canSkip: false };
    const asked = reduceDatasetLoad(running, { type: 'error', runId: 'f', message: 'not emotions', folderChoice });
    expect(asked).toMatchObject({ status: 'error', folderChoice, dataset });
    expect(reduceDatasetLoad(asked, { type: 'start', runId: 'g', source: 'pets.zip' }).folderChoice).toBeNull();
  });

  it('a data set that could not be stored carries the reason until another one loads', () => {
    const running = reduceDatasetLoad(loaded, { type: 'start', runId: 'c', source: 'big.csv' });
    const big = { name: 'big.csv', loadMs: 5 } as LoadedDataset;
    let state = reduceDatasetLoad(running, { type: 'loaded', runId: 'c', dataset: big });
    state = reduceDatasetLoad(state, { type: 'not-kept', runId: 'c', message: 'storage is full' });
    expect(state).toMatchObject({ status: 'done', dataset: big, notKept: 'storage is full' });
    state = reduceDatasetLoad(reduceDatasetLoad(state, { type: 'start', runId: 'd', source: 'x.csv' }), { type: 'loaded', runId: 'd', dataset: big });
    expect(state.notKept).toBeNull();
  });

  it('knows which data set is in storage: after its write commits, or when it came from there', () => {
    const running = reduceDatasetLoad(loaded, { type: 'start', runId: 'k', source: 'k.csv' });
    const fresh = { name: 'k.csv', fingerprint: 'fk', loadMs: 5 } as LoadedDataset;
    let state = reduceDatasetLoad(running, { type: 'loaded', runId: 'k', dataset: fresh });
    expect(state.storedFingerprint).toBeNull(); // not yet written
    state = reduceDatasetLoad(state, { type: 'kept', runId: 'k', fingerprint: 'fk' });
    expect(state.storedFingerprint).toBe('fk');
    state = reduceDatasetLoad(reduceDatasetLoad(state, { type: 'start', runId: 'r', source: 'restore' }), { type: 'loaded', runId: 'r', dataset: { ...fresh, fingerprint: 'fr', restoredMs: 3 } });
    expect(state.storedFingerprint).toBe('fr');
    state = reduceDatasetLoad(reduceDatasetLoad(state, { type: 'start', runId: 'f', source: 'f.csv' }), { type: 'loaded', runId: 'f', dataset: { ...fresh, fingerprint: 'ff' } });
    expect(reduceDatasetLoad(state, { type: 'not-kept', runId: 'f', message: 'full' }).storedFingerprint).toBeNull();
  });

  it('ignores events from runs it no longer shows', () => {
    const running = reduceDatasetLoad(loaded, { type: 'start', runId: 'new', source: 'x.csv' });
    expect(reduceDatasetLoad(running, { type: 'loaded', runId: 'old', dataset: {} as LoadedDataset })).toBe(running);
    expect(reduceDatasetLoad(running, { type: 'error', runId: 'old', message: 'x' })).toBe(running);
  });
});
