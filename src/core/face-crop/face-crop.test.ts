import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, PIXELS } from '../dataset/face-format';
import {
  centreSquare,
  cropRgba,
  LUMA_B,
  LUMA_G,
  LUMA_R,
  prepareFace,
  resizeArea,
  rgbaToGray,
  squareRegion,
  modelInput,
} from './face-crop';
import type { GrayImage, RgbaImage } from './types';

/** An RGBA image whose pixel (x, y) is colour(x, y). */
function rgbaImage(
  width: number,
  height: number,
  colour: (x: number, y: number) => [number, number, number],
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      data.set([r, g, b, 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

function grayImage(width: number, height: number, value: (x: number, y: number) => number): GrayImage {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height };
}

/** Reference area average by brute-force supersampling (k x k samples per output pixel). */
function supersampled(image: GrayImage, outSize: number, k = 240): Float32Array {
  const out = new Float32Array(outSize * outSize);
  const scale = image.width / outSize;
  for (let oy = 0; oy < outSize; oy++) {
    for (let ox = 0; ox < outSize; ox++) {
      let sum = 0;
      for (let sy = 0; sy < k; sy++) {
        const y = Math.floor((oy + (sy + 0.5) / k) * scale);
        for (let sx = 0; sx < k; sx++)
          sum += image.data[y * image.width + Math.floor((ox + (sx + 0.5) / k) * scale)];
      }
      out[oy * outSize + ox] = sum / (k * k);
    }
  }
  return out;
}

describe('rgbaToGray', () => {
  it('uses BT.601 luma weights in R, G, B order (the tutorial swapped red and blue)', () => {
    const image = rgbaImage(3, 1, (x) => (x === 0 ? [255, 0, 0] : x === 1 ? [0, 255, 0] : [0, 0, 255]));
    const gray = rgbaToGray(image);
    expect(gray.data[0]).toBeCloseTo(255 * 0.299, 4); // red 76.2
    expect(gray.data[1]).toBeCloseTo(255 * 0.587, 4); // green 149.7
    expect(gray.data[2]).toBeCloseTo(255 * 0.114, 4); // blue 29.1, not 76.2
    expect(LUMA_R + LUMA_G + LUMA_B).toBeCloseTo(1, 10);
  });

  it('keeps gray pixels unchanged and ignores alpha', () => {
    const image = rgbaImage(2, 2, (x, y) => [40 * (x + 2 * y), 40 * (x + 2 * y), 40 * (x + 2 * y)]);
    image.data[3] = 0; // transparent
    expect(Array.from(rgbaToGray(image).data).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([
      0, 40, 80, 120,
    ]);
  });
});

describe('resizeArea', () => {
  it('averages exact 2x2 and 3x3 blocks when shrinking 96 and 144 pixels to 48', () => {
    for (const factor of [2, 3]) {
      const size = 48 * factor;
      const image = grayImage(size, size, (x, y) => (x * 7 + y * 13) % 256);
      const out = resizeArea(image, 48, 48);
      for (const [ox, oy] of [
        [0, 0],
        [5, 17],
        [47, 47],
        [30, 2],
      ]) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++)
          for (let dx = 0; dx < factor; dx++) sum += image.data[(oy * factor + dy) * size + ox * factor + dx];
        expect(out.data[oy * 48 + ox]).toBeCloseTo(sum / factor ** 2, 3);
      }
    }
  });

  it('weights fractional pixels by their overlap (non-integer ratios match a supersampled reference)', () => {
    for (const size of [100, 211, 61]) {
      const image = grayImage(size, size, (x, y) => (x * 31 + y * 17 + ((x * y) % 7) * 20) % 256);
      const out = resizeArea(image, 48, 48);
      const reference = supersampled(image, 48);
      let maxError = 0;
      for (let i = 0; i < PIXELS; i++) maxError = Math.max(maxError, Math.abs(out.data[i] - reference[i]));
      expect(maxError).toBeLessThan(1.5); // the reference's own sampling error at 240x240 samples
    }
  });

  it('preserves a constant image and the mean of any image', () => {
    const flat = resizeArea(
      grayImage(173, 173, () => 123),
      48,
      48,
    );
    expect(Math.max(...flat.data)).toBeCloseTo(123, 3);
    expect(Math.min(...flat.data)).toBeCloseTo(123, 3);
    const image = grayImage(144, 144, (x, y) => (x ^ y) & 255);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(resizeArea(image, 48, 48).data)).toBeCloseTo(mean(image.data), 2);
  });

  it('repeats pixels when enlarging 24 to 48', () => {
    const image = grayImage(24, 24, (x, y) => x * 10 + y);
    const out = resizeArea(image, 48, 48);
    expect(out.data[0]).toBeCloseTo(0);
    expect(out.data[1]).toBeCloseTo(0);
    expect(out.data[2]).toBeCloseTo(10);
    expect(out.data[47 * 48 + 47]).toBeCloseTo(23 * 10 + 23);
  });
});

