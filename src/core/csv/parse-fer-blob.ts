// Streams a FER2013 CSV Blob/File into typed arrays. Runs in the dataset worker and in Node tests (Blob,
// TextDecoder and streams exist in both); no DOM.
//
// Speed: the Kaggle file is 300 MB of plain `label,pixels,Usage` lines. Decoding that to JS strings and
// tokenising it costs more than the rest of the work, so lines are found and parsed as bytes
// (FerCsvBuilder.addLine); papaparse tokenises the header and any record that needs the full CSV grammar
// (doubled quotes, quoted line breaks). Both produce the same rows (see the tests).
import Papa from 'papaparse';
import type { ParsedDataset } from '../dataset/types';
import { FerCsvBuilder, FerCsvError, ROW_NEEDS_CSV } from './fer-csv-builder';
import { openCsvSource } from './csv-source';
import { SNIFF_BYTES, sniffText, type TextEncoding } from './sniff';

export interface ParseProgress {
  bytesRead: number;
  bytesTotal: number;
  /** Valid rows so far. */
  rows: number;
  skipped: number;
}

export interface ParseFerOptions {
  /** Called at most every progressIntervalMs, and always once at the end. */
  onProgress?: (progress: ParseProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
  /** How long a read of the file may deliver nothing before it is read again from there (see READ_STALL_MS). */
  readStallMs?: number;
}

const NEWLINE = 10;
/**
 * Longest record accepted, in bytes. A FER2013 row is at most ~9.3 KB (2,304 pixels of up to 4 bytes); a
 * longer "line" (a file without line breaks, or a decompression bomb of zeros) would otherwise be gathered in
 * memory whole before it could be judged.
 */
export const MAX_RECORD_BYTES = 1 << 20;
const QUOTE = 34;

function countQuotes(bytes: Uint8Array, start: number, end: number): number {
  // Searching a subarray: indexOf on the whole chunk would scan to its end for every line without a quote
  // (quadratic over a chunk of many short lines).
  const line = bytes.subarray(start, end);
  let count = 0;
  for (let at = line.indexOf(QUOTE); at >= 0; at = line.indexOf(QUOTE, at + 1)) count++;
  return count;
}

function tokenize(text: string): string[][] {
  const result = Papa.parse<string[]>(text, { delimiter: ',', skipEmptyLines: false });
  if (result.errors.length > 0) throw new FerCsvError(result.errors[0].message.toLowerCase());
  return result.data;
}

/**
 * Splits a byte stream into CSV records and feeds them to a FerCsvBuilder: push() chunks of any size in
 * order, then end(). Only a line cut by a chunk boundary is copied.
 */
export class FerCsvLineSplitter {
  private carry: Uint8Array | null = null;
  /** Records seen so far, blank ones included: the spreadsheet row number of the latest. */
  private recordIndex = 0;
  private headerSeen = false;
  /** Text of a quoted record that spans lines, while its closing quote is still to come. */
  private pending: { text: string; quotes: number; rowNumber: number } | null = null;
  private readonly decoder = new TextDecoder();
  private readonly builder: FerCsvBuilder;

  constructor(builder: FerCsvBuilder) {
    this.builder = builder;
  }

