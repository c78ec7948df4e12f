// Pure FER2013 row validation and packing into typed arrays. Runs in the dataset worker and in Node; no DOM.
//
// Rows arrive either as raw bytes of one CSV line (the fast path: plain or simply quoted fields, which is
// every row of the Kaggle file) or as field strings from papaparse (anything else the CSV grammar allows).
// Valid rows are packed into one growing Uint8Array, so no per-pixel JS numbers are ever kept.
import { PIXELS, USAGES, USAGE_TRAINING } from '../dataset/face-format';
import { FER2013_EMOTIONS, FER2013_LABELS } from '../labels/fer2013';
import type { ParsedDataset, SkippedRows } from '../dataset/types';

/** How many skipped-row messages are kept for the report (all are counted). */
export const MAX_REPORTED_ROWS = 20;

/** A problem with the file as a whole (header, no valid rows): nothing from it is loaded. */
export class FerCsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FerCsvError';
  }
}

interface Columns {
  emotion: number;
  pixels: number;
  usage: number; // -1 when absent
  /** Columns a record needs so every used field is present. */
  needed: number;
}

const COMMA = 44;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const ZERO = 48;

/** Result codes of the byte-level record parser. */
const ROW_OK = 0;
const ROW_BAD = 1;
/** The line needs the full CSV grammar (doubled quotes, a quoted field running past the line). */
export const ROW_NEEDS_CSV = 2;

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** 1 for the bytes '0'..'9'. */
const IS_DIGIT = new Uint8Array(256);
IS_DIGIT.fill(1, ZERO, ZERO + 10);
/** 1 for bytes that may separate pixel values: space, tab, CR. */
const IS_SEPARATOR = new Uint8Array(256);
IS_SEPARATOR[SPACE] = IS_SEPARATOR[TAB] = IS_SEPARATOR[CR] = 1;

/**
 * Parses a space-separated pixel field bytes[start..end) into out[offset .. offset+PIXELS).
 * Returns how many integers the field holds, or -1 when it holds something that is not an integer 0–255.
 * Writes at most PIXELS values.
 *
 * Speed: numbers of 1, 2 and 3 digits come in random order, so branching on their length mispredicts
 * about once per number. The main loop instead computes each number's length and value arithmetically
 * from the next four bytes (all inside the field); its remaining branches only fire on bad input.
 */
export function parsePixelBytes(bytes: Uint8Array, start: number, end: number, out: Uint8Array, offset: number): number {
  // Local copies: module-level consts cost a context load and a TDZ check per use in the hot loop.
  const isDigit = IS_DIGIT;
  const isSeparator = IS_SEPARATOR;
  let count = 0;
  let i = start;
  while (i + 3 < end) {
    const b0 = bytes[i];
    if (isDigit[b0] === 0) {
      if (isSeparator[b0] === 0) return -1;
      i++;
      continue;
    }
    const d1 = isDigit[bytes[i + 1]];
    const d2 = d1 & isDigit[bytes[i + 2]];
    if ((d2 & isDigit[bytes[i + 3]]) !== 0) return -1; // four or more digits
    const v1 = b0 - ZERO;
    const v2 = v1 * 10 + bytes[i + 1] - ZERO;
    const v3 = v2 * 10 + bytes[i + 2] - ZERO;
    const value = v1 + d1 * (v2 - v1) + d2 * (v3 - v2);
    const length = 1 + d1 + d2;
    if (value > 255 || isSeparator[bytes[i + length]] === 0) return -1;
    if (count < PIXELS) out[offset + count] = value;
    count++;
    i += length + 1;
  }
  // The last few bytes, one at a time.
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const byte = bytes[i];
    if (isDigit[byte] === 1) {
      value = value * 10 + byte - ZERO;
      digits++;
    } else if (isSeparator[byte] === 1) {
      if (digits !== 0) {
        if (value > 255) return -1;
        if (count < PIXELS) out[offset + count] = value;
        count++;
        value = 0;
        digits = 0;
      }
    } else {
      return -1;
    }
  }
  if (digits !== 0) {
    if (value > 255) return -1;
    if (count < PIXELS) out[offset + count] = value;
    count++;
  }
  return count;
}

