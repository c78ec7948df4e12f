import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PIXELS } from '../core/dataset/face-format';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import type { RgbaImage } from '../core/face-crop/types';
import type { DecodeImage } from '../core/image-folders/load-image-folders';
import { FERPLUS_LABELS } from '../core/labels/ferplus';
import { LABEL_NONE } from '../core/labels/label-set';
import { ferCsv, testPixels, type TestRow } from '../core/testing/fer-rows';
import { createDatasetHandler } from './dataset-handler';
import type { DatasetCache } from './dataset-protocol';
import type { DatasetEvent, DatasetRequest } from './dataset-protocol';

// Made-up faces and votes in the formats of fer2013.csv and Microsoft's fer2013new.csv (no real data).
const USAGES = ['Training', 'Training', 'PublicTest', 'PrivateTest', 'Training', 'PrivateTest'];
const VOTE_ROWS = [
  '0,8,2,0,0,0,0,0,0,0', // Happiness
  '0,0,0,0,0,0,0,0,0,10', // not a face: dropped
  '5,0,0,5,0,0,0,0,0,0', // no majority
  '0,0,0,0,0,0,0,10,0,0', // Contempt
  '9,0,0,0,1,0,0,0,0,0', // Neutral
  '0,0,1,0,0,0,9,0,0,0', // Fear
];
const VOTES_HEADER = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF';
const votesCsv = (usages = USAGES) => [VOTES_HEADER, ...usages.map((usage, i) => `${usage},fer000000${i}.png,${VOTE_ROWS[i]}`)].join('\r\n') + '\r\n';
const facesCsv = (usages = USAGES, extra: TestRow[] = []) => ferCsv([...usages.map((usage, i) => ({ emotion: i % 7, usage })), ...extra]);
const file = (text: string, name: string) => ({ file: new Blob([text]), name });

/** A cache kept in memory, as IndexedDB keeps the last data set. */
function memoryCache(): DatasetCache & { stored: () => LoadedDataset | null } {
  let stored: LoadedDataset | null = null;
  const copy = (dataset: LoadedDataset): LoadedDataset => structuredClone(dataset);
  return {
    start: async (dataset) => {
      stored = copy(dataset);
      return { written: Promise.resolve() };
    },
    load: async () => (stored ? copy(stored) : null),
    forget: async () => {
      stored = null;
    },
    stored: () => stored,
  };
}

function recorder(cache: DatasetCache | null = null, decode: DecodeImage | null = null) {
  const events: DatasetEvent[] = [];
  const handle = createDatasetHandler((event) => events.push(event), cache, decode);
  const run = async (request: DatasetRequest) => {
    events.length = 0;
    await handle(request);
    return events.find((e) => e.type === 'loaded' || e.type === 'error')!;
  };
  return { run, events };
}

const loaded = (event: DatasetEvent): LoadedDataset => {
  if (event.type !== 'loaded') throw new Error(`expected loaded, got ${JSON.stringify(event)}`);
  return event.dataset;
};
const errorOf = (event: DatasetEvent): string => {
  if (event.type !== 'error') throw new Error(`expected an error, got ${event.type}`);
  return event.message;
};

