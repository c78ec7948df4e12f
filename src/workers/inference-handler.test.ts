import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIXELS } from '../core/dataset/face-format';
import { squareRegion } from '../core/face-crop/face-crop';
import type { DetectedBox, RgbaImage } from '../core/face-crop/types';
import { classifierBundleOf } from '../core/inference/bundle';
import { FER2013_EMOTIONS } from '../core/labels/fer2013';
import { buildModel } from '../core/nets/architectures';
import type { ClassifierBundle } from '../core/model-format/classifier-bundle';
import type { FaceDetector } from '../detect/face-detector';
import { createInferenceHandler, type DecodedImage, type InferenceDeps } from './inference-handler';
import type { InferenceEvent } from './inference-protocol';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A 400x300 photo: gray background 90, two "faces" (flat squares of gray 30 and 220). */
function photo(): RgbaImage {
  const width = 400;
  const height = 300;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value =
        x >= 40 && x < 140 && y >= 60 && y < 160 ? 30 : x >= 250 && x < 350 && y >= 50 && y < 150 ? 220 : 90;
      data.set([value, value, value, 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** The detector box of face k, as the fake detector reports it (right face first, to test the ordering). */
const FACE_BOXES: DetectedBox[] = [
  { x: 250, y: 50, width: 100, height: 100, score: 0.8 },
  { x: 40, y: 60, width: 100, height: 100, score: 0.9 },
];

const fakeDetector: FaceDetector = {
  name: 'fake detector',
  framing: { margin: 0, shiftY: 0 },
  detect: async () => FACE_BOXES.map((box) => ({ ...box })),
};

/** A PNG file's first bytes: enough for the header check; the fake decoder supplies the pixels. */
function pngFile(width = 400, height = 300): Blob {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, width);
  new DataView(bytes.buffer).setUint32(20, height);
  return new Blob([bytes]);
}

function deps(overrides: Partial<InferenceDeps> = {}): InferenceDeps {
  const image = photo();
  const decoded: DecodedImage = { full: image, detection: image, scale: 1 };
  return {
    initBackend: async () => ({ backend: 'cpu', reason: 'test', attempts: [], device: 'plain JavaScript' }),
    loadDetector: async () => fakeDetector,
    decodePhoto: async () => decoded,
    readFrame: async () => decoded,
    // The saved models, as IndexedDB would give them by id.
    loadBundle: async (id) => (id === bundle.id ? bundle : null),
    ...overrides,
  };
}

const mean = new Float32Array(PIXELS).fill(100);
const std = new Float32Array(PIXELS).fill(50);
let bundle: ClassifierBundle;

beforeAll(async () => {
  const model = buildModel('compact', 7);
  bundle = await classifierBundleOf(model, { id: 'm1', name: 'Compact', mean, std, labels: FER2013_EMOTIONS });
  model.dispose();
});

function recorder(overrides?: Partial<InferenceDeps>) {
  const events: { event: InferenceEvent; transfer: Transferable[] }[] = [];
  const handle = createInferenceHandler(
    (event, transfer = []) => events.push({ event, transfer }),
    deps(overrides),
  );
  const last = () => events[events.length - 1].event;
  return { events, handle, last };
}

describe('inference handler: where the model comes from', () => {
  it('reads a saved model by id, and says so when it is gone', async () => {
    const { events, handle } = recorder();
    await handle({ type: 'model', runId: 'a', modelId: 'm1' });
    expect(events[0].event).toMatchObject({ type: 'model', modelId: 'm1', name: 'Compact' });
    await handle({ type: 'model', runId: 'b', modelId: 'deleted' });
    expect(events.at(-1)!.event).toMatchObject({ type: 'error', runId: 'b' });
    expect((events.at(-1)!.event as { message: string }).message).toMatch(/the model deleted is no longer saved/);
  });

  it('takes a whole bundle only when one is handed over (the e2e test seam), without reading storage', async () => {
    const { events, handle } = recorder({ loadBundle: async () => { throw new Error('storage must not be read'); } });
    await handle({ type: 'model', runId: 'a', modelId: bundle.id, bundle });
    expect(events[0].event).toMatchObject({ type: 'model', modelId: 'm1' });
  });
});

describe('inference handler', () => {
  it('loads the model once, then finds, crops, standardises and classifies every face in reading order', async () => {
    const { events, handle, last } = recorder();
    // Not awaited: requests queue, so the photo waits for the model.
    void handle({ type: 'model', runId: 'm', modelId: bundle.id });
    await handle({ type: 'photo', runId: 'p', modelId: 'm1', file: pngFile(), name: 'two.png' });
    expect(events.map((e) => e.event.type)).toEqual(['model', 'photo']);
    expect(events[0].event).toMatchObject({
      type: 'model',
      modelId: 'm1',
      backend: { backend: 'cpu' },
      addsSoftmax: false,
    });

    const photoEvent = last();
    if (photoEvent.type !== 'photo') throw new Error('expected photo');
    const { result } = photoEvent;
    expect(result).toMatchObject({
      name: 'two.png',
      format: 'PNG',
      width: 400,
      height: 300,
      source: 'detector',
      detector: 'fake detector',
      modelId: 'm1',
    });
    expect(result.faces.map((face) => face.box.x)).toEqual([40, 250]); // left to right
    expect(result.faces[0].region).toEqual(squareRegion(FACE_BOXES[1], fakeDetector.framing));
    expect(result.faces[0].score).toBe(0.9);
    // The crops are the flat squares: gray 30 and 220, standardised with the model's mean 100 and std 50.
    expect(result.faces[0].gray[1000]).toBeCloseTo(30, 3);
    expect(result.faces[0].input[1000]).toBeCloseTo((30 - 100) / 50, 4);
    expect(result.faces[1].gray[PIXELS - 1]).toBeCloseTo(220, 3);
    for (const face of result.faces) {
      expect(face.probs.length).toBe(7);
      expect(face.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(face.top).toBe(face.probs.indexOf(Math.max(...face.probs)));
    }
    // Typed arrays travel as transferred buffers.
    expect(events[1].transfer).toContain(result.faces[0].gray.buffer);
    expect(events[1].transfer).toContain(result.faces[1].probs.buffer);

    // The same model again: no reload.
    await handle({ type: 'model', runId: 'm2', modelId: bundle.id });
    expect(last()).toMatchObject({ type: 'model', runId: 'm2', loadMs: 0 });
  });

  it('classifies the regions it is given (centre crop, a box drawn by hand) without detecting', async () => {
    let detections = 0;
    const { handle, last } = recorder({
      loadDetector: async () => ({ ...fakeDetector, detect: async () => (detections++, []) }),
    });
    await handle({ type: 'model', runId: 'm', modelId: bundle.id });
    await handle({
      type: 'photo',
      runId: 'r',
      modelId: 'm1',
      file: pngFile(),
      name: 'x.png',
      regions: [{ x: 250, y: 50, width: 100, height: 100 }],
    });
    const event = last();
    if (event.type !== 'photo') throw new Error(`expected photo, got ${JSON.stringify(event)}`);
    expect(detections).toBe(0);
    expect(event.result.source).toBe('regions');
    expect(event.result.faces).toHaveLength(1);
    expect(event.result.faces[0].score).toBeNull();
    expect(event.result.faces[0].gray[500]).toBeCloseTo(220, 3);
  });

  it('reports a photo with no faces as an empty list', async () => {
    const { handle, last } = recorder({
      loadDetector: async () => ({ ...fakeDetector, detect: async () => [] }),
    });
    await handle({ type: 'model', runId: 'm', modelId: bundle.id });
    await handle({ type: 'photo', runId: 'p', modelId: 'm1', file: pngFile(), name: 'empty-room.png' });
    expect(last()).toMatchObject({ type: 'photo', result: { faces: [] } });
  });

  it('answers bad photos with one error naming the file, and keeps working', async () => {
    const { handle, last } = recorder({
      decodePhoto: async (file) => {
        if (file.size > 40)
          throw new Error('the image data could not be decoded: the file is corrupt or truncated');
        return deps().decodePhoto(file, 0);
      },
    });
    await handle({ type: 'model', runId: 'm', modelId: bundle.id });
    const cases: [Blob, string, string][] = [
      [new Blob([]), 'empty.jpg', 'empty.jpg: it is empty (0 bytes)'],
      [
        new Blob(['just some notes\n']),
        'notes.png',
        'notes.png: it is not an image: it looks like a text file',
      ],
      [
        pngFile(10_000, 6_000),
        'huge.png',
        'huge.png: it is 60.0 megapixels (10000×6000); the limit is 50 MP',
      ],
      [
        new Blob([await pngFile().arrayBuffer(), new Uint8Array(100)]),
        'broken.png',
        'broken.png: the image data could not be decoded',
      ],
    ];
    for (const [file, name, message] of cases) {
      await handle({ type: 'photo', runId: name, modelId: 'm1', file, name });
      const event = last();
      expect(event).toMatchObject({ type: 'error', runId: name });
      expect(event.type === 'error' && event.message).toContain(message);
    }
    await handle({ type: 'photo', runId: 'ok', modelId: 'm1', file: pngFile(), name: 'fine.png' });
    expect(last()).toMatchObject({ type: 'photo', runId: 'ok' });
    await handle({ type: 'photo', runId: 'other', modelId: 'nope', file: pngFile(), name: 'fine.png' });
    expect(last()).toMatchObject({
      type: 'error',
      message: 'fine.png: the model nope is not loaded in the inference worker',
    });
  });

  it('classifies webcam frames and closes each frame bitmap', async () => {
    const { handle, last } = recorder();
    await handle({ type: 'model', runId: 'm', modelId: bundle.id });
    let closed = 0;
    const frame = { width: 400, height: 300, close: () => closed++ } as unknown as ImageBitmap;
    await handle({ type: 'frame', runId: 'f1', modelId: 'm1', frame });
    const event = last();
    if (event.type !== 'frame') throw new Error('expected frame');
    expect(closed).toBe(1);
    expect(event.result.faces).toHaveLength(2);
    expect(event.result.faces[0].probs.length).toBe(7);
    expect(event.result.faces.map((face) => face.box)).toEqual(FACE_BOXES.map(({ x, y, width, height }) => ({ x, y, width, height })));
  });

  it('times a frame on its clock: reading, detection and classification, and the whole request', async () => {
    // A fake clock on which reading a frame takes 4 ms, detecting 7 ms, and classifying none.
    let clockMs = 500;
    const image = photo();
    const { handle, last } = recorder({
      now: () => clockMs,
      readFrame: async () => {
        clockMs += 4;
        return { full: image, detection: image, scale: 1 };
      },
      loadDetector: async () => ({
        ...fakeDetector,
        detect: async (input, options) => {
          clockMs += 7;
          return fakeDetector.detect(input, options);
        },
      }),
    });
    await handle({ type: 'model', runId: 'm', modelId: bundle.id });
    const frame = { width: 400, height: 300, close: () => undefined } as unknown as ImageBitmap;
    await handle({ type: 'frame', runId: 'f1', modelId: 'm1', frame });
    expect(last()).toMatchObject({ type: 'frame', result: { readMs: 4, detectMs: 7, classifyMs: 0, workerMs: 11, detected: true } });
    // A tracked frame skips the detector: no detection time.
    await handle({ type: 'frame', runId: 'f2', modelId: 'm1', frame, tracked: FACE_BOXES.map(({ x, y, width, height }) => ({ x, y, width, height })) });
    expect(last()).toMatchObject({ type: 'frame', result: { readMs: 4, detectMs: 0, classifyMs: 0, workerMs: 4, detected: false } });
  });

  it('computes Grad-CAM for a face, and tensor counts stay flat across repeated requests', async () => {
    const { handle, last } = recorder();
    await handle({ type: 'model', runId: 'm', modelId: bundle.id });
    const frame = { width: 400, height: 300, close: () => undefined } as unknown as ImageBitmap;
    const round = async (i: number) => {
      await handle({ type: 'photo', runId: `p${i}`, modelId: 'm1', file: pngFile(), name: 'two.png' });
      const event = last();
      if (event.type !== 'photo') throw new Error('expected photo');
      await handle({ type: 'frame', runId: `f${i}`, modelId: 'm1', frame });
      await handle({
        type: 'saliency',
        runId: `s${i}`,
        modelId: 'm1',
        input: event.result.faces[0].input,
        classIndex: event.result.faces[0].top,
      });
      return last();
    };
    const first = await round(0);
    expect(first).toMatchObject({ type: 'saliency', saliency: { method: 'grad-cam' } });
    expect(first.type === 'saliency' && first.saliency.heat.length).toBe(PIXELS);
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 3; i++) await round(i);
    expect(tf.memory().numTensors).toBe(before);
  }, 180_000); // a hang guard, not a speed check: a loaded 2-core machine took 47 s here
});
