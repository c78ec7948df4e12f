// Pure EXIF orientation: reading it from a JPEG's header, and turning a decoded (stored-orientation) gray
// image upright. Decoders hand back pixels as stored; phones store them sideways and say so in EXIF. No DOM.

/**
 * How to make the stored pixels upright: mirror left-right first (flip), then turn clockwise by rotation
 * degrees (the order WebCodecs' VideoFrame uses).
 */
export interface Orientation {
  rotation: 0 | 90 | 180 | 270;
  flip: boolean;
}

export const UPRIGHT: Orientation = { rotation: 0, flip: false };

/** EXIF orientation tag values 1–8 as flip-then-rotate. */
const FROM_EXIF: Record<number, Orientation> = {
  1: UPRIGHT,
  2: { rotation: 0, flip: true },
  3: { rotation: 180, flip: false },
  4: { rotation: 180, flip: true },
  5: { rotation: 270, flip: true },
  6: { rotation: 90, flip: false },
  7: { rotation: 90, flip: true },
  8: { rotation: 270, flip: false },
};

/** The orientation a JPEG's EXIF block (APP1) states; UPRIGHT for other formats or when absent or unreadable. */
export function jpegOrientation(bytes: Uint8Array): Orientation {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return UPRIGHT;
  for (let at = 2; at + 4 <= bytes.length; ) {
    if (bytes[at] !== 0xff) return UPRIGHT;
    const marker = bytes[at + 1];
    if (marker === 0xda || marker === 0xd9) return UPRIGHT; // image data starts: no EXIF before it
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (marker === 0xe1 && String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === 'Exif') {
      return exifOrientation(bytes.subarray(at + 10, at + 2 + length));
    }
    at += 2 + length;
  }
  return UPRIGHT;
}

/** Orientation from a TIFF block (EXIF's payload): the 0x0112 entry of IFD0. */
function exifOrientation(tiff: Uint8Array): Orientation {
  if (tiff.length < 8) return UPRIGHT;
  const little = tiff[0] === 0x49; // 'II' little-endian, 'MM' big-endian
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return UPRIGHT;
  const count = view.getUint16(ifd, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return UPRIGHT;
    if (view.getUint16(entry, little) === 0x0112) return FROM_EXIF[view.getUint16(entry + 8, little)] ?? UPRIGHT;
  }
  return UPRIGHT;
}

/**
 * The upright image: values[width*height] (stored, row-major) mirrored then turned as `orientation` says.
 * @returns the same array and size when already upright, else a new array and the upright size.
 */
export function orientUpright<T extends Float32Array | Uint8Array>(
  values: T,
  width: number,
  height: number,
  orientation: Orientation,
): { values: T; width: number; height: number } {
  const { rotation, flip } = orientation;
  if (rotation === 0 && !flip) return { values, width, height };
  const turned = rotation === 90 || rotation === 270;
  const outWidth = turned ? height : width;
  const outHeight = turned ? width : height;
  const out = new (values.constructor as new (length: number) => T)(values.length);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      // (x, y) upright comes from (sx, sy) of the mirrored image, which is (flip ? width-1-sx : sx, sy) stored.
      let sx: number;
      let sy: number;
      if (rotation === 0) [sx, sy] = [x, y];
      else if (rotation === 90) [sx, sy] = [y, height - 1 - x];
      else if (rotation === 180) [sx, sy] = [width - 1 - x, height - 1 - y];
      else [sx, sy] = [width - 1 - y, x];
      if (flip) sx = width - 1 - sx;
      out[y * outWidth + x] = values[sy * width + sx];
    }
  }
  return { values: out, width: outWidth, height: outHeight };
}