describe('fer2013.csv + fer2013new.csv in the dataset worker', () => {
  it('joins the pair dropped together, in either order: FER+\u2019s eight classes, votes, majority labels, stored', async () => {
    for (const order of ['faces first', 'votes first']) {
      const cache = memoryCache();
      const { run } = recorder(cache);
      const [first, second] = order === 'faces first' ? [file(facesCsv(), 'fer2013.csv'), file(votesCsv(), 'fer2013new.csv')] : [file(votesCsv(), 'fer2013new.csv'), file(facesCsv(), 'fer2013.csv')];
      const dataset = loaded(await run({ type: 'parse', runId: 'p', ...first, companions: [second] }));
      expect(dataset.name).toBe('fer2013.csv + fer2013new.csv (FER+ votes)');
      expect(dataset.buffers.labelSet).toEqual(FERPLUS_LABELS);
      expect(dataset.buffers.rows).toBe(6);
      expect(Array.from(dataset.buffers.labels)).toEqual([1, LABEL_NONE, LABEL_NONE, 7, 0, 6]);
      expect(Array.from(dataset.buffers.usage)).toEqual([0, 0, 1, 2, 0, 2]);
      expect(Array.from(dataset.buffers.votes!.subarray(30, 40))).toEqual([0, 0, 0, 0, 0, 0, 0, 10, 0, 0]);
      expect(Array.from(dataset.buffers.pixels.subarray(PIXELS, PIXELS + 5))).toEqual(testPixels(1, 5));
      expect(dataset.skipped.count).toBe(0);
      expect(cache.stored()?.name).toBe(dataset.name);
      expect(cache.stored()?.buffers.votes).toEqual(dataset.buffers.votes);
    }
  });

  it('refuses a pair in another order naming the first row that disagrees; what was loaded stays stored', async () => {
    const cache = memoryCache();
    const { run, events } = recorder(cache);
    const before = loaded(await run({ type: 'parse', runId: 'a', ...file(facesCsv(), 'fer2013.csv') }));
    const shuffled = [...USAGES.slice(0, 2), 'PrivateTest', 'PublicTest', ...USAGES.slice(4)];
    const message = errorOf(await run({ type: 'parse', runId: 'b', ...file(facesCsv(shuffled), 'shuffled.csv'), companions: [file(votesCsv(), 'fer2013new.csv')] }));
    expect(message).toBe('fer2013new.csv row 4: Usage is PublicTest, but row 4 of shuffled.csv is PrivateTest — the files are not in the same order (a shuffled or other CSV?)');
    expect(events.map((e) => e.type)).not.toContain('loaded');
    expect(cache.stored()?.fingerprint).toBe(before.fingerprint);
  });

  it('refuses faces whose parse skipped rows, naming them (the rows would no longer line up)', async () => {
    const { run } = recorder(memoryCache());
    const faces = facesCsv(USAGES.slice(0, 5), [{ emotion: 3, pixels: '1 2 3', usage: 'PrivateTest' }]);
    const message = errorOf(await run({ type: 'parse', runId: 's', ...file(faces, 'fer2013.csv'), companions: [file(votesCsv(), 'fer2013new.csv')] }));
    expect(message).toMatch(/^fer2013new\.csv holds FER\+ votes for the rows of the original fer2013\.csv, but fer2013\.csv had 1 row skipped when it was read \(row 7: expected 2304 pixels, found 3\)/);
  });

  it('joins fer2013new.csv dropped alone to the data set on screen, read back from storage', async () => {
    const cache = memoryCache();
    const { run } = recorder(cache);
    const base = loaded(await run({ type: 'parse', runId: 'a', ...file(facesCsv(), 'fer2013.csv') }));
    const joined = loaded(await run({ type: 'parse', runId: 'b', ...file(votesCsv(), 'fer2013new.csv'), joinTo: base.fingerprint }));
    expect(joined.name).toBe('fer2013.csv + fer2013new.csv (FER+ votes)');
    expect(joined.buffers.labelSet.names).toHaveLength(8);
    expect(Array.from(joined.buffers.labels)).toEqual([1, LABEL_NONE, LABEL_NONE, 7, 0, 6]);
    expect(joined.buffers.pixels).toEqual(base.buffers.pixels);
    expect(joined.bytes).toBe(base.bytes + new Blob([votesCsv()]).size);
    expect(joined.fingerprint).not.toBe(base.fingerprint);
    expect(cache.stored()?.name).toBe(joined.name);
  });

  it('refuses fer2013new.csv alone with nothing to join, or when storage holds another data set than the screen', async () => {
    const cache = memoryCache();
    const { run } = recorder(cache);
    expect(errorOf(await run({ type: 'parse', runId: 'a', ...file(votesCsv(), 'fer2013new.csv') }))).toMatch(
      /fer2013new\.csv holds FER\+\u2019s crowd votes for the faces of fer2013\.csv, not faces: drop it together with fer2013\.csv/,
    );
    const base = loaded(await run({ type: 'parse', runId: 'b', ...file(facesCsv(), 'fer2013.csv') }));
    expect(errorOf(await run({ type: 'parse', runId: 'c', ...file(votesCsv(), 'fer2013new.csv'), joinTo: 'not-' + base.fingerprint }))).toMatch(
      /not in this browser\u2019s storage to join them to: drop fer2013\.csv and fer2013new\.csv together/,
    );
    expect(cache.stored()?.fingerprint).toBe(base.fingerprint);
  });

  it('refuses two files of faces, two vote files, more than two files, and a broken vote file before parsing faces', async () => {
    const { run } = recorder(memoryCache());
    expect(errorOf(await run({ type: 'parse', runId: 'a', ...file(facesCsv(), 'a.csv'), companions: [file(facesCsv(), 'b.csv')] }))).toMatch(/a\.csv, b\.csv were dropped together, and neither is FER\+\u2019s vote file/);
    expect(errorOf(await run({ type: 'parse', runId: 'b', ...file(votesCsv(), 'a.csv'), companions: [file(votesCsv(), 'b.csv')] }))).toMatch(/are both FER\+ vote files/);
    expect(errorOf(await run({ type: 'parse', runId: 'c', ...file(facesCsv(), 'a.csv'), companions: [file(votesCsv(), 'b.csv'), file(facesCsv(), 'c.csv')] }))).toMatch(/3 files were dropped/);
    const broken = votesCsv().replace('Training,fer0000004.png,9,0', 'Training,fer0000004.png,x,0');
    expect(errorOf(await run({ type: 'parse', runId: 'd', ...file(facesCsv(), 'fer2013.csv'), companions: [file(broken, 'fer2013new.csv')] }))).toBe(
      'fer2013new.csv row 6: neutral is "x", expected a vote count (a whole number from 0 to 255)',
    );
  });
});

