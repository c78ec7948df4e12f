// Opens what a user drops as a stream of CSV bytes: the CSV itself, or a CSV packed as Kaggle ships it
// (fer2013.tar.gz, a .zip, or a .csv.gz). Decompression is the platform's DecompressionStream (native zlib in
// browsers and Node 18+), so an archive costs little more than the plain file. Pure; no DOM.
import { entryDataStart, readZipDirectory, unreadableReason, ZipError, type ZipEntry } from '../archive/zip';
import { FerCsvError } from './fer-csv-builder';

export interface CsvSource {
  /** The CSV's bytes in order. A chunk may be a view of a reused buffer: valid until the next is asked for. */
  chunks: AsyncIterable<Uint8Array>;
  /** Bytes of the dropped file used so far (compressed bytes for an archive): progress against blob.size. */
  bytesConsumed: () => number;
}

/** Size of the buffer a plain file is read into, reused for every chunk. */
const READ_BUFFER_BYTES = 1 << 20;

/**
 * How long one read of a file may deliver nothing before it is given up and the file read again from the byte
 * where it stopped. A read of a local file takes milliseconds; an e2e run on a busy machine once saw Chromium's
 * stream of a picked file stop delivering for good after 7 MiB, leaving the load frozen with no message.
 */
export const READ_STALL_MS = 15_000;
/** Fresh reads in a row that deliver nothing before the load fails with a message. */
const STALLED_READS_ALLOWED = 3;

