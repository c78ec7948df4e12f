// Pure check of a file's first bytes: is it text we can parse, and in which encoding? No DOM.

/** Bytes worth reading to decide. */
export const SNIFF_BYTES = 8192;

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const SIGNATURES: { name: string; bytes: number[] }[] = [
  { name: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a ZIP archive', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
  { name: 'a RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
  { name: 'a WebP or RIFF file', bytes: [0x52, 0x49, 0x46, 0x46] },
];

export type SniffResult = { ok: true; encoding: TextEncoding } | { ok: false; reason: string };

/**
 * Decides from the first bytes whether a file is text. Recognises common binary formats by their
 * signature and otherwise treats NUL bytes (outside UTF-16) or many control characters as binary.
 */
export function sniffText(head: Uint8Array): SniffResult {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { ok: true, encoding: 'utf-16le' };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { ok: true, encoding: 'utf-16be' };
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((byte, i) => head[i] === byte)) {
      return { ok: false, reason: `it is not a CSV text file: it looks like ${signature.name}` };
    }
  }
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte === 0) return { ok: false, reason: 'it is not a CSV text file: it contains binary data (NUL bytes)' };
    if (byte < 32 && byte !== 9 && byte !== 10 && byte !== 13) control++;
  }
  if (control > head.length * 0.01) {
    return { ok: false, reason: 'it is not a CSV text file: it contains binary data' };
  }
  return { ok: true, encoding: 'utf-8' };
}
