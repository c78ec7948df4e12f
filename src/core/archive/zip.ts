// Pure ZIP reading from a Blob, without unpacking it whole: the central directory, and entries' bytes read
// in large sequential windows (one read per few MB, not one per entry). Runs in workers and Node; no DOM.
import { inflateSync } from 'fflate';

export interface ZipEntry {
  /** Path inside the archive, '/'-separated; folders end with '/'. */
  name: string;
  /** 0 stored, 8 deflate; anything else is refused when read. */
  method: number;
  flags: number;
  compressedSize: number;
  /** Uncompressed size as the archive declares it. */
  size: number;
  /** Where the entry's local header starts in the archive. */
  localOffset: number;
}

/** The archive as a whole cannot be read (damaged, ZIP64); its message says so for people. */
export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipError';
  }
}

const LOCAL_SIGNATURE = 0x04034b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const EOCD_SIGNATURE = 0x06054b50;
/** The end-of-central-directory record (22 bytes) plus the longest comment it may carry. */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
const LOCAL_HEADER_BYTES = 30;

export const isZip = (head: Uint8Array) => head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;

/** A ZIP archive with no entries: it is only its end record (PK\\5\\6), with no local file header before it. */
export const isEmptyZip = (head: Uint8Array) => head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x05 && head[3] === 0x06;

/** Every entry of a ZIP archive, in the order of its central directory. */
export async function readZipDirectory(blob: Blob): Promise<ZipEntry[]> {
  const tailStart = Math.max(0, blob.size - EOCD_SEARCH_BYTES);
  const tail = new DataView(await blob.slice(tailStart).arrayBuffer());
  let eocd = -1;
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (tail.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ZipError('the ZIP archive is damaged or cut short (no central directory at its end)');
  const count = tail.getUint16(eocd + 10, true);
  const directorySize = tail.getUint32(eocd + 12, true);
  const directoryOffset = tail.getUint32(eocd + 16, true);
  if (directoryOffset === 0xffffffff || count === 0xffff) throw new ZipError('it is a ZIP64 archive, which this app does not read: unzip it and drop what is inside');
  const directory = new DataView(await blob.slice(directoryOffset, directoryOffset + directorySize).arrayBuffer());
  const decoder = new TextDecoder();
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count && at + 46 <= directory.byteLength; i++) {
    if (directory.getUint32(at, true) !== CENTRAL_SIGNATURE) throw new ZipError('the ZIP archive has a damaged central directory');
    const nameLength = directory.getUint16(at + 28, true);
    entries.push({
      flags: directory.getUint16(at + 8, true),
      method: directory.getUint16(at + 10, true),
      compressedSize: directory.getUint32(at + 20, true),
      size: directory.getUint32(at + 24, true),
      localOffset: directory.getUint32(at + 42, true),
      name: decoder.decode(new Uint8Array(directory.buffer, directory.byteOffset + at + 46, nameLength)),
    });
    at += 46 + nameLength + directory.getUint16(at + 30, true) + directory.getUint16(at + 32, true);
  }
  return entries;
}

/** Why an entry cannot be read ("is encrypted"), or null when it can (stored or deflated, not encrypted). */
export function unreadableReason(entry: ZipEntry): string | null {
  if (entry.flags & 1) return 'is encrypted';
  if (entry.method !== 0 && entry.method !== 8) return `is compressed with method ${entry.method}, which this app does not read`;
  return null;
}

/** Where an entry's (compressed) data starts: after its local header, whose lengths may differ from the directory's. */
export async function entryDataStart(blob: Blob, entry: ZipEntry): Promise<number> {
  const local = new DataView(await blob.slice(entry.localOffset, entry.localOffset + LOCAL_HEADER_BYTES).arrayBuffer());
  if (local.byteLength < LOCAL_HEADER_BYTES || local.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipError(`the ZIP archive is damaged at ${entry.name}`);
  return entry.localOffset + LOCAL_HEADER_BYTES + local.getUint16(26, true) + local.getUint16(28, true);
}

/** Bytes read from the archive per window: large reads, few of them; memory stays at about this much. */
const WINDOW_BYTES = 8 << 20;

export type EntryBytes = { entry: ZipEntry; bytes: Uint8Array } | { entry: ZipEntry; error: string };

/**
 * The uncompressed bytes of `entries` (in archive order, whatever order they are given in), reading the
 * archive front to back in windows. An entry that cannot be read yields an error naming why; a damaged
 * archive throws ZipError. Each `bytes` is the caller's to keep.
 * @param maxEntryBytes larger entries (as declared) are not inflated: a zip bomb costs nothing.
 */
export async function* readZipEntries(blob: Blob, entries: ZipEntry[], maxEntryBytes: number): AsyncGenerator<EntryBytes> {
  const ordered = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let bufferedStart = 0;
  let buffered = new Uint8Array(0);
  /** Makes [from, to) of the archive readable in `buffered`. */
  const ensure = async (from: number, to: number) => {
    if (from >= bufferedStart && to <= bufferedStart + buffered.length) return;
    bufferedStart = from;
    buffered = new Uint8Array(await blob.slice(from, Math.min(blob.size, Math.max(to, from + WINDOW_BYTES))).arrayBuffer());
  };
  for (const entry of ordered) {
    const unreadable = unreadableReason(entry);
    if (unreadable) {
      yield { entry, error: `it ${unreadable}` };
      continue;
    }
    if (entry.size > maxEntryBytes) {
      yield { entry, error: `it is ${(entry.size / 2 ** 20).toFixed(0)} MB unpacked, more than the ${(maxEntryBytes / 2 ** 20).toFixed(0)} MB an image may be` };
      continue;
    }
    await ensure(entry.localOffset, entry.localOffset + LOCAL_HEADER_BYTES);
    const header = new DataView(buffered.buffer, entry.localOffset - bufferedStart, LOCAL_HEADER_BYTES);
    if (header.byteLength < LOCAL_HEADER_BYTES || header.getUint32(0, true) !== LOCAL_SIGNATURE) throw new ZipError(`the ZIP archive is damaged at ${entry.name}`);
    const dataStart = entry.localOffset + LOCAL_HEADER_BYTES + header.getUint16(26, true) + header.getUint16(28, true);
    const dataEnd = dataStart + entry.compressedSize;
    if (dataEnd > blob.size) throw new ZipError(`the ZIP archive is cut short inside ${entry.name}`);
    await ensure(entry.localOffset, dataEnd);
    const data = buffered.subarray(dataStart - bufferedStart, dataEnd - bufferedStart);
    if (entry.method === 0) {
      yield { entry, bytes: data.slice() };
      continue;
    }
    try {
      const bytes = inflateSync(data, { out: new Uint8Array(entry.size) });
      yield bytes.length === entry.size ? { entry, bytes } : { entry, error: 'its compressed data is damaged (wrong size)' };
    } catch (error) {
      yield { entry, error: `its compressed data is damaged (${(error as Error).message})` };
    }
  }
}
