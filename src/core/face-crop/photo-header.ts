// Pure check of a photo file's bytes before decoding: its format and pixel size, or why it cannot be used. No DOM.
import { sniffText } from '../csv/sniff';

export type PhotoFormat = 'JPEG' | 'PNG' | 'WebP';

export interface PhotoHeader {
  format: PhotoFormat;
  /** Stored size in pixels (before any EXIF rotation, which only swaps the two). */
  width: number;
  height: number;
}

/**
 * Largest photo accepted, in megapixels. Decoding needs width*height*4 bytes (200 MB at 50 MP) in the
 * inference worker, plus a canvas of the same size; phones save 12–50 MP photos.
 */
export const MAX_PHOTO_MEGAPIXELS = 50;

const OTHER_FORMATS: { name: string; test: (b: Uint8Array) => boolean }[] = [
  { name: 'a GIF image', test: (b) => ascii(b, 0, 4) === 'GIF8' },
  { name: 'a BMP image', test: (b) => ascii(b, 0, 2) === 'BM' },
  { name: 'a HEIC/AVIF image', test: (b) => ascii(b, 4, 4) === 'ftyp' },
  { name: 'a TIFF image', test: (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*' },
  { name: 'a PDF document', test: (b) => ascii(b, 0, 4) === '%PDF' },
  { name: 'a ZIP archive', test: (b) => b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04 },
  { name: 'a gzip archive', test: (b) => b[0] === 0x1f && b[1] === 0x8b },
];

function ascii(bytes: Uint8Array, from: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(from, from + length));
}

const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);
const u32be = (b: Uint8Array, i: number) =>
  ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;

/** Start-of-frame markers (C0–CF except DHT C4, JPG C8, DAC CC) carry the image size. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(b: Uint8Array): { width: number; height: number } {
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) throw new Error('the JPEG is corrupt: its header segments are broken');
    const marker = b[i + 1];
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan before any frame header
    const length = u16be(b, i + 2);
    if (isStartOfFrame(marker)) {
      if (i + 8 >= b.length) break;
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + length;
  }
  throw new Error('the JPEG is truncated or corrupt: it has no frame header giving its size');
}

function webpSize(b: Uint8Array): { width: number; height: number } {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ' && b.length >= 30 && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) {
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b.length >= 25 && b[20] === 0x2f) {
    return {
      width: 1 + (((b[22] & 0x3f) << 8) | b[21]),
      height: 1 + (((b[24] & 0x0f) << 10) | (b[23] << 2) | ((b[22] & 0xc0) >> 6)),
    };
  }
  if (chunk === 'VP8X' && b.length >= 30) return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27) };
  throw new Error('the WebP is truncated or corrupt: it has no image header giving its size');
}

/**
 * Reads a photo's format and size from its first bytes (the whole file is best: a JPEG's size can sit
 * after large EXIF or ICC segments). Throws an Error whose message says what is wrong, phrased to follow
 * the file name: "it is empty (0 bytes)", "it is not an image: it looks like text", ...
 */
export function readPhotoHeader(bytes: Uint8Array): PhotoHeader {
  if (bytes.length === 0) throw new Error('it is empty (0 bytes)');
  let header: PhotoHeader;
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) {
    header = { format: 'JPEG', ...jpegSize(bytes) };
  } else if (bytes.length >= 8 && u32be(bytes, 0) === 0x89504e47 && u32be(bytes, 4) === 0x0d0a1a0a) {
    if (bytes.length < 24 || ascii(bytes, 12, 4) !== 'IHDR')
      throw new Error('the PNG is truncated or corrupt: it has no IHDR header');
    header = { format: 'PNG', width: u32be(bytes, 16), height: u32be(bytes, 20) };
  } else if (bytes.length >= 16 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP') {
    header = { format: 'WebP', ...webpSize(bytes) };
  } else {
    const other = OTHER_FORMATS.find((format) => format.test(bytes));
    if (other) throw new Error(`it is ${other.name}; use a JPEG, PNG or WebP photo`);
    if (sniffText(bytes.subarray(0, 4096)).ok)
      throw new Error('it is not an image: it looks like a text file');
    throw new Error('it is not a JPEG, PNG or WebP image');
  }
  if (header.width < 1 || header.height < 1)
    throw new Error(`the ${header.format} header gives an empty size (${header.width}×${header.height})`);
  const megapixels = (header.width * header.height) / 1e6;
  if (megapixels > MAX_PHOTO_MEGAPIXELS) {
    throw new Error(
      `it is ${megapixels.toFixed(1)} megapixels (${header.width}×${header.height}); the limit is ${MAX_PHOTO_MEGAPIXELS} MP — scale it down and try again`,
    );
  }
  return header;
}