/** The slow path behind a -1 from parsePixelBytes: names the first bad value and its 1-based position. */
export function describePixelProblem(field: string): string {
  const tokens = field.split(/[ \t\r]+/).filter((token) => token.length > 0);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!/^\d+$/.test(token)) return `pixel ${i + 1} is '${clip(token)}', not an integer 0–255`;
    if (Number(token) > 255) return `pixel ${i + 1} is ${clip(token)}, outside 0–255`;
  }
  return 'pixels field is malformed';
}

function clip(text: string, max = 20): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function findColumns(header: string[]): Columns {
  const names = header.map((name) => name.trim().toLowerCase());
  const emotion = names.indexOf('emotion');
  const pixels = names.indexOf('pixels');
  const usage = names.indexOf('usage');
  const missing = [emotion < 0 ? 'emotion' : null, pixels < 0 ? 'pixels' : null].filter(Boolean);
  if (missing.length > 0) {
    // A spreadsheet saved with another separator: the header is one field holding every name.
    const line = header.join(',');
    const separator = [';', '\t', '|'].find((sep) => {
      const parts = line.toLowerCase().split(sep).map((name) => name.trim());
      return parts.includes('emotion') && parts.includes('pixels');
    });
    if (separator) {
      const name = separator === '\t' ? 'tabs' : `'${separator}'`;
      throw new FerCsvError(
        `the columns are separated by ${name}, not commas. FER2013 files are comma-separated (emotion,pixels,Usage): save the file as CSV with commas. First line: "${clip(line, 80)}"`,
      );
    }
    throw new FerCsvError(
      `the header must name the columns emotion and pixels (and optionally Usage); ` +
        `column ${missing.join(' and ')} is missing. First line: "${clip(header.join(','), 80)}"`,
    );
  }
  return { emotion, pixels, usage, needed: Math.max(emotion, pixels, usage) + 1 };
}

/** Label from text: an integer 0–6, else -1. */
function labelFromText(field: string): number {
  const text = field.trim();
  if (text.length !== 1) return -1;
  const digit = text.charCodeAt(0) - ZERO;
  return digit >= 0 && digit < FER2013_EMOTIONS.length ? digit : -1;
}

function usageFromText(field: string): number {
  return USAGES.indexOf(field.trim() as (typeof USAGES)[number]);
}

/** USAGES as bytes, for comparing without decoding. */
const USAGE_BYTES = USAGES.map((name) => utf8Encoder.encode(name));

/** Usage from bytes[start..end) (surrounding spaces allowed), else -1. */
function usageFromBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && bytes[start] === SPACE) start++;
  while (end > start && (bytes[end - 1] === SPACE || bytes[end - 1] === CR)) end--;
  const length = end - start;
  outer: for (let k = 0; k < USAGE_BYTES.length; k++) {
    const name = USAGE_BYTES[k];
    if (name.length !== length) continue;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== name[i]) continue outer;
    return k;
  }
  return -1;
}

/** Label from bytes[start..end) (surrounding spaces allowed): an integer 0–6, else -1. */
function labelFromBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && bytes[start] === SPACE) start++;
  while (end > start && bytes[end - 1] === SPACE) end--;
  if (end - start !== 1) return -1;
  const digit = bytes[start] - ZERO;
  return digit >= 0 && digit < FER2013_EMOTIONS.length ? digit : -1;
}

/**
 * Validates FER2013 records and packs the valid ones.
 * Usage: setHeader(first record), then addLine / addRecord per record, then finish().
 * Row numbers are as a spreadsheet shows them: the header is row 1.
 */
export class FerCsvBuilder {
  private columns: Columns | null = null;
  private pixels: Uint8Array;
  private labels: Uint8Array;
  private usage: Uint8Array;
  private capacity: number;
  private rows = 0;
  private readonly skipped: SkippedRows = { count: 0, first: [] };
  /** Field bounds of the line being parsed: [start, end) per column, reused to avoid allocation. */
  private fieldStart = new Int32Array(0);
  private fieldEnd = new Int32Array(0);

