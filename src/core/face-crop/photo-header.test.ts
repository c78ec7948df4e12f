import { describe, expect, it } from 'vitest';
import { readPhotoHeader } from './photo-header';

function png(width: number, height: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return b;
}

/** SOI, an APP0 segment, then a baseline SOF0 with the size. */
function jpeg(width: number, height: number): Uint8Array {
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0,
    16,
    0x4a,
    0x46,
    0x49,
    0x46,
    0,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    0xff,
    0xc0,
    0,
    11,
    8,
    height >> 8,
    height & 255,
    width >> 8,
    width & 255,
    1,
    1,
    0x11,
    0,
    0xff,
    0xda,
    0,
    8,
    1,
    1,
    0,
    0,
    63,
    0,
  ]);
}

function webp(chunk: string, body: number[]): Uint8Array {
  const text = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  return Uint8Array.from([
    ...text('RIFF'),
    0,
    0,
    0,
    0,
    ...text('WEBP'),
    ...text(chunk),
    0,
    0,
    0,
    0,
    ...body,
    ...new Array(16).fill(0),
  ]);
}

describe('readPhotoHeader', () => {
  it('reads the size of PNG, JPEG and the three kinds of WebP', () => {
    expect(readPhotoHeader(png(640, 480))).toEqual({ format: 'PNG', width: 640, height: 480 });
    expect(readPhotoHeader(jpeg(4032, 3024))).toEqual({ format: 'JPEG', width: 4032, height: 3024 });
    // VP8 (lossy): frame tag, start code 9d 01 2a, 14-bit width and height.
    expect(readPhotoHeader(webp('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]))).toMatchObject({
      format: 'WebP',
      width: 640,
      height: 480,
    });
    // VP8L (lossless): 0x2f, then width-1 and height-1 in 14 bits each: 100 x 50.
    const w = 99;
    const h = 49;
    const bits = w | (h << 14);
    expect(
      readPhotoHeader(
        webp('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >> 24) & 255]),
      ),
    ).toMatchObject({ width: 100, height: 50 });
    // VP8X (extended): flags, reserved, canvas width-1 and height-1 in 24 bits each.
    expect(readPhotoHeader(webp('VP8X', [0, 0, 0, 0, 0x7f, 0x07, 0, 0x37, 0x04, 0]))).toMatchObject({
      width: 1920,
      height: 1080,
    });
  });

  it('says what is wrong with files that are not usable photos', () => {
    expect(() => readPhotoHeader(new Uint8Array(0))).toThrow('it is empty (0 bytes)');
    expect(() => readPhotoHeader(new TextEncoder().encode('hello, this is not a picture\n'))).toThrow(
      'it is not an image: it looks like a text file',
    );
    expect(() => readPhotoHeader(new TextEncoder().encode('GIF89a......'))).toThrow(
      'it is a GIF image; use a JPEG, PNG or WebP photo',
    );
    expect(() => readPhotoHeader(Uint8Array.from([0, 1, 2, 3, 255, 254, 0, 7]))).toThrow(
      'it is not a JPEG, PNG or WebP image',
    );
    expect(() => readPhotoHeader(png(10_000, 6_000))).toThrow(
      'it is 60.0 megapixels (10000×6000); the limit is 50 MP',
    );
    expect(() => readPhotoHeader(png(0, 10))).toThrow('empty size');
  });

  it('rejects a JPEG whose header is broken or cut before its size', () => {
    expect(() => readPhotoHeader(jpeg(100, 100).subarray(0, 22))).toThrow('the JPEG is truncated or corrupt');
    const broken = jpeg(100, 100);
    broken[20] = 0x12; // where the SOF marker's 0xff should be
    expect(() => readPhotoHeader(broken)).toThrow('the JPEG is corrupt');
  });
});
