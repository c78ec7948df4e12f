// Runs in the inference worker (or any page): face-api's Tiny Face Detector on our tfjs, with weights served by the app.
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import { AppFileError, errorMessage, isNetworkFailure } from '../core/errors';
import { fuseDetections } from '../core/face-crop/boxes';
import type { DetectedBox, RgbaImage } from '../core/face-crop/types';
import { TINY_FACE_DETECTOR_MANIFEST } from './detector-assets';
import type { DetectOptions, FaceDetector } from './face-detector';

/**
 * Measured on FER2013 test faces drawn at 185–215 px on 1400x1080 photos (e2e/try-it-photos.spec.ts with
 * DEBUG_FRAMING=1): the fused box is on average 13 % wider and 5 % taller than FER's tight crop, centred
 * 1.5 % left of it and 10 % of its height lower (it takes in the chin; FER keeps the forehead). These values
 * put the 48x48 crop where FER's was, on average; box to box the spread stays large (sd 10 % in position,
 * 14 % in size). Framing by 68-point landmarks instead (face-api's tiny landmark net) did no better: mean
 * IoU with FER's crop 0.764 against 0.786 for these box offsets, on 54 faces.
 */
export const TINY_FACE_DETECTOR_FRAMING = { margin: -0.05, shiftY: -0.09 } as const;

/** Two detections of one face at different input sizes overlap well above this; they are averaged. */
const MERGE_IOU = 0.3;

/**
 * face-api looks for a DOM (or Node) when it starts and finds neither in a worker. We only ever pass it tensors,
 * but its input checks still read `env.getEnv().Canvas` etc., so a worker gets stand-ins: OffscreenCanvas for
 * canvases and classes nothing is an instance of for images and videos.
 */
function ensureFaceApiEnvironment(): void {
  if (faceapi.env.isBrowser() || faceapi.env.isNodejs()) return;
  class NotInWorker {}
  faceapi.env.setEnv({
    Canvas: OffscreenCanvas,
    CanvasRenderingContext2D: OffscreenCanvasRenderingContext2D,
    Image: NotInWorker,
    ImageData,
    Video: NotInWorker,
    createCanvasElement: () => new OffscreenCanvas(1, 1),
    createImageElement: () => new NotInWorker(),
    createVideoElement: () => new NotInWorker(),
    fetch: (url: string, init?: RequestInit) => fetch(url, init),
    readFile: () => Promise.reject(new Error('no file system in a worker')),
  } as unknown as Parameters<typeof faceapi.env.setEnv>[0]);
}

/**
 * Loads the detector's weights from `baseUrl` (a folder URL ending in "/", e.g. the app's models/face-api/).
 * IMPORTANT: the weights come from the app's own origin: the app never fetches models from the internet.
 */
export async function loadTinyFaceDetector(baseUrl: string): Promise<FaceDetector> {
  ensureFaceApiEnvironment();
  const manifestUrl = new URL(TINY_FACE_DETECTOR_MANIFEST, baseUrl).href;
  let weights: tf.NamedTensorMap;
  try {
    const response = await fetch(manifestUrl);
    if (!response.ok)
      throw new AppFileError(`the face detector's weights are missing: ${manifestUrl} answered ${response.status}`);
    const manifest = (await response.json()) as tf.io.WeightsManifestConfig;
    weights = await tf.io.loadWeights(manifest, baseUrl);
  } catch (error) {
    if (error instanceof AppFileError || !isNetworkFailure(error)) throw error;
    throw new AppFileError(
      `could not load the face detector's weights from ${new URL(baseUrl).pathname} (${errorMessage(error)}): the network seems to be off or the site unreachable. Reconnect and try again; the photo itself is fine`,
    );
  }
  const net = new faceapi.TinyFaceDetector();
  // face-api bundles its own copy of the tfjs type declarations; at run time both are this app's tfjs.
  net.loadFromWeightMap(weights as unknown as Parameters<typeof net.loadFromWeightMap>[0]);
  return new TinyFaceDetector(net);
}

class TinyFaceDetector implements FaceDetector {
  readonly name = 'Tiny Face Detector (face-api)';
  readonly framing = TINY_FACE_DETECTOR_FRAMING;
  private readonly net: faceapi.TinyFaceDetector;

  constructor(net: faceapi.TinyFaceDetector) {
    this.net = net;
  }

  async detect(image: RgbaImage, options: DetectOptions): Promise<DetectedBox[]> {
    // [h, w, 3] int32 RGB; face-api pads it to a square and resizes it to each input size.
    const pixels = tf.browser.fromPixels(
      {
        data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength),
        width: image.width,
        height: image.height,
      },
      3,
    );
    try {
      const found: DetectedBox[] = [];
      for (const inputSize of options.inputSizes) {
        const detections = await this.net.locateFaces(
          pixels as unknown as faceapi.TNetInput,
          new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: options.minScore }),
        );
        for (const { box, score } of detections)
          found.push({ x: box.x, y: box.y, width: box.width, height: box.height, score });
      }
      return fuseDetections(found, MERGE_IOU);
    } finally {
      pixels.dispose();
    }
  }
}
