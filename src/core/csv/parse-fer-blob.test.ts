import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PIXELS } from '../dataset/face-format';
import { ferCsv, ferLine, testPixels, validRows } from '../testing/fer-rows';
import type { ParsedDataset } from '../dataset/types';
import { FerCsvBuilder, FerCsvError, MAX_REPORTED_ROWS } from './fer-csv-builder';
import { FerCsvLineSplitter, parseFerBlob, type ParseProgress } from './parse-fer-blob';

const text = (csv: string) => new Blob([csv]);
const bytesOf = (csv: string) => new TextEncoder().encode(csv);

/** Parses bytes fed in the given pieces (the way chunks arrive from a stream). */
function parsePieces(data: Uint8Array, cuts: number[]): ParsedDataset {
  const builder = new FerCsvBuilder(4);
  const splitter = new FerCsvLineSplitter(builder);
  let from = 0;
  for (const cut of [...cuts, data.length]) {
    splitter.push(data.subarray(from, cut));
    from = cut;
  }
  splitter.end();
  return builder.finish();
}

function expectRow(parsed: ParsedDataset, row: number, label: number, usage: number, pixels: number[]) {
  expect(parsed.labels[row]).toBe(label);
  expect(parsed.usage[row]).toBe(usage);
  expect(Array.from(parsed.pixels.subarray(row * PIXELS, (row + 1) * PIXELS))).toEqual(pixels);
}

