import { gzipSync, zipSync } from 'fflate';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ferCsv, validRows } from '../testing/fer-rows';
import { blobChunks, concatAll, firstCsvInTar } from './csv-source';
import { FerCsvError } from './fer-csv-builder';
import type { ParsedDataset } from '../dataset/types';
import { parseFerBlob, type ParseProgress } from './parse-fer-blob';

const encode = (text: string) => new TextEncoder().encode(text);
const csvBytes = encode(ferCsv(validRows(23)));
const readme = encode('FER2013: see the challenge page.\n');

/** One 512-byte ustar header block (checksum included, as tar writes it). */
function tarHeader(name: string, size: number, type = '0'): Uint8Array {
  const block = new Uint8Array(512);
  const put = (text: string, at: number) => block.set(encode(text), at);
  put(name, 0);
  put('0000644\0', 100);
  put('0001750\0', 108);
  put('0001750\0', 116);
  put(size.toString(8).padStart(11, '0') + '\0', 124);
  put('14712345670\0', 136);
  put('        ', 148);
  put(type, 156);
  put('ustar\u000000', 257);
  const sum = block.reduce((total, byte) => total + byte, 0);
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return block;
}

/** A tar archive of `entries`: header, content padded to 512 bytes, then the two zero blocks that end it. */
function tar(entries: { name: string; data: Uint8Array; type?: string }[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const { name, data, type } of entries) {
    blocks.push(tarHeader(name, data.length, type), data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const block of blocks) {
    out.set(block, at);
    at += block.length;
  }
  return out;
}

/** Kaggle's fer2013.tar.gz layout: a folder with a README, the CSV and a .bib. */
const kaggleTar = () =>
  tar([
    { name: 'fer2013/', data: new Uint8Array(0), type: '5' },
    { name: 'fer2013/README', data: readme },
    { name: 'fer2013/fer2013.csv', data: csvBytes },
    { name: 'fer2013/fer2013.bib', data: encode('@misc{fer2013}\n') },
  ]);

const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

describe('parseFerBlob: a CSV inside an archive gives the same rows as the plain CSV', () => {
  let plain: ParsedDataset;
  beforeAll(async () => {
    plain = await parseFerBlob(blob(csvBytes));
  });

  it.each([
    ['fer2013.csv.gz', () => gzipSync(csvBytes)],
    ['fer2013.tar.gz (Kaggle layout)', () => gzipSync(kaggleTar())],
    ['a zip, deflated, after macOS litter', () => zipSync({ '__MACOSX/._fer2013.csv': readme, 'README.txt': readme, 'data/fer2013.csv': csvBytes })],
    ['a zip, stored', () => zipSync({ 'fer2013.csv': [csvBytes, { level: 0 }] })],
  ])('%s', async (_, pack) => {
    const packed = blob(pack());
    const progress: ParseProgress[] = [];
    const parsed = await parseFerBlob(packed, { onProgress: (p) => progress.push(p), progressIntervalMs: 0 });
    expect(parsed.rows).toBe(23);
    expect(parsed.labels).toEqual(plain.labels);
    expect(parsed.usage).toEqual(plain.usage);
    expect(parsed.pixels).toEqual(plain.pixels);
    // Progress counts the dropped file's bytes, so the bar ends full.
    expect(progress.at(-1)).toMatchObject({ bytesTotal: packed.size, rows: 23 });
    expect(progress.at(-1)!.bytesRead).toBeGreaterThan(packed.size * 0.5);
    expect(progress.at(-1)!.bytesRead).toBeLessThanOrEqual(packed.size);
  });

  it('a GNU long name (over 100 characters) names the CSV', async () => {
    const longName = `fer2013/${'very-long-folder-name/'.repeat(5)}fer2013.csv`;
    const archive = tar([
      { name: '././@LongLink', data: encode(longName + '\0'), type: 'L' },
      { name: longName.slice(0, 100), data: csvBytes },
    ]);
    const parsed = await parseFerBlob(blob(gzipSync(archive)));
    expect(parsed.pixels).toEqual(plain.pixels);
  });
});

describe('firstCsvInTar', () => {
  async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for await (const chunk of chunks) parts.push(chunk.slice());
    return new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
  }
  async function* pieces(bytes: Uint8Array, size: number) {
    for (let at = 0; at < bytes.length; at += size) yield bytes.slice(at, at + size);
  }

  it.each([1, 7, 511, 512, 513, 4096])('finds the CSV whatever the chunk size (%i bytes)', async (size) => {
    expect(await collect(firstCsvInTar(pieces(kaggleTar(), size)))).toEqual(csvBytes);
  });

  it('stops reading once the CSV is complete', async () => {
    let chunksRead = 0;
    const archive = tar([
      { name: 'fer2013.csv', data: csvBytes },
      { name: 'big.bin', data: new Uint8Array(1 << 20) },
    ]);
    const counted = async function* () {
      for await (const chunk of pieces(archive, 4096)) {
        chunksRead++;
        yield chunk;
      }
    };
    await collect(firstCsvInTar(counted()));
    expect(chunksRead).toBeLessThan(Math.ceil((csvBytes.length + 1024) / 4096) + 1);
  });
});

