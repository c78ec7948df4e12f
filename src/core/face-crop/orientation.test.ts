import { describe, expect, it } from 'vitest';
import { jpegOrientation, orientUpright, UPRIGHT } from './orientation';

/** A JPEG start with one APP1 EXIF block stating `orientation` (TIFF in the given byte order), then SOS. */
function jpegWithExif(orientation: number, littleEndian: boolean): Uint8Array {
  const tiff = littleEndian
    ? [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, orientation, 0, 0, 0, 0, 0, 0, 0]
    : [0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xe1, (app1.length + 2) >> 8, (app1.length + 2) & 255, ...app1, 0xff, 0xda, 0, 2]);
}

describe('jpegOrientation', () => {
  it('reads the EXIF orientation in either byte order, after other blocks', () => {
    expect(jpegOrientation(jpegWithExif(6, true))).toEqual({ rotation: 90, flip: false });
    expect(jpegOrientation(jpegWithExif(8, false))).toEqual({ rotation: 270, flip: false });
    expect(jpegOrientation(jpegWithExif(2, false))).toEqual({ rotation: 0, flip: true });
  });
  it('is upright without EXIF, for other formats, and for a bad value', () => {
    expect(jpegOrientation(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toEqual(UPRIGHT);
    expect(jpegOrientation(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toEqual(UPRIGHT);
    expect(jpegOrientation(jpegWithExif(9, true))).toEqual(UPRIGHT);
  });
});

describe('orientUpright', () => {
  // 3 wide x 2 high:  a b c / d e f
  const stored = Uint8Array.from([1, 2, 3, 4, 5, 6]);
  const turn = (rotation: 0 | 90 | 180 | 270, flip: boolean) => {
    const { values, width, height } = orientUpright(stored, 3, 2, { rotation, flip });
    return [width, height, Array.from(values)];
  };
  it('turns clockwise and mirrors before turning, as EXIF and VideoFrame mean it', () => {
    expect(turn(0, false)).toEqual([3, 2, [1, 2, 3, 4, 5, 6]]);
    expect(turn(90, false)).toEqual([2, 3, [4, 1, 5, 2, 6, 3]]); // left column becomes the top row
    expect(turn(180, false)).toEqual([3, 2, [6, 5, 4, 3, 2, 1]]);
    expect(turn(270, false)).toEqual([2, 3, [3, 6, 2, 5, 1, 4]]);
    expect(turn(0, true)).toEqual([3, 2, [3, 2, 1, 6, 5, 4]]);
    expect(turn(180, true)).toEqual([3, 2, [4, 5, 6, 1, 2, 3]]); // EXIF 4: mirrored top to bottom
    expect(turn(90, true)).toEqual([2, 3, [6, 3, 5, 2, 4, 1]]); // EXIF 7: transverse
    expect(turn(270, true)).toEqual([2, 3, [1, 4, 2, 5, 3, 6]]); // EXIF 5: transpose
  });
});