describe('parseFerBlob: valid files', () => {
  it('packs every row into typed arrays with labels, usage codes and exact pixel values', async () => {
    const parsed = await parseFerBlob(text(ferCsv(validRows(9))));
    expect(parsed.rows).toBe(9);
    expect(parsed.pixels.length).toBe(9 * PIXELS);
    expect(parsed.hasUsage).toBe(true);
    expect(parsed.skipped).toEqual({ count: 0, first: [] });
    for (let i = 0; i < 9; i++) expectRow(parsed, i, i % 7, i % 3, testPixels(i));
  });

  it('accepts CRLF line ends, a UTF-8 byte-order mark and no trailing newline', async () => {
    const csv = '\uFEFF' + ferCsv(validRows(4)).trimEnd().replace(/\n/g, '\r\n');
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.rows).toBe(4);
    expectRow(parsed, 3, 3, 0, testPixels(3));
  });

  it('accepts quoted fields, extra columns, any column order and a case-insensitive header', async () => {
    const p0 = testPixels(0).join(' ');
    const p1 = testPixels(1).join(' ');
    const csv = [
      'id,Usage,PIXELS,Emotion,note',
      `7,"PrivateTest","${p0}","4","plain"`,
      `8,Training,${p1},2,"has ""quotes"", and a comma"`,
      `9,PublicTest,"${p0}",6,"spans`,
      `two lines"`,
    ].join('\n');
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.skipped.first).toEqual([]);
    expect(parsed.rows).toBe(3);
    expectRow(parsed, 0, 4, 2, testPixels(0));
    expectRow(parsed, 1, 2, 0, testPixels(1));
    expectRow(parsed, 2, 6, 1, testPixels(0));
  });

  it('treats every row as Training when there is no Usage column', async () => {
    const csv = ['emotion,pixels', ferLine({ emotion: 1 }, 0), ferLine({ emotion: 5 }, 1)].join('\n');
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.hasUsage).toBe(false);
    expect(Array.from(parsed.usage)).toEqual([0, 0]);
    expect(Array.from(parsed.labels)).toEqual([1, 5]);
  });

  it('allows extra spaces between and around pixel values and ignores blank lines', async () => {
    const pixels = testPixels(3);
    const spaced = '  ' + pixels.join('  ') + ' ';
    const csv = `emotion,pixels,Usage\n\n3,${spaced},Training\n\n`;
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.rows).toBe(1);
    expectRow(parsed, 0, 3, 0, pixels);
  });

  it('reads UTF-16 files (as some spreadsheet programs save them)', async () => {
    const csv = '\uFEFF' + ferCsv(validRows(2));
    const utf16 = new Uint8Array(csv.length * 2);
    for (let i = 0; i < csv.length; i++) {
      utf16[i * 2] = csv.charCodeAt(i) & 255;
      utf16[i * 2 + 1] = csv.charCodeAt(i) >> 8;
    }
    const parsed = await parseFerBlob(new Blob([utf16]));
    expect(parsed.rows).toBe(2);
    expectRow(parsed, 1, 1, 1, testPixels(1));
  });

  it('reports progress by bytes, ending with the whole file', async () => {
    const blob = text(ferCsv(validRows(50)));
    const events: ParseProgress[] = [];
    await parseFerBlob(blob, { onProgress: (p) => events.push(p), progressIntervalMs: 0 });
    expect(events.length).toBeGreaterThan(1);
    expect(events[0].bytesRead).toBe(0);
    const last = events[events.length - 1];
    expect(last).toEqual({ bytesRead: blob.size, bytesTotal: blob.size, rows: 50, skipped: 0 });
    for (let i = 1; i < events.length; i++) expect(events[i].bytesRead).toBeGreaterThanOrEqual(events[i - 1].bytesRead);
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(parseFerBlob(text(ferCsv(validRows(2))), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('parseFerBlob: chunk boundaries', () => {
  const csv = '\uFEFF' + ferCsv(validRows(3)).replace(/\n/g, '\r\n');
  const data = bytesOf(csv);
  const expected = parsePieces(data, []);

  it('gives the same rows wherever one cut falls (inside a number, a row, the BOM, between CR and LF)', () => {
    expect(expected.rows).toBe(3);
    for (let cut = 1; cut < data.length; cut += cut < 40 ? 1 : 97) {
      const parsed = parsePieces(data, [cut]);
      expect(parsed.rows, `cut at ${cut}`).toBe(3);
      expect(parsed.pixels, `cut at ${cut}`).toEqual(expected.pixels);
      expect(parsed.labels).toEqual(expected.labels);
      expect(parsed.usage).toEqual(expected.usage);
    }
  });

  it('gives the same rows when the file arrives one byte at a time', () => {
    const cuts = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    expect(parsePieces(data, cuts).pixels).toEqual(expected.pixels);
  });

  it('cuts inside a number do not merge or split pixel values', () => {
    const pixels = Array.from({ length: PIXELS }, (_, i) => (i % 3 === 0 ? 255 : i % 3 === 1 ? 7 : 42));
    const line = bytesOf(`emotion,pixels,Usage\n3,${pixels.join(' ')},Training\n`);
    const start = line.indexOf(44) + 1;
    for (let cut = start + 20; cut < start + 60; cut++) {
      const parsed = parsePieces(line, [cut]);
      expect(Array.from(parsed.pixels)).toEqual(pixels);
    }
  });
});

describe('parseFerBlob: bad rows are skipped and reported by spreadsheet row number', () => {
  it('names the row and the problem for each kind of bad row, and keeps the good rows', async () => {
    const short = testPixels(0, PIXELS - 1);
    const long = testPixels(0, PIXELS + 1);
    const big = testPixels(0);
    big[99] = 256;
    const word = testPixels(0).join(' ').replace(/^(\S+ \S+ \S+) \S+/, '$1 abc');
    const csv = ferCsv([
      { emotion: 0, usage: 'Training' }, // row 2, fine
      { emotion: 1, pixels: short, usage: 'Training' }, // row 3
      { emotion: 1, pixels: long, usage: 'Training' }, // row 4
      { emotion: 2, pixels: big, usage: 'Training' }, // row 5
      { emotion: 2, pixels: word, usage: 'Training' }, // row 6
      { emotion: 7, usage: 'Training' }, // row 7
      { emotion: 'x', usage: 'Training' }, // row 8
      { emotion: 3, usage: 'Validation' }, // row 9
      { emotion: 3 }, // row 10: no Usage field
      { emotion: 4, usage: 'PrivateTest' }, // row 11, fine
    ]);
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.rows).toBe(2);
    expect(Array.from(parsed.labels)).toEqual([0, 4]);
    expect(parsed.skipped.count).toBe(8);
    expect(parsed.skipped.first).toEqual([
      'row 3: expected 2304 pixels, found 2303',
      'row 4: expected 2304 pixels, found 2305',
      'row 5: pixel 100 is 256, outside 0–255',
      "row 6: pixel 4 is 'abc', not an integer 0–255",
      "row 7: emotion '7' is not an integer 0–6 (Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral)",
      "row 8: emotion 'x' is not an integer 0–6 (Angry, Disgust, Fear, Happy, Sad, Surprise, Neutral)",
      "row 9: Usage 'Validation' is not one of Training, PublicTest, PrivateTest",
      'row 10: expected 3 columns, found 2',
    ]);
  });

  it('reports the same messages when the bad row goes through the full CSV path (quoted)', async () => {
    const csv = `emotion,pixels,Usage,note\n"9","${testPixels(0).join(' ')}",Training,"a ""quoted"" note"\n`;
    const parsed = await parseFerBlob(text(csv)).catch((error: Error) => error);
    expect(parsed).toBeInstanceOf(FerCsvError);
    expect((parsed as Error).message).toContain("row 2: emotion '9' is not an integer 0–6");
  });

  it('counts every bad row but keeps only the first 20 messages', async () => {
    const rows = [...validRows(1), ...Array.from({ length: 25 }, () => ({ emotion: 'bad', usage: 'Training' }))];
    const parsed = await parseFerBlob(text(ferCsv(rows)));
    expect(parsed.skipped.count).toBe(25);
    expect(parsed.skipped.first).toHaveLength(MAX_REPORTED_ROWS);
    expect(parsed.skipped.first[0]).toMatch(/^row 3: /);
    expect(parsed.skipped.first[19]).toMatch(/^row 22: /);
  });

  it('reports a quoted field that is never closed', async () => {
    const csv = `${ferCsv(validRows(1))}2,"${testPixels(1).join(' ')},Training\n`;
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.rows).toBe(1);
    expect(parsed.skipped.first).toEqual(['row 3: a quoted field is never closed (missing ")']);
  });
});

describe('parseFerBlob: a header line repeated mid-file', () => {
  it('is skipped as a repeated header, not as a bad emotion, and the rows after it load', async () => {
    const csv = ferCsv(validRows(3)) + 'emotion,pixels,Usage\n' + ferCsv(validRows(2)).split('\n').slice(1).join('\n');
    const parsed = await parseFerBlob(text(csv));
    expect(parsed.rows).toBe(5);
    expect(parsed.skipped.first).toEqual([expect.stringMatching(/^row 5: it repeats the header line/)]);
  });
});

describe('parseFerBlob: files that cannot be loaded', () => {
  const rejects = (data: BlobPart, pattern: RegExp) => expect(parseFerBlob(new Blob([data]))).rejects.toThrow(pattern);

  it('an empty file', () => rejects('', /empty \(0 bytes\)/));
  it('a header without the pixels column', () => rejects('emotion,image,Usage\n0,1 2 3,Training\n', /column pixels is missing/));
  it('a file whose first line is data, not a header', () =>
    rejects(ferLine({ emotion: 0, usage: 'Training' }) + '\n', /column emotion and pixels is missing/));
  it('a header and no rows', () => rejects('emotion,pixels,Usage\n', /no valid rows: it has a header but no data rows/));
  it('only bad rows', () => rejects('emotion,pixels,Usage\n9,1 2,Training\n', /no valid rows: all 1 data rows are invalid \(row 2: emotion '9'/));
  it('a PNG image', () => rejects(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0]), /not a CSV text file: it looks like a PNG image/));
  it('the start of a ZIP archive', () => rejects(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0]), /ZIP archive is damaged or cut short/));
  it('the start of a gzip file', () => rejects(new Uint8Array([0x1f, 0x8b, 8, 0]), /gzip file is damaged or cut short/));
  it('other binary data', () => rejects(new Uint8Array([1, 2, 3, 0, 5, 6]), /binary data/));
  it('a file separated by semicolons', () =>
    rejects(`emotion;pixels;Usage\n0;${testPixels(0).join(' ')};Training\n`, /the columns are separated by ';', not commas\. FER2013 files are comma-separated/));
  it('a file separated by tabs', () => rejects(`emotion\tpixels\tUsage\n`, /the columns are separated by tabs, not commas/));
  it('a row of megabytes without a line break', () =>
    rejects(`emotion,pixels,Usage\n0,${'1 '.repeat(1_500_000)}`, /row 2 runs past 1 MB without a line break; FER2013 rows are about 9 KB/));
  it('a quoted field that never closes over megabytes of lines', () =>
    rejects(`emotion,pixels,Usage\n0,"${'1 2 3\n'.repeat(300_000)}`, /runs past 1 MB without a line break/));
  it('a gzip bomb: 200 MB of one "line" from 200 KB, refused after the first megabyte', async () => {
    const bomb = gzipSync(new Uint8Array(200 * 2 ** 20).fill(0x31), { level: 1 });
    expect(bomb.length).toBeLessThan(2 * 2 ** 20);
    // Count what the platform's DecompressionStream hands the parser: refused long before 200 MB are inflated
    // (the test used to time this, which a loaded machine can make fail).
    const Native = globalThis.DecompressionStream;
    let inflatedBytes = 0;
    class CountingDecompressionStream {
      readonly writable: WritableStream<BufferSource>;
      readonly readable: ReadableStream<Uint8Array>;
      constructor(format: CompressionFormat) {
        const inner = new Native(format);
        const count = new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            inflatedBytes += chunk.byteLength;
            controller.enqueue(chunk);
          },
        });
        this.writable = inner.writable;
        this.readable = inner.readable.pipeThrough(count);
      }
    }
    globalThis.DecompressionStream = CountingDecompressionStream as unknown as typeof DecompressionStream;
    try {
      await expect(parseFerBlob(new Blob([bomb], { type: 'application/gzip' }))).rejects.toThrow(/runs past 1 MB without a line break/);
    } finally {
      globalThis.DecompressionStream = Native;
    }
    // Measured: 1,064,960 bytes (the first megabyte and the stream's next chunk); a bound, not a clock.
    expect(inflatedBytes).toBeGreaterThan(2 ** 20);
    expect(inflatedBytes).toBeLessThan(4 * 2 ** 20);
  });
});