/** A stand-in PNG (signature, then one gray level) and its decoder, as in load-image-folders.test.ts. */
const fakePng = (gray: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, gray]);
const decodeFake: DecodeImage = async (bytes) => {
  const gray = bytes[8];
  if (gray === 0xee) throw new Error('bad data');
  const image: RgbaImage = { data: new Uint8Array(48 * 48 * 4).fill(gray), width: 48, height: 48 };
  return image;
};
const labelRow = (name: string, votes: string) => `${name},"(0, 0, 48, 48)",${votes}`;

describe('FER+\u2019s folder layout in the dataset worker', () => {
  it('loads FER2013Train/Valid/Test from a zip: splits from the folders, votes from label.csv, PNGs decoded, strays listed', async () => {
    const text = (lines: string[]) => new TextEncoder().encode(lines.join('\r\n') + '\r\n');
    const zip = zipSync({
      'data/FER2013Train/label.csv': text([labelRow('fer0000000.png', VOTE_ROWS[0]), labelRow('fer0000001.png', VOTE_ROWS[1]), labelRow('fer0000009.png', VOTE_ROWS[4])]),
      'data/FER2013Train/fer0000000.png': fakePng(10),
      'data/FER2013Train/fer0000001.png': fakePng(20),
      'data/FER2013Train/fer0000007.png': fakePng(70),
      'data/FER2013Valid/label.csv': text([labelRow('fer0000002.png', VOTE_ROWS[2]), labelRow('fer0000004.png', VOTE_ROWS[4])]),
      'data/FER2013Valid/fer0000002.png': fakePng(30),
      'data/FER2013Valid/fer0000004.png': fakePng(0xee),
      'data/FER2013Test/label.csv': text([labelRow('fer0000003.png', VOTE_ROWS[3])]),
      'data/FER2013Test/fer0000003.png': fakePng(40),
      'data/README.txt': new TextEncoder().encode('hello'),
    });
    const cache = memoryCache();
    const { run } = recorder(cache, decodeFake);
    const dataset = loaded(await run({ type: 'parse', runId: 'z', file: new Blob([zip as Uint8Array<ArrayBuffer>]), name: 'ferplus.zip' }));
    expect(dataset.buffers.labelSet).toEqual(FERPLUS_LABELS);
    expect(dataset.buffers.rows).toBe(4);
    expect(Array.from(dataset.buffers.usage)).toEqual([0, 0, 1, 2]);
    expect([0, 1, 2, 3].map((row) => dataset.buffers.pixels[row * PIXELS])).toEqual([10, 20, 30, 40]);
    expect(Array.from(dataset.buffers.labels)).toEqual([1, LABEL_NONE, LABEL_NONE, 7]);
    expect(Array.from(dataset.buffers.votes!.subarray(0, 10))).toEqual([0, 8, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(dataset.hasUsage).toBe(true);
    expect(dataset.images?.splitDescription).toMatch(/FER2013Train\/ is for training \(Training\), FER2013Valid\/ for validation \(PublicTest\) and FER2013Test\/ for testing \(PrivateTest\)/);
    expect(dataset.images?.outside).toEqual({ count: 1, first: ['data/README.txt'] });
    expect(dataset.skipped.count).toBe(3);
    expect(dataset.skipped.first).toEqual([
      'data/FER2013Valid/fer0000004.png: the image is corrupt or cut short and could not be decoded',
      'data/FER2013Train/label.csv row 3: fer0000009.png is not there',
      'data/FER2013Train/fer0000007.png: no row of its folder\u2019s label.csv names it',
    ]);
    expect(cache.stored()?.buffers.votes).toEqual(dataset.buffers.votes);
  });

  it('takes a picked folder of the same layout the same way', async () => {
    const files = [
      { path: 'FER2013Train/label.csv', file: new Blob([labelRow('fer0000000.png', VOTE_ROWS[0])]) },
      { path: 'FER2013Train/fer0000000.png', file: new Blob([fakePng(10)]) },
      { path: 'FER2013Test/label.csv', file: new Blob([labelRow('a.png', VOTE_ROWS[5])]) },
      { path: 'FER2013Test/a.png', file: new Blob([fakePng(50)]) },
    ];
    const { run } = recorder(null, decodeFake);
    const dataset = loaded(await run({ type: 'folder', runId: 'f', files, name: 'FER+' }));
    expect(Array.from(dataset.buffers.usage)).toEqual([0, 2]);
    expect(Array.from(dataset.buffers.labels)).toEqual([1, 6]);
  });
});
