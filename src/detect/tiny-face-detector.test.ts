import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import jpeg from 'jpeg-js';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppFileError } from '../core/errors';
import type { RgbaImage } from '../core/face-crop/types';
import { DETECTOR_ASSET_DIR, DETECTOR_FILES, FACE_API_MODEL_DIR, TINY_FACE_DETECTOR_MANIFEST } from './detector-assets';
import { loadTinyFaceDetector, TINY_FACE_DETECTOR_FRAMING } from './tiny-face-detector';

/** The app's origin as a test server: the detector files from the npm package under /app/models/face-api/. */
let server: Server;
let origin: string;
const requested: string[] = [];
let missing = false;

beforeAll(async () => {
  await tf.setBackend('cpu');
  server = createServer((request, response) => {
    requested.push(request.url!);
    const name = DETECTOR_FILES.find((file) => request.url === `/app/${DETECTOR_ASSET_DIR}/${file}`);
    if (!name || missing) return void response.writeHead(404).end();
    response.writeHead(200).end(readFileSync(resolve(FACE_API_MODEL_DIR, name)));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => server.close());

afterEach(() => {
  vi.restoreAllMocks();
  requested.length = 0;
  missing = false;
});

const baseUrl = () => `${origin}/app/${DETECTOR_ASSET_DIR}/`;

/** A width x height RGBA image of one colour. */
function flat(width: number, height: number, [r, g, b]: [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([r, g, b, 255], i * 4);
  return { data, width, height };
}

describe('loadTinyFaceDetector', () => {
  it('reads its manifest and weights from the folder it is given, on the app\u2019s origin, and nothing else', async () => {
    const detector = await loadTinyFaceDetector(baseUrl());
    expect(requested).toEqual([`/app/${DETECTOR_ASSET_DIR}/${TINY_FACE_DETECTOR_MANIFEST}`, `/app/${DETECTOR_ASSET_DIR}/tiny_face_detector_model.bin`]);
    expect(detector.name).toBe('Tiny Face Detector (face-api)');
    expect(detector.framing).toEqual(TINY_FACE_DETECTOR_FRAMING);
  });

  it('says which file is missing when the server answers 404', async () => {
    missing = true;
    const loading = loadTinyFaceDetector(baseUrl());
    await expect(loading).rejects.toBeInstanceOf(AppFileError);
    await expect(loading).rejects.toThrow(`the face detector's weights are missing: ${baseUrl()}${TINY_FACE_DETECTOR_MANIFEST} answered 404`);
  });

  it('says the network is off when the site cannot be reached, naming the folder and not blaming the photo', async () => {
    const closed = createServer();
    await new Promise<void>((ready) => closed.listen(0, '127.0.0.1', ready));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    const loading = loadTinyFaceDetector(`http://127.0.0.1:${port}/app/${DETECTOR_ASSET_DIR}/`);
    await expect(loading).rejects.toBeInstanceOf(AppFileError);
    await expect(loading).rejects.toThrow(/^could not load the face detector's weights from \/app\/models\/face-api\/ \(.+\): the network seems to be off .* the photo itself is fine$/);
  });
});

describe('TinyFaceDetector.detect with the network\u2019s output faked', () => {
  /** face-api's locateFaces replaced: per input size, the detections it "finds"; every call recorded. */
  function fakeNet(bySize: Record<number, { x: number; y: number; width: number; height: number; score: number }[]>) {
    const calls: { inputSize: number; scoreThreshold: number; shape: number[]; pixel: number[] }[] = [];
    vi.spyOn(faceapi.TinyFaceDetector.prototype, 'locateFaces').mockImplementation(async (input, options) => {
      const pixels = input as unknown as tf.Tensor3D;
      const { inputSize, scoreThreshold } = options as faceapi.TinyFaceDetectorOptions;
      calls.push({ inputSize, scoreThreshold, shape: pixels.shape, pixel: tf.tidy(() => Array.from(pixels.slice([0, 0, 0], [1, 1, 3]).dataSync())) });
      return (bySize[inputSize] ?? []).map(({ score, ...box }) => ({ box, score }) as unknown as faceapi.FaceDetection);
    });
    return calls;
  }

  it('runs every input size with the minimum score on the RGB pixels, and hands back the detections in image pixels', async () => {
    const calls = fakeNet({ 416: [{ x: 10, y: 20, width: 30, height: 40, score: 0.8 }] });
    const detector = await loadTinyFaceDetector(baseUrl());
    const boxes = await detector.detect(flat(64, 48, [10, 20, 30]), { inputSizes: [416, 800], minScore: 0.55 });
    expect(calls).toEqual([
      { inputSize: 416, scoreThreshold: 0.55, shape: [48, 64, 3], pixel: [10, 20, 30] },
      { inputSize: 800, scoreThreshold: 0.55, shape: [48, 64, 3], pixel: [10, 20, 30] },
    ]);
    expect(boxes).toEqual([{ x: 10, y: 20, width: 30, height: 40, score: 0.8 }]);
  });

  it('fuses one face found at two sizes into their score-weighted average, keeps another face apart, best first', async () => {
    fakeNet({
      224: [
        { x: 300, y: 60, width: 50, height: 50, score: 0.6 },
        { x: 100, y: 50, width: 80, height: 80, score: 0.9 },
      ],
      416: [{ x: 104, y: 54, width: 84, height: 76, score: 0.7 }],
    });
    const detector = await loadTinyFaceDetector(baseUrl());
    const boxes = await detector.detect(flat(400, 300, [90, 90, 90]), { inputSizes: [224, 416], minScore: 0.5 });
    expect(boxes).toHaveLength(2);
    const weighted = (a: number, b: number) => (a * 0.9 + b * 0.7) / 1.6;
    expect(boxes[0].score).toBe(0.9);
    expect(boxes[0].x).toBeCloseTo(weighted(100, 104), 9);
    expect(boxes[0].y).toBeCloseTo(weighted(50, 54), 9);
    expect(boxes[0].width).toBeCloseTo(weighted(80, 84), 9);
    expect(boxes[0].height).toBeCloseTo(weighted(80, 76), 9);
    expect(boxes[1]).toEqual({ x: 300, y: 60, width: 50, height: 50, score: 0.6 });
  });

  it('frees its tensors, also when the network fails', async () => {
    const detector = await loadTinyFaceDetector(baseUrl());
    fakeNet({});
    const before = tf.memory().numTensors;
    await detector.detect(flat(32, 32, [0, 0, 0]), { inputSizes: [224], minScore: 0.5 });
    expect(tf.memory().numTensors).toBe(before);
    vi.spyOn(faceapi.TinyFaceDetector.prototype, 'locateFaces').mockRejectedValue(new Error('backend lost'));
    await expect(detector.detect(flat(32, 32, [0, 0, 0]), { inputSizes: [224], minScore: 0.5 })).rejects.toThrow('backend lost');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('TinyFaceDetector.detect with the real network', () => {
  it('finds the faces of face-api\u2019s demo photo inside the photo, best first, and none on a blank image, without leaking tensors', async () => {
    const detector = await loadTinyFaceDetector(baseUrl());
    const photo = jpeg.decode(readFileSync(resolve('node_modules/@vladmandic/face-api/demo/sample1.jpg')), { useTArray: true });
    const image: RgbaImage = { data: new Uint8ClampedArray(photo.data.buffer), width: photo.width, height: photo.height };
    const before = tf.memory().numTensors;
    const faces = await detector.detect(image, { inputSizes: [416], minScore: 0.5 });
    expect(faces.length).toBeGreaterThan(0);
    for (const box of faces) {
      expect(box.score).toBeGreaterThanOrEqual(0.5);
      expect(box.width).toBeGreaterThan(10);
      expect(box.x).toBeGreaterThanOrEqual(-1);
      expect(box.y).toBeGreaterThanOrEqual(-1);
      expect(box.x + box.width).toBeLessThanOrEqual(image.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(image.height + 1);
    }
    expect(faces.map((box) => box.score)).toEqual([...faces.map((box) => box.score)].sort((a, b) => b - a));
    expect(await detector.detect(flat(320, 240, [128, 128, 128]), { inputSizes: [416], minScore: 0.5 })).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