  /** @param expectedRows initial capacity in rows; reserve() or growth by half adds more. */
  constructor(expectedRows = 1024) {
    this.capacity = Math.max(16, Math.ceil(expectedRows));
    this.pixels = new Uint8Array(this.capacity * PIXELS);
    this.labels = new Uint8Array(this.capacity);
    this.usage = new Uint8Array(this.capacity);
  }

  get hasHeader(): boolean {
    return this.columns !== null;
  }

  get rowCount(): number {
    return this.rows;
  }

  get rowCapacity(): number {
    return this.capacity;
  }

  get skippedCount(): number {
    return this.skipped.count;
  }

  /** Throws FerCsvError when the header lacks the emotion or pixels column. */
  setHeader(fields: string[]): void {
    const columns = findColumns(fields);
    this.columns = columns;
    this.fieldStart = new Int32Array(columns.needed);
    this.fieldEnd = new Int32Array(columns.needed);
  }

  /** Grows capacity to hold at least `rows` rows (a hint, e.g. from the file size). */
  reserve(rows: number): void {
    if (rows > this.capacity) this.resize(Math.ceil(rows));
  }

  /**
   * Fast path: one CSV line as bytes[start..end), without its line ending. Handles plain fields and
   * fields wrapped in one pair of quotes. Returns ROW_NEEDS_CSV (and records nothing) when the line needs
   * the full CSV grammar; the caller then tokenises it with papaparse and calls addRecord.
   */
  addLine(bytes: Uint8Array, start: number, end: number, rowNumber: number): number {
    const columns = this.columns;
    if (columns === null) throw new Error('setHeader must be called before addLine');
    if (end > start && bytes[end - 1] === CR) end--;
    if (end === start) return ROW_OK; // blank line, e.g. the trailing newline
    const { fieldStart, fieldEnd } = this;
    let found = 0;
    let at = start;
    while (found < columns.needed) {
      if (bytes[at] === QUOTE) {
        const close = bytes.indexOf(QUOTE, at + 1);
        // Only `"…"` followed by a comma or the line end is simple; `""` escapes and line breaks are not.
        if (close < 0 || close >= end || (close + 1 < end && bytes[close + 1] !== COMMA)) return ROW_NEEDS_CSV;
        fieldStart[found] = at + 1;
        fieldEnd[found] = close;
        found++;
        at = close + 2;
      } else {
        let comma = bytes.indexOf(COMMA, at);
        if (comma < 0 || comma > end) comma = end;
        fieldStart[found] = at;
        fieldEnd[found] = comma;
        found++;
        at = comma + 1;
      }
      if (at > end) break;
    }
    if (found < columns.needed) {
      this.skip(rowNumber, `expected ${columns.needed} columns, found ${found}`);
      return ROW_BAD;
    }
    // Columns we do not use may hold quotes (even a quoted line break): leave those lines to papaparse.
    if (at < end) {
      const quote = bytes.indexOf(QUOTE, at);
      if (quote >= 0 && quote < end) return ROW_NEEDS_CSV;
    }
    const label = labelFromBytes(bytes, fieldStart[columns.emotion], fieldEnd[columns.emotion]);
    if (label < 0) {
      this.badLabel(rowNumber, utf8.decode(bytes.subarray(fieldStart[columns.emotion], fieldEnd[columns.emotion])));
      return ROW_BAD;
    }
    let usage = USAGE_TRAINING;
    if (columns.usage >= 0) {
      usage = usageFromBytes(bytes, fieldStart[columns.usage], fieldEnd[columns.usage]);
      if (usage < 0) {
        this.badUsage(rowNumber, utf8.decode(bytes.subarray(fieldStart[columns.usage], fieldEnd[columns.usage])));
        return ROW_BAD;
      }
    }
    const pixelStart = fieldStart[columns.pixels];
    const pixelEnd = fieldEnd[columns.pixels];
    if (this.rows === this.capacity) this.resize(Math.ceil(this.capacity * 1.5));
    const count = parsePixelBytes(bytes, pixelStart, pixelEnd, this.pixels, this.rows * PIXELS);
    if (count !== PIXELS) {
      this.badPixels(rowNumber, count, () => utf8.decode(bytes.subarray(pixelStart, pixelEnd)));
      return ROW_BAD;
    }
    this.labels[this.rows] = label;
    this.usage[this.rows] = usage;
    this.rows++;
    return ROW_OK;
  }