export interface BlobChunkOptions {
  /** See READ_STALL_MS (tests pass a short one). */
  stallMs?: number;
  /** A new buffer per chunk, so chunks stay valid (for a consumer that keeps them, e.g. a decompressor). */
  freshBuffers?: boolean;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The read's result, or null when it has not settled within `ms`. */
async function within<T>(read: Promise<T>, ms: number): Promise<T | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([read, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The bytes of a blob in order. Unless freshBuffers is set, each chunk is a view of one reused buffer, valid
 * only until the next chunk is asked for: reading into our own buffer ("BYOB") ran 3–4x faster in Chromium than
 * the default reader, which allocates a fresh ArrayBuffer per chunk (see README, bench:ingest). A read that
 * delivers nothing for stallMs is abandoned and the blob read again from there (blob.slice); after
 * STALLED_READS_ALLOWED such reads in a row, it fails with a FerCsvError saying where it stopped.
 */
export async function* blobChunks(blob: Blob, { stallMs = READ_STALL_MS, freshBuffers = false }: BlobChunkOptions = {}): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let stalled = 0;
  let buffer = new ArrayBuffer(READ_BUFFER_BYTES);
  reading: for (;;) {
    const stream = (offset === 0 ? blob : blob.slice(offset)).stream();
    let byob: ReadableStreamBYOBReader | null = null;
    try {
      byob = stream.getReader({ mode: 'byob' });
    } catch {
      // Not a byte stream in this runtime: the default reader.
    }
    const plain = byob ? null : stream.getReader();
    const read = (): Promise<ReadableStreamReadResult<Uint8Array>> => (byob ? byob.read(new Uint8Array(buffer)) : plain!.read());
    let finished = false;
    try {
      for (;;) {
        if (freshBuffers) buffer = new ArrayBuffer(READ_BUFFER_BYTES);
        const result = await within(read(), stallMs);
        if (result === null) {
          // The pending read keeps the buffer it was given: later reads need another.
          buffer = new ArrayBuffer(READ_BUFFER_BYTES);
          if (++stalled >= STALLED_READS_ALLOWED) {
            throw new FerCsvError(
              `reading the file stopped at ${megabytes(offset)} of ${megabytes(blob.size)}: the browser delivered no more of its bytes (${STALLED_READS_ALLOWED} tries of ${stallMs / 1000} s each). Load it again; if it stops again, reload the page first`,
            );
          }
          // Said in the console, so that a test run that recovered this way still shows it happened.
          console.warn(`reading the file: nothing for ${stallMs / 1000} s at ${megabytes(offset)} of ${megabytes(blob.size)}; reading again from there`);
          continue reading; // `finally` cancels this stream
        }
        if (result.done || result.value === undefined) {
          finished = true;
          return;
        }
        stalled = 0;
        offset += result.value.length;
        yield result.value;
        if (byob) buffer = result.value.buffer as ArrayBuffer; // the read detached our buffer and hands it back here
      }
    } finally {
      // Not awaited: cancelling a stream whose read never settles may never settle either.
      if (!finished) void (byob ?? plain)!.cancel().catch(() => undefined);
    }
  }
}

/** A stream of the chunks (each must stay valid once yielded); cancelling it stops the generator. */
function streamOf(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The chunks of a stream; stopping early cancels it (and so whatever feeds it, e.g. a decompressor). */
async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
const GZIP = [0x1f, 0x8b];
const ZIP_LOCAL_FILE = [0x50, 0x4b, 0x03, 0x04];

/** A CSV entry of an archive: not a folder, not macOS resource-fork litter. */
export const isCsvName = (name: string) => /\.csv$/i.test(name) && !/(^|\/)(__MACOSX\/|\._)/.test(name);

/**
 * The CSV in `blob`, given its first bytes. Rejects with FerCsvError when an archive holds no CSV or is
 * packed in a way we cannot read (the message says what to do instead).
 */
export async function openCsvSource(blob: Blob, head: Uint8Array, reading: Pick<BlobChunkOptions, 'stallMs'> = {}): Promise<CsvSource> {
  if (startsWith(head, GZIP)) return openGzip(blob, reading);
  if (startsWith(head, ZIP_LOCAL_FILE)) return openZip(blob, reading);
  let consumed = 0;
  const counted = async function* () {
    for await (const chunk of blobChunks(blob, reading)) {
      consumed += chunk.length;
      yield chunk;
    }
  };
  return { chunks: counted(), bytesConsumed: () => consumed };
}

/** A stream of `blob` through `format`'s decompressor, counting the compressed bytes read. */
function decompressed(blob: Blob, format: 'gzip' | 'deflate-raw', reading: Pick<BlobChunkOptions, 'stallMs'>): { stream: ReadableStream<Uint8Array>; consumed: () => number } {
  let consumed = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      consumed += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const stream = streamOf(blobChunks(blob, { ...reading, freshBuffers: true }))
    .pipeThrough(counter)
    .pipeThrough(new DecompressionStream(format) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>);
  return { stream, consumed: () => consumed };
}

/** The error to report when a decompressor fails (its own TypeError names no file). */
function damaged(what: string, error: unknown): unknown {
  if (error instanceof FerCsvError || (error instanceof DOMException && error.name === 'AbortError')) return error;
  return new FerCsvError(`the ${what} is damaged or cut short (${(error as Error).message})`);
}

async function* explainingDamage(chunks: AsyncIterable<Uint8Array>, what: string): AsyncGenerator<Uint8Array> {
  try {
    yield* chunks;
  } catch (error) {
    throw damaged(what, error);
  }
}

// ---- gzip and tar.gz ----

const TAR_BLOCK = 512;

async function openGzip(blob: Blob, reading: Pick<BlobChunkOptions, 'stallMs'>): Promise<CsvSource> {
  const { stream, consumed } = decompressed(blob, 'gzip', reading);
  const chunks = streamChunks(stream);
  // Peek at the first block: a tar archive (fer2013.tar.gz) says "ustar" at byte 257 of its first header.
  const first: Uint8Array[] = [];
  for (let peeked = 0; peeked < TAR_BLOCK; ) {
    let next: IteratorResult<Uint8Array>;
    try {
      next = await chunks.next();
    } catch (error) {
      throw damaged('gzip file', error);
    }
    if (next.done) break;
    first.push(next.value);
    peeked += next.value.length;
  }
  const head = concatAll(first);
  const all = async function* () {
    if (head.length > 0) yield head;
    yield* chunks;
  };
  const isTar = head.length >= TAR_BLOCK && String.fromCharCode(...head.subarray(257, 262)) === 'ustar';
  if (!isTar) return { chunks: explainingDamage(all(), 'gzip file'), bytesConsumed: consumed };
  return { chunks: explainingDamage(firstCsvInTar(all()), 'tar.gz archive'), bytesConsumed: consumed };
}

/** Streams the content of the first .csv file out of a tar byte stream (ustar and GNU long names). */
export async function* firstCsvInTar(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const files: string[] = [];
  const header = new Uint8Array(TAR_BLOCK);
  let headerFill = 0;
  /** The entry being read: its bytes still to come, then its padding up to the next block. */
  let entry = { name: '', isCsv: false, isLongName: false, contentLeft: 0, paddingLeft: 0 };
  let longNameParts: Uint8Array[] = [];
  let longName: string | null = null;

  reading: for await (const chunk of chunks) {
    for (let at = 0; at < chunk.length; ) {
      if (entry.contentLeft > 0) {
        const piece = chunk.subarray(at, at + Math.min(entry.contentLeft, chunk.length - at));
        at += piece.length;
        entry.contentLeft -= piece.length;
        if (entry.isCsv) yield piece;
        else if (entry.isLongName) longNameParts.push(piece.slice());
        if (entry.contentLeft === 0 && entry.isCsv) return; // the CSV is complete: stop (cancels the decompressor)
        if (entry.contentLeft === 0 && entry.isLongName) longName = cString(concatAll(longNameParts));
      } else if (entry.paddingLeft > 0) {
        const skip = Math.min(entry.paddingLeft, chunk.length - at);
        at += skip;
        entry.paddingLeft -= skip;
      } else {
        const take = Math.min(TAR_BLOCK - headerFill, chunk.length - at);
        header.set(chunk.subarray(at, at + take), headerFill);
        headerFill += take;
        at += take;
        if (headerFill < TAR_BLOCK) continue;
        headerFill = 0;
        if (header.every((byte) => byte === 0)) break reading; // the end-of-archive marker
        const parsed = parseTarHeader(header);
        const isFile = parsed.type === '0' || parsed.type === '\0';
        const name = longName ?? parsed.name;
        longName = null;
        longNameParts = [];
        if (isFile) files.push(name);
        entry = {
          name,
          isCsv: isFile && isCsvName(name),
          isLongName: parsed.type === 'L',
          contentLeft: parsed.size,
          paddingLeft: (TAR_BLOCK - (parsed.size % TAR_BLOCK)) % TAR_BLOCK,
        };
        if (entry.isCsv && parsed.size === 0) return;
      }
    }
  }
  if (entry.isCsv) throw new FerCsvError(`the tar.gz archive is cut short inside ${entry.name}`);
  throw new FerCsvError(`the tar.gz archive holds no .csv file${files.length > 0 ? ` (it holds ${files.slice(0, 5).join(', ')})` : ''}`);
}

/** Text up to the first NUL. */
const cString = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/\0[^]*$/, '');

function parseTarHeader(block: Uint8Array): { name: string; size: number; type: string } {
  const text = (from: number, length: number) => cString(block.subarray(from, from + length));
  const prefix = text(345, 155);
  const name = text(0, 100);
  const size = parseInt(text(124, 12).trim() || '0', 8);
  if (!Number.isFinite(size)) throw new FerCsvError('the tar.gz archive has a damaged header');
  return { name: prefix ? `${prefix}/${name}` : name, size, type: String.fromCharCode(block[156]) };
}

// ---- zip ----

async function openZip(blob: Blob, reading: Pick<BlobChunkOptions, 'stallMs'>): Promise<CsvSource> {
  let entries: ZipEntry[];
  try {
    entries = await readZipDirectory(blob);
  } catch (error) {
    throw error instanceof ZipError ? new FerCsvError(error.message) : error;
  }
  const csv = entries.find((entry) => isCsvName(entry.name));
  if (!csv) {
    const names = entries.map((entry) => entry.name);
    throw new FerCsvError(`the ZIP archive holds no .csv file${names.length > 0 ? ` (it holds ${names.slice(0, 5).join(', ')})` : ''}`);
  }
  const unreadable = unreadableReason(csv);
  if (unreadable) throw new FerCsvError(`${csv.name} in the ZIP archive ${unreadable}: unzip it and drop the .csv`);
  const dataStart = await entryDataStart(blob, csv);
  const data = blob.slice(dataStart, dataStart + csv.compressedSize);
  if (csv.method === 0) {
    const plain = await openCsvSource(data, new Uint8Array(0), reading);
    return { chunks: plain.chunks, bytesConsumed: () => dataStart + plain.bytesConsumed() };
  }
  const { stream, consumed } = decompressed(data, 'deflate-raw', reading);
  return { chunks: explainingDamage(streamChunks(stream), 'ZIP archive'), bytesConsumed: () => dataStart + consumed() };
}

/** True when a ZIP archive holds a CSV (else it may hold image folders). */
export async function zipHoldsCsv(blob: Blob): Promise<boolean> {
  return (await readZipDirectory(blob)).some((entry) => isCsvName(entry.name));
}

/** The parts one after another, in one array (the part itself when there is one). */
export function concatAll(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