describe('cropRgba and squareRegion', () => {
  it('copies a region inside the image exactly', () => {
    const image = rgbaImage(10, 8, (x, y) => [x, y, x + y]);
    const crop = cropRgba(image, { x: 3, y: 2, width: 4, height: 5 });
    expect([crop.width, crop.height]).toEqual([4, 5]);
    expect(Array.from(crop.data.subarray(0, 4))).toEqual([3, 2, 5, 255]);
    expect(Array.from(crop.data.subarray((4 * 4 + 3) * 4, (4 * 4 + 3) * 4 + 4))).toEqual([6, 6, 12, 255]);
  });

  it('repeats edge pixels where the region reaches past the image', () => {
    const image = rgbaImage(4, 4, (x, y) => [x * 50, y * 50, 0]);
    const crop = cropRgba(image, { x: -2, y: 2, width: 8, height: 4 });
    const at = (x: number, y: number) => Array.from(crop.data.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 2));
    expect(at(0, 0)).toEqual([0, 100]); // left of the image: column 0
    expect(at(7, 3)).toEqual([150, 150]); // right and below: the corner pixel
    expect(at(3, 1)).toEqual([50, 150]);
  });

  it('makes a square of (1 + 2 * margin) times the longer side, moved by shiftY', () => {
    expect(squareRegion({ x: 10, y: 20, width: 40, height: 50 }, { margin: 0.25, shiftY: 0 })).toEqual({
      x: -7,
      y: 8,
      width: 75,
      height: 75,
    });
    expect(squareRegion({ x: 0, y: 0, width: 100, height: 100 }, { margin: 0, shiftY: -0.1 })).toEqual({
      x: 0,
      y: -10,
      width: 100,
      height: 100,
    });
    expect(centreSquare(300, 200)).toEqual({ x: 50, y: 0, width: 200, height: 200 });
  });
});

describe('prepareFace: crop -> gray -> 48x48 -> standardise', () => {
  // A known 48x48 face pattern, drawn 3x enlarged at (60, 40) on a 300x240 coloured background.
  const pattern = Float32Array.from({ length: PIXELS }, (_, i) => (i * 37) % 256);
  const tint = (v: number): [number, number, number] => {
    // A colour whose BT.601 luma is exactly v: equal parts, so any weights summing to 1 agree; the
    // red/blue swap is tested with coloured pixels above.
    return [v, v, v];
  };
  const photo = rgbaImage(300, 240, (x, y) => {
    const px = Math.floor((x - 60) / 3);
    const py = Math.floor((y - 40) / 3);
    return px >= 0 && px < 48 && py >= 0 && py < 48 ? tint(pattern[py * 48 + px]) : [200, 30, 90];
  });
  const mean = Float32Array.from({ length: PIXELS }, (_, i) => 100 + (i % 50));
  const std = Float32Array.from({ length: PIXELS }, (_, i) => 20 + (i % 7));

  it('recovers the drawn 48x48 gray levels and standardises them with the given mean and std', () => {
    const face = prepareFace(photo, { x: 60, y: 40, width: 144, height: 144 }, { mean, std });
    expect(face.gray.length).toBe(IMAGE_SIZE * IMAGE_SIZE);
    for (let i = 0; i < PIXELS; i++) {
      expect(face.gray[i]).toBeCloseTo(pattern[i], 3);
      expect(face.input[i]).toBeCloseTo((pattern[i] - mean[i]) / std[i], 4);
    }
  });

  it('grays coloured pixels with the luma weights before averaging', () => {
    const red = rgbaImage(96, 96, () => [200, 100, 50]);
    const face = prepareFace(
      red,
      { x: 0, y: 0, width: 96, height: 96 },
      { mean: new Float32Array(PIXELS), std: new Float32Array(PIXELS).fill(1) },
    );
    expect(face.gray[123]).toBeCloseTo(0.299 * 200 + 0.587 * 100 + 0.114 * 50, 3);
  });

  it('rejects statistics of the wrong size', () => {
    expect(() =>
      modelInput(new Float32Array(PIXELS), new Float32Array(10), new Float32Array(PIXELS)),
    ).toThrow(/2304/);
  });
});