  /** Slow path: one record already split into fields (by papaparse). Blank records are ignored. */
  addRecord(fields: string[], rowNumber: number): void {
    const columns = this.columns;
    if (columns === null) throw new Error('setHeader must be called before addRecord');
    if (fields.length < columns.needed) {
      if (fields.length === 1 && fields[0].trim() === '') return;
      this.skip(rowNumber, `expected ${columns.needed} columns, found ${fields.length}`);
      return;
    }
    const label = labelFromText(fields[columns.emotion]);
    if (label < 0) return this.badLabel(rowNumber, fields[columns.emotion]);
    let usage = USAGE_TRAINING;
    if (columns.usage >= 0) {
      usage = usageFromText(fields[columns.usage]);
      if (usage < 0) return this.badUsage(rowNumber, fields[columns.usage]);
    }
    const field = fields[columns.pixels];
    const bytes = utf8Encoder.encode(field);
    if (this.rows === this.capacity) this.resize(Math.ceil(this.capacity * 1.5));
    const count = parsePixelBytes(bytes, 0, bytes.length, this.pixels, this.rows * PIXELS);
    if (count !== PIXELS) return this.badPixels(rowNumber, count, () => field);
    this.labels[this.rows] = label;
    this.usage[this.rows] = usage;
    this.rows++;
  }

  /** Records a row that was not loaded. */
  skip(rowNumber: number, reason: string): void {
    this.skipped.count++;
    if (this.skipped.first.length < MAX_REPORTED_ROWS) this.skipped.first.push(`row ${rowNumber}: ${reason}`);
  }

  /**
   * Returns the packed rows. pixels is a view of exactly rows*PIXELS bytes (its buffer may hold some
   * slack capacity; transfer pixels.buffer). Throws FerCsvError when there is no header or no valid row.
   */
  finish(): ParsedDataset {
    if (this.columns === null) throw new FerCsvError('the file is empty: no header line was found');
    if (this.rows === 0) {
      const why =
        this.skipped.count === 0
          ? 'it has a header but no data rows'
          : `all ${this.skipped.count} data rows are invalid (${this.skipped.first[0]})`;
      throw new FerCsvError(`no valid rows: ${why}`);
    }
    const rows = this.rows;
    return {
      rows,
      pixels: this.pixels.subarray(0, rows * PIXELS),
      labels: this.labels.subarray(0, rows),
      usage: this.usage.subarray(0, rows),
      labelSet: FER2013_LABELS,
      hasUsage: this.columns.usage >= 0,
      skipped: { count: this.skipped.count, first: [...this.skipped.first] },
    };
  }

  private badLabel(rowNumber: number, text: string): void {
    if (text.trim().toLowerCase() === 'emotion') {
      this.skip(rowNumber, 'it repeats the header line (emotion,pixels,…): files joined together? The rows after it are read as usual');
      return;
    }
    this.skip(rowNumber, `emotion '${clip(text.trim())}' is not an integer 0–6 (${FER2013_EMOTIONS.join(', ')})`);
  }

  private badUsage(rowNumber: number, text: string): void {
    this.skip(rowNumber, `Usage '${clip(text.trim())}' is not one of ${USAGES.join(', ')}`);
  }

  private badPixels(rowNumber: number, count: number, text: () => string): void {
    this.skip(rowNumber, count < 0 ? describePixelProblem(text()) : `expected ${PIXELS} pixels, found ${count}`);
  }

  private resize(capacity: number): void {
    const pixels = new Uint8Array(capacity * PIXELS);
    pixels.set(this.pixels.subarray(0, this.rows * PIXELS));
    const labels = new Uint8Array(capacity);
    labels.set(this.labels.subarray(0, this.rows));
    const usage = new Uint8Array(capacity);
    usage.set(this.usage.subarray(0, this.rows));
    this.pixels = pixels;
    this.labels = labels;
    this.usage = usage;
    this.capacity = capacity;
  }
}