  push(chunk: Uint8Array): void {
    let from = 0;
    if (this.carry !== null) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        if (this.carry.length + chunk.length > MAX_RECORD_BYTES) this.tooLong();
        this.carry = concat(this.carry, chunk);
        return;
      }
      const line = concat(this.carry, chunk.subarray(0, newline));
      this.carry = null;
      this.line(line, 0, line.length);
      from = newline + 1;
    }
    for (let newline = chunk.indexOf(NEWLINE, from); newline >= 0; newline = chunk.indexOf(NEWLINE, from)) {
      this.line(chunk, from, newline);
      from = newline + 1;
    }
    if (from < chunk.length) {
      if (chunk.length - from > MAX_RECORD_BYTES) this.tooLong();
      this.carry = chunk.slice(from);
    }
  }

  private tooLong(): never {
    throw new FerCsvError(
      `row ${this.recordIndex + 1} runs past ${MAX_RECORD_BYTES / 2 ** 20} MB without a line break; FER2013 rows are about 9 KB each (emotion,pixels,Usage on one line), so this is not a FER2013 CSV`,
    );
  }

  end(): void {
    if (this.carry !== null) {
      const line = this.carry;
      this.carry = null;
      this.line(line, 0, line.length);
    }
    if (this.pending !== null) {
      const { rowNumber } = this.pending;
      this.pending = null;
      this.builder.skip(rowNumber, 'a quoted field is never closed (missing ")');
    }
  }

  private line(bytes: Uint8Array, start: number, end: number): void {
    if (this.pending !== null) {
      this.continuePending(bytes, start, end);
      return;
    }
    this.recordIndex++;
    if (!this.headerSeen) {
      this.header(bytes, start, end);
      return;
    }
    const rowNumber = this.recordIndex;
    if (this.builder.addLine(bytes, start, end, rowNumber) !== ROW_NEEDS_CSV) return;
    const quotes = countQuotes(bytes, start, end);
    const text = this.decoder.decode(bytes.subarray(start, end));
    if (quotes % 2 === 1) this.pending = { text, quotes, rowNumber };
    else this.record(text, rowNumber);
  }

  private header(bytes: Uint8Array, start: number, end: number): void {
    // A fresh decoder strips a UTF-8 byte-order mark.
    const text = new TextDecoder().decode(bytes.subarray(start, end)).replace(/\r$/, '');
    if (text.trim() === '') return; // leading blank lines before the header
    this.headerSeen = true;
    this.builder.setHeader(tokenize(text)[0] ?? []);
  }

  private continuePending(bytes: Uint8Array, start: number, end: number): void {
    const pending = this.pending!;
    if (pending.text.length + (end - start) > MAX_RECORD_BYTES) this.tooLong();
    pending.text += '\n' + this.decoder.decode(bytes.subarray(start, end));
    pending.quotes += countQuotes(bytes, start, end);
    if (pending.quotes % 2 === 0) {
      this.pending = null;
      this.record(pending.text, pending.rowNumber);
    }
  }

  private record(text: string, rowNumber: number): void {
    let records: string[][];
    try {
      records = tokenize(text);
    } catch (error) {
      this.builder.skip(rowNumber, `unreadable CSV (${(error as Error).message})`);
      return;
    }
    for (const fields of records) this.builder.addRecord(fields, rowNumber);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function abortError(): Error {
  return new DOMException('Parsing was cancelled', 'AbortError');
}

/**
 * Parses a FER2013 CSV (header `emotion,pixels[,Usage]` in any order, extra columns ignored) without ever
 * holding the whole text: bytes are read chunk by chunk and valid rows packed into typed arrays. Bad rows
 * are skipped and reported; a file-level problem rejects with FerCsvError, cancelling with an AbortError.
 * @returns pixels Uint8Array(rows*2304), labels/usage Uint8Array(rows); the caller owns them.
 */
export async function parseFerBlob(blob: Blob, options: ParseFerOptions = {}): Promise<ParsedDataset> {
  const { onProgress, signal, progressIntervalMs = 100, readStallMs } = options;
  if (signal?.aborted) throw abortError();
  if (blob.size === 0) throw new FerCsvError('the file is empty (0 bytes)');

  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  const source = await openCsvSource(blob, head, { stallMs: readStallMs });
  // The CSV's own first bytes decide whether it is text (for an archive, they come with the first chunk).
  let encoding: TextEncoding | null = null;
  const checkText = (first: Uint8Array) => {
    const sniffed = sniffText(first.subarray(0, SNIFF_BYTES));
    if (!sniffed.ok) throw new FerCsvError(sniffed.reason);
    return sniffed.encoding;
  };
  // UTF-16 files are rare: transcode them to UTF-8 bytes so there is one parser.
  let transcoder: TextDecoder | null = null;
  const encoder = new TextEncoder();

  const builder = new FerCsvBuilder(64);
  const splitter = new FerCsvLineSplitter(builder);
  let lastProgressAt = -Infinity;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!onProgress || (!force && now - lastProgressAt < progressIntervalMs)) return;
    lastProgressAt = now;
    onProgress({ bytesRead: Math.min(source.bytesConsumed(), blob.size), bytesTotal: blob.size, rows: builder.rowCount, skipped: builder.skippedCount });
  };

  report(true); // at once, so the UI shows the file's size before the first chunk arrives
  for await (const value of source.chunks) {
    if (signal?.aborted) throw abortError();
    if (encoding === null) {
      encoding = checkText(value);
      if (encoding !== 'utf-8') transcoder = new TextDecoder(encoding);
    }
    splitter.push(transcoder ? encoder.encode(transcoder.decode(value, { stream: true })) : value);
    // Size the arrays from the rows per file byte seen so far, so they rarely grow (each growth copies).
    const bytesRead = source.bytesConsumed();
    if (builder.rowCount > 0 && bytesRead < blob.size) {
      const expected = (builder.rowCount * blob.size) / bytesRead;
      if (expected > builder.rowCapacity) builder.reserve(expected * 1.06 + 16);
    }
    report(false);
  }
  if (encoding === null) throw new FerCsvError('the archive holds an empty .csv file');
  if (transcoder) splitter.push(encoder.encode(transcoder.decode()));
  splitter.end();
  if (signal?.aborted) throw abortError();
  report(true);
  return builder.finish();
}
