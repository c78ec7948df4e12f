import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../random';
import { affineWarp, augmentationMatrices, augmentBatch, augments, defaultAugmentOptions, erasingMasks, NO_AUGMENTATION } from './augment';
import { forEachBuild, initCpuAndWasm, randomValues } from '../../wasm-training/wasm-test-utils';

/** [4, 48, 48, 1] with distinct values 0, 1, 2, … */
let image: tf.Tensor4D;
beforeAll(async () => {
  await tf.setBackend('cpu');
  image = tf.tidy(() => tf.reshape(tf.range(0, 4 * 2304, 1, 'float32'), [4, 48, 48, 1]) as tf.Tensor4D);
});

describe('augmentBatch', () => {
  it('keeps shapes (labels are untouched by design)', () => {
    const out = augmentBatch(image, { flip: true, maxShift: 0.1, maxRotationDeg: 10, maxZoom: 0.1 }, createRng(1));
    expect(out.shape).toEqual([4, 48, 48, 1]);
    out.dispose();
  });

  it('a shift moves the content by the drawn number of pixels, edges extended', () => {
    // Scripted draws per face: no rotation (0.5 -> 0), no zoom (0.5 -> 0), shift x +0.5 and y -0.5 of the largest
    // shift (0.125 * 48 = 6 px): each output pixel (x, y) shows the input pixel (x + 3, y - 3), exactly.
    const draws = [0.5, 0.5, 0.75, 0.25];
    let k = 0;
    const scripted = () => draws[k++ % draws.length];
    const out = augmentBatch(image, { ...NO_AUGMENTATION, maxShift: 0.125 }, scripted);
    const got = out.dataSync();
    out.dispose();
    const input = image.dataSync();
    const at = (data: ArrayLike<number>, b: number, y: number, x: number) => data[b * 2304 + y * 48 + x];
    const clamp = (v: number) => Math.min(47, Math.max(0, v));
    const wrong: string[] = [];
    for (let b = 0; b < 4; b++) {
      for (let y = 0; y < 48; y++) {
        for (let x = 0; x < 48; x++) if (at(got, b, y, x) !== at(input, b, clamp(y - 3), clamp(x + 3))) wrong.push(`face ${b} (${x}, ${y})`);
      }
    }
    expect(wrong).toEqual([]);
    // Spot checks in words: the pixel at (10, 20) came from (13, 17); the last columns and first rows repeat the edge.
    expect(at(got, 1, 20, 10)).toBe(at(input, 1, 17, 13));
    expect(at(got, 0, 0, 0)).toBe(at(input, 0, 0, 3));
    expect(at(got, 2, 30, 46)).toBe(at(input, 2, 27, 47));
    expect(k).toBe(4 * draws.length); // four draws per face without flips
  });

  it('random erasing: each face erased gets one rectangle of 2-40 % of its area, aspect 0.3-3.3, set to 0', () => {
    const faces = 500;
    const masks = erasingMasks(faces, 1, createRng(21));
    let erased = 0;
    for (let i = 0; i < faces; i++) {
      const zeros: [number, number][] = [];
      for (let p = 0; p < 48 * 48; p++) if (masks[i * 48 * 48 + p] === 0) zeros.push([Math.floor(p / 48), p % 48]);
      if (zeros.length === 0) continue; // no draw fitted in 10 tries: the face stays whole
      erased++;
      const rows = zeros.map(([y]) => y);
      const cols = zeros.map(([, x]) => x);
      const height = Math.max(...rows) - Math.min(...rows) + 1;
      const width = Math.max(...cols) - Math.min(...cols) + 1;
      expect(zeros.length, `face ${i}: the zeros fill their bounding box`).toBe(height * width);
      // Rounding the sides moves the area and aspect a little past the drawn ranges on small rectangles.
      expect(zeros.length).toBeGreaterThanOrEqual(0.02 * 2304 * 0.7);
      expect(zeros.length).toBeLessThanOrEqual(0.4 * 2304 * 1.1);
      expect(height / width).toBeGreaterThan(0.3 * 0.7);
      expect(height / width).toBeLessThan((1 / 0.3) * 1.4);
    }
    expect(erased).toBeGreaterThan(faces * 0.9);
    // With probability 1/2, about half the faces (binomial: 4 standard deviations of 2,000 draws is ±4.5 %).
    const half = erasingMasks(2000, 0.5, createRng(22));
    let touched = 0;
    for (let i = 0; i < 2000; i++) if (half.subarray(i * 2304, (i + 1) * 2304).includes(0)) touched++;
    expect(Math.abs(touched / 2000 - 0.5 * (erased / faces))).toBeLessThan(0.045);
  });

  it('random erasing alone keeps every other pixel as it was; runs without it draw as before', () => {
    const options = { ...NO_AUGMENTATION, erase: 1 };
    expect(augments(options)).toBe(true);
    expect(augments({ ...NO_AUGMENTATION, erase: 0 })).toBe(false);
    const out = augmentBatch(image, options, createRng(9));
    const masks = erasingMasks(image.shape[0], 1, createRng(9));
    expect(Array.from(out.dataSync())).toEqual(Array.from(image.dataSync(), (v, i) => (masks[i] === 0 ? 0 : v)));
    expect(masks.includes(0)).toBe(true);
    out.dispose();
    // Erasing draws after the warp: with erase 0 the warp is the one the same seed gave before erasing existed.
    const plain = augmentBatch(image, defaultAugmentOptions, createRng(4));
    const same = augmentBatch(image, { ...defaultAugmentOptions, erase: 0 }, createRng(4));
    const warped = affineWarp(image, augmentationMatrices(image.shape[0], defaultAugmentOptions, createRng(4)));
    expect(Array.from(same.dataSync())).toEqual(Array.from(plain.dataSync()));
    expect(tf.max(tf.abs(tf.sub(plain, warped))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([plain, same, warped]);
  });

  it('is the identity with no augmentation', () => {
    const out = augmentBatch(image, NO_AUGMENTATION, createRng(1));
    expect(tf.max(tf.abs(tf.sub(out, image))).dataSync()[0]).toBeCloseTo(0, 3);
    out.dispose();
  });

  it('a flip mirrors each row exactly', () => {
    // With only flips allowed, find a face the random source flipped and compare with tf.reverse.
    const matrices = augmentationMatrices(4, { ...NO_AUGMENTATION, flip: true }, createRng(3));
    const flipped = [0, 1, 2, 3].filter((i) => matrices[i * 8] < 0);
    expect(flipped.length).toBeGreaterThan(0);
    const out = augmentBatch(image, { ...NO_AUGMENTATION, flip: true }, createRng(3));
    const i = flipped[0];
    const mirrored = tf.reverse(tf.slice(image, [i, 0, 0, 0], [1, -1, -1, -1]), 2);
    expect(tf.max(tf.abs(tf.sub(tf.slice(out, [i, 0, 0, 0], [1, -1, -1, -1]), mirrored))).dataSync()[0]).toBeCloseTo(0, 3);
    out.dispose();
  });

  it('is reproducible from the random source', () => {
    expect(augmentationMatrices(3, { flip: true, maxShift: 0.1, maxRotationDeg: 10, maxZoom: 0.1 }, createRng(5))).toEqual(
      augmentationMatrices(3, { flip: true, maxShift: 0.1, maxRotationDeg: 10, maxZoom: 0.1 }, createRng(5)),
    );
  });
});

describe('affineWarp', () => {
  it('matches a per-pixel bilinear reference for a rotation with zoom and shift', () => {
    const random = createRng(7);
    const matrices = augmentationMatrices(2, { flip: true, maxShift: 0.1, maxRotationDeg: 15, maxZoom: 0.2 }, random);
    const out = augmentBatch(image.slice([0, 0, 0, 0], [2, -1, -1, -1]) as tf.Tensor4D, { flip: true, maxShift: 0.1, maxRotationDeg: 15, maxZoom: 0.2 }, createRng(7));
    const values = image.dataSync();
    const got = out.dataSync();
    const read = (b: number, y: number, x: number) => values[b * 2304 + Math.min(47, Math.max(0, y)) * 48 + Math.min(47, Math.max(0, x))];
    for (const [b, y, x] of [[0, 0, 0], [0, 10, 30], [1, 47, 5], [1, 24, 24]]) {
      const t = matrices.subarray(b * 8, b * 8 + 8);
      const ix = Math.min(47, Math.max(0, t[0] * x + t[1] * y + t[2]));
      const iy = Math.min(47, Math.max(0, t[3] * x + t[4] * y + t[5]));
      const [x0, y0] = [Math.floor(ix), Math.floor(iy)];
      const [fx, fy] = [ix - x0, iy - y0];
      const expected =
        (1 - fy) * ((1 - fx) * read(b, y0, x0) + fx * read(b, y0, x0 + 1)) + fy * ((1 - fx) * read(b, y0 + 1, x0) + fx * read(b, y0 + 1, x0 + 1));
      expect(got[b * 2304 + y * 48 + x]).toBeCloseTo(expected, 0);
    }
    out.dispose();
  });
});

forEachBuild(() => {
  describe('augmentBatch on the WASM backend', () => {
    it("uses WASM's Transform kernel, which gives affineWarp's pixels for every face of a batch", async () => {
      const values = randomValues(16 * 2304, 11);
      const matrices = augmentationMatrices(16, defaultAugmentOptions, createRng(12));
      const xs = tf.tensor4d(values, [16, 48, 48, 1]);
      const reference = affineWarp(xs, matrices);
      const expected = reference.dataSync().slice();
      tf.dispose([xs, reference]);
      await initCpuAndWasm();
      try {
        const before = tf.memory().numTensors;
        const onWasm = tf.tensor4d(values, [16, 48, 48, 1]);
        let out: tf.Tensor4D | null = null;
        const profile = await tf.profile(() => (out = augmentBatch(onWasm, defaultAugmentOptions, createRng(12))));
        expect(profile.kernelNames).toContain('Transform');
        expect(profile.kernelNames).not.toContain('GatherV2');
        const got = out!.dataSync();
        let maxDiff = 0;
        for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i] - expected[i]));
        expect(maxDiff).toBeLessThan(1e-4);
        // The last face is warped too (tfjs 4.22's CPU Transform leaves all but the first at zero).
        expect(Math.max(...got.subarray(15 * 2304).map(Math.abs))).toBeGreaterThan(0.5);
        tf.dispose([onWasm, out!]);
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        await tf.setBackend('cpu');
      }
    });
  });
});