describe('parseFerBlob: archives that cannot be loaded say why', () => {
  const rejects = (bytes: Uint8Array, pattern: RegExp) => expect(parseFerBlob(blob(bytes))).rejects.toThrow(pattern);

  it('a tar.gz without a CSV lists what it holds', () =>
    rejects(gzipSync(tar([{ name: 'fer2013/README', data: readme }])), /tar\.gz archive holds no \.csv file \(it holds fer2013\/README\)/));
  it('a zip without a CSV lists what it holds', () => rejects(zipSync({ 'README.txt': readme, 'faces.png': readme }), /ZIP archive holds no \.csv file \(it holds README\.txt, faces\.png\)/));
  it('a gzip file cut short', () => {
    const whole = gzipSync(csvBytes);
    return rejects(whole.subarray(0, whole.length >> 1), /gzip file is damaged or cut short/);
  });
  it('a tar.gz cut short inside the CSV', () => {
    const whole = kaggleTar();
    return rejects(gzipSync(whole.subarray(0, 512 * 3 + (csvBytes.length >> 1))), /tar\.gz archive is cut short inside fer2013\/fer2013\.csv/);
  });
  it('a zip whose central directory is missing', () => {
    const whole = zipSync({ 'fer2013.csv': csvBytes });
    return rejects(whole.subarray(0, whole.length - 30), /ZIP archive is damaged or cut short \(no central directory/);
  });
  it('a zip entry compressed with a method the platform cannot inflate', () => {
    const zip = zipSync({ 'fer2013.csv': csvBytes });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const central = zip.findLastIndex((_, i) => i + 4 <= zip.length && view.getUint32(i, true) === 0x02014b50);
    view.setUint16(central + 10, 14, true); // LZMA
    return rejects(zip, /fer2013\.csv in the ZIP archive is compressed with method 14/);
  });
  it('an encrypted zip entry', () => {
    const zip = zipSync({ 'fer2013.csv': csvBytes });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const central = zip.findLastIndex((_, i) => i + 4 <= zip.length && view.getUint32(i, true) === 0x02014b50);
    view.setUint16(central + 8, 1, true);
    return rejects(zip, /fer2013\.csv in the ZIP archive is encrypted/);
  });
  it('an archive holding an image named .csv', () =>
    rejects(zipSync({ 'fer2013.csv': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0]) }), /not a CSV text file: it looks like a PNG image/));
});

/**
 * A blob whose stream stops delivering for good after `deliverBytes` bytes, the first `stallingStreams` times it
 * is read (from the start or from a slice); later reads deliver everything. Chunks of 4 KiB.
 */
function stallingBlob(bytes: Uint8Array, deliverBytes: number, stallingStreams: number): { blob: Blob; streamsOpened: () => number } {
  let opened = 0;
  const make = (from: number, to: number): Blob => {
    const part = bytes.subarray(from, to);
    const fake = {
      size: part.length,
      slice: (start = 0, end = part.length) => make(from + start, from + Math.min(end, part.length)),
      arrayBuffer: async () => part.slice().buffer,
      stream: () => {
        const stalls = opened++ < stallingStreams;
        let at = 0;
        return new ReadableStream<Uint8Array>({
          type: 'bytes',
          pull(controller) {
            if (stalls && from + at >= deliverBytes) return new Promise<void>(() => undefined); // never settles
            if (at >= part.length) {
              controller.close();
              (controller as ReadableByteStreamController).byobRequest?.respond(0);
              return;
            }
            const chunk = part.slice(at, Math.min(at + 4096, part.length, stalls ? deliverBytes - from : Infinity));
            at += chunk.length;
            controller.enqueue(chunk);
          },
        });
      },
    };
    return fake as unknown as Blob;
  };
  return { blob: make(0, bytes.length), streamsOpened: () => opened };
}

async function readAll(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk.slice());
  return concatAll(parts);
}

describe('blobChunks: a read that stops delivering', () => {
  let warnings: string[] = [];
  beforeEach(() => {
    warnings = [];
    vi.spyOn(console, 'warn').mockImplementation((text: string) => void warnings.push(text));
  });
  afterEach(() => vi.restoreAllMocks());
  const bytes = Uint8Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251);

  it('is abandoned after stallMs and the blob read again from the byte where it stopped', async () => {
    const { blob, streamsOpened } = stallingBlob(bytes, 20_000, 2);
    const read = await readAll(blobChunks(blob, { stallMs: 50 }));
    expect(read).toEqual(bytes);
    expect(streamsOpened()).toBe(3); // the first stream, one slice that stalled too, one that finished
    expect(warnings).toEqual(Array(2).fill('reading the file: nothing for 0.05 s at 0.0 MB of 0.1 MB; reading again from there'));
  });

  it('fails with a message saying where, once every fresh read stalls', async () => {
    const { blob, streamsOpened } = stallingBlob(bytes, 20_000, Infinity);
    await expect(readAll(blobChunks(blob, { stallMs: 30 }))).rejects.toThrow(
      new FerCsvError('reading the file stopped at 0.0 MB of 0.1 MB: the browser delivered no more of its bytes (3 tries of 0.03 s each). Load it again; if it stops again, reload the page first'),
    );
    expect(streamsOpened()).toBe(3);
  });

  it('the same rows from a CSV whose stream stalls midway, with freshly allocated chunks too', async () => {
    const csv = encode(ferCsv(validRows(30)));
    const expected = await parseFerBlob(blob(csv));
    const { blob: stalling } = stallingBlob(csv, Math.floor(csv.length / 2), 1);
    const rows = await parseFerBlob(stalling, { readStallMs: 30 });
    expect(rows).toEqual(expected);
    const fresh = await readAll(blobChunks(stallingBlob(csv, 1000, 1).blob, { stallMs: 30, freshBuffers: true }));
    expect(fresh).toEqual(csv);
  });
});
