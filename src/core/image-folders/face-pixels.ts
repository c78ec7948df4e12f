// Pure conversion of a decoded image file into one FER2013 row: upright, gray, square, 48x48 bytes. No DOM.
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';
import { centreSquare, resizeArea, rgbaToGray } from '../face-crop/face-crop';
import { orientUpright, type Orientation } from '../face-crop/orientation';
import type { RgbaImage } from '../face-crop/types';

/**
 * Writes the face in `image` (RGBA as stored in the file) to out[offset .. offset+2304) as 0–255 gray levels:
 * turned upright, grayed with the same BT.601 luma as Try it, cut to its centre square when not square
 * (faces are taken as already cropped: no face detection here) and shrunk or grown to 48x48 by area averaging.
 * @returns whether the image had to be cut or resized (a 48x48 file is copied as it is).
 */
export function writeFacePixels(image: RgbaImage, orientation: Orientation, out: Uint8Array, offset: number): { resized: boolean } {
  const gray = rgbaToGray(image);
  const upright = orientUpright(gray.data, image.width, image.height, orientation);
  let { values, width, height } = upright;
  const resized = width !== IMAGE_SIZE || height !== IMAGE_SIZE;
  if (width !== height) {
    const square = centreSquare(width, height);
    const cut = new Float32Array(square.width * square.height);
    for (let y = 0; y < square.height; y++) cut.set(values.subarray((square.y + y) * width + square.x, (square.y + y) * width + square.x + square.width), y * square.width);
    values = cut;
    width = height = square.width;
  }
  if (resized) values = resizeArea({ data: values, width, height }, IMAGE_SIZE, IMAGE_SIZE).data;
  for (let i = 0; i < PIXELS; i++) out[offset + i] = Math.min(255, Math.max(0, Math.round(values[i])));
  return { resized };
}
