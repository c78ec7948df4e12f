// Pure face pipeline: square crop -> grayscale -> 48x48 by area averaging -> standardised model input. No DOM.
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';
import { standardizeFace } from '../dataset/standardize';
import type { Box, GrayImage, RgbaImage } from './types';

/**
 * ITU-R BT.601 luma weights (what OpenCV's RGB2GRAY and PIL's convert('L') use). The 2018 tutorial fed RGB
 * frames to cv2.COLOR_BGR2GRAY, which swaps the red and blue weights; this pipeline gets the order right.
 */
export const LUMA_R = 0.299;
export const LUMA_G = 0.587;
export const LUMA_B = 0.114;

/**
 * How a detector's face box maps to the square crop the classifier sees.
 * side = (1 + 2 * margin) * max(box.width, box.height); the square is centred on the box centre moved down by
 * shiftY * side (negative = up). Each detector gets its own values, calibrated so crops match FER2013's framing.
 */
export interface FaceFraming {
  margin: number;
  shiftY: number;
}

/**
 * The square crop, in whole pixels, around a face box. It may reach past the image's edges; cropRgba
 * repeats the edge pixels there, so the face keeps its place in the crop.
 */
export function squareRegion(box: Box, framing: FaceFraming): Box {
  const side = Math.max(1, Math.round((1 + 2 * framing.margin) * Math.max(box.width, box.height)));
  const centreX = box.x + box.width / 2;
  const centreY = box.y + box.height / 2 + framing.shiftY * side;
  return { x: Math.round(centreX - side / 2), y: Math.round(centreY - side / 2), width: side, height: side };
}

/** The largest centred square of an image (the fallback when no face is found). */
export function centreSquare(width: number, height: number): Box {
  const side = Math.min(width, height);
  return { x: Math.floor((width - side) / 2), y: Math.floor((height - side) / 2), width: side, height: side };
}

/**
 * Copies a whole-pixel region out of an image. Pixels outside the image repeat the nearest edge pixel.
 * @returns a new RgbaImage of region.width x region.height (caller owns it).
 */
export function cropRgba(image: RgbaImage, region: Box): RgbaImage {
  const { width, height, data } = image;
  const outWidth = Math.round(region.width);
  const outHeight = Math.round(region.height);
  const x0 = Math.round(region.x);
  const y0 = Math.round(region.y);
  if (width < 1 || height < 1) throw new Error('cannot crop an empty image');
  if (outWidth < 1 || outHeight < 1) throw new Error(`crop region ${outWidth}x${outHeight} is empty`);
  const out = new Uint8ClampedArray(outWidth * outHeight * 4);
  for (let y = 0; y < outHeight; y++) {
    const sourceY = Math.min(height - 1, Math.max(0, y0 + y));
    for (let x = 0; x < outWidth; x++) {
      const sourceX = Math.min(width - 1, Math.max(0, x0 + x));
      const from = (sourceY * width + sourceX) * 4;
      const to = (y * outWidth + x) * 4;
      out[to] = data[from];
      out[to + 1] = data[from + 1];
      out[to + 2] = data[from + 2];
      out[to + 3] = data[from + 3];
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/** Gray levels 0–255 from RGBA with BT.601 weights; alpha is ignored (photos are opaque). */
export function rgbaToGray(image: RgbaImage): GrayImage {
  const count = image.width * image.height;
  const out = new Float32Array(count);
  const { data } = image;
  for (let i = 0; i < count; i++)
    out[i] = LUMA_R * data[i * 4] + LUMA_G * data[i * 4 + 1] + LUMA_B * data[i * 4 + 2];
  return { data: out, width: image.width, height: image.height };
}

/**
 * For each output index along one axis, the source indices it covers and their weights (overlap lengths
 * divided by the output pixel's footprint), so weights sum to 1.
 */
function areaWeights(
  inSize: number,
  outSize: number,
): { index: Int32Array; weight: Float32Array; start: Int32Array } {
  const scale = inSize / outSize; // source pixels per output pixel
  const index: number[] = [];
  const weight: number[] = [];
  const start = new Int32Array(outSize + 1);
  for (let o = 0; o < outSize; o++) {
    start[o] = index.length;
    const from = o * scale;
    const to = (o + 1) * scale;
    for (let i = Math.floor(from); i < Math.min(inSize, Math.ceil(to)); i++) {
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      if (overlap > 1e-9) {
        index.push(i);
        weight.push(overlap / scale);
      }
    }
  }
  start[outSize] = index.length;
  return { index: Int32Array.from(index), weight: Float32Array.from(weight), start };
}

/**
 * Resizes by area averaging (OpenCV's INTER_AREA when shrinking): each output pixel is the mean of the source
 * area it covers, fractional pixels weighted by their overlap. No aliasing however much the image shrinks;
 * when enlarging, each output pixel takes the one or two source pixels under it.
 * Separable: rows first, then columns.
 */
export function resizeArea(image: GrayImage, outWidth: number, outHeight: number): GrayImage {
  const { width, height, data } = image;
  const columns = areaWeights(width, outWidth);
  const rows = areaWeights(height, outHeight);
  const horizontal = new Float32Array(outWidth * height); // [height][outWidth]
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let o = 0; o < outWidth; o++) {
      let sum = 0;
      for (let k = columns.start[o]; k < columns.start[o + 1]; k++)
        sum += data[row + columns.index[k]] * columns.weight[k];
      horizontal[y * outWidth + o] = sum;
    }
  }
  const out = new Float32Array(outWidth * outHeight);
  for (let o = 0; o < outHeight; o++) {
    for (let k = rows.start[o]; k < rows.start[o + 1]; k++) {
      const from = rows.index[k] * outWidth;
      const w = rows.weight[k];
      for (let x = 0; x < outWidth; x++) out[o * outWidth + x] += horizontal[from + x] * w;
    }
  }
  return { data: out, width: outWidth, height: outHeight };
}

/**
 * (gray - mean) / std per pixel, with the model's own statistics (the tutorial's webcam script skipped this,
 * so its net saw raw 0–255 values it was never trained on).
 * @param gray Float32Array(2304), 0–255, row-major 48x48; mean, std Float32Array(2304).
 * @returns a new Float32Array(2304).
 */
export function modelInput(gray: Float32Array, mean: Float32Array, std: Float32Array): Float32Array {
  if (gray.length !== PIXELS || mean.length !== PIXELS || std.length !== PIXELS) {
    throw new Error(
      `expected 48x48 face and statistics (${PIXELS} values), got ${gray.length}, ${mean.length}, ${std.length}`,
    );
  }
  const out = new Float32Array(PIXELS);
  standardizeFace(gray, 0, { mean, std }, out, 0);
  return out;
}

export interface PreparedFace {
  /** The 48x48 gray crop, 0–255, row-major: what the model sees before standardisation (for display). */
  gray: Float32Array;
  /** The standardised model input, Float32Array(2304). */
  input: Float32Array;
}

/** The whole pipeline for one face: crop the square region, gray it, shrink it to 48x48, standardise it. */
export function prepareFace(
  image: RgbaImage,
  region: Box,
  stats: { mean: Float32Array; std: Float32Array },
): PreparedFace {
  const gray = resizeArea(rgbaToGray(cropRgba(image, region)), IMAGE_SIZE, IMAGE_SIZE).data;
  return { gray, input: modelInput(gray, stats.mean, stats.std) };
}
