// Runs in the inference worker (and in Node tests with a fake `post` and fake image/detector deps): photos and
// webcam frames -> faces -> 48x48 crops -> class probabilities, and Grad-CAM for one face.
import { AppFileError, errorMessage } from '../core/errors';
import { PIXELS } from '../core/dataset/face-format';
import { readingOrder, scaleBox } from '../core/face-crop/boxes';
import { prepareFace, squareRegion } from '../core/face-crop/face-crop';
import { readPhotoHeader } from '../core/face-crop/photo-header';
import type { Box, DetectedBox, RgbaImage } from '../core/face-crop/types';
import {
  argMaxRow,
  classifyFaces,
  disposeClassifier,
  loadClassifier,
  type Classifier,
} from '../core/inference/classifier';
import { faceSaliency } from '../core/inference/grad-cam';
import type { DetectOptions, FaceDetector } from '../detect/face-detector';
import type { BackendInfo } from './backend-choice';
import type {
  FaceResult,
  FrameFace,
  InferenceEvent,
  InferenceRequest,
} from './inference-protocol';
import type { ClassifierBundle } from '../core/model-format/classifier-bundle';
import type { Post } from './worker-messages';

/** A decoded image: full resolution for the crops, and a copy no larger than the detector needs. */
export interface DecodedImage {
  full: RgbaImage;
  detection: RgbaImage;
  /** full.width / detection.width (1 when no smaller copy was made). */
  scale: number;
}

/** What the handler needs from its surroundings; the worker passes browser implementations, tests fakes. */
export interface InferenceDeps {
  /** Picks and readies the tfjs backend, trying `preferred` first when given. Called once. */
  initBackend(preferred?: string): Promise<BackendInfo>;
  /** Loads the face detector. Called once, after initBackend. */
  loadDetector(): Promise<FaceDetector>;
  /** Decodes a photo file (EXIF orientation applied); rejects with a message when it cannot be decoded. */
  decodePhoto(file: Blob, maxDetectionSide: number): Promise<DecodedImage>;
  /** Reads a webcam frame's pixels (the handler closes the frame afterwards). */
  readFrame(frame: VideoFrame | ImageBitmap, maxDetectionSide: number): Promise<DecodedImage>;
  /** Reads a saved model by id (IndexedDB in the worker); null when it is not saved. */
  loadBundle(id: string): Promise<ClassifierBundle | null>;
  /** The clock for the reported times, in ms; performance.now unless given (tests pass a fake one). */
  now?: () => number;
}

/**
 * Photos: the detector sees a copy whose longer side is at most 1024 px, at input sizes 416 and 800: at 416 a
 * face filling the photo fits the detector's largest anchor (~290 px), at 800 faces down to ~1/16 of the photo
 * width still cover ~50 px, the detector's smallest anchor. Crops come from the full-resolution photo.
 */
export const PHOTO_DETECTION_SIDE = 1024;
export const PHOTO_DETECT: DetectOptions = { inputSizes: [416, 800], minScore: 0.5 };
/**
 * Webcam: one detector pass at input size 224 (face-api scales the frame down itself). A face at arm's length
 * (~200 px of a 640x480 frame) is ~70 px there, well inside the detector's anchors, and a pass costs half of one
 * at 320. Frames up to 1280 px are read whole; larger ones get a copy for the detector.
 */
export const FRAME_DETECTION_SIDE = 1280;
export const FRAME_DETECT: DetectOptions = { inputSizes: [224], minScore: 0.5 };

export function createInferenceHandler(post: Post<InferenceEvent>, deps: InferenceDeps) {
  let backend: Promise<BackendInfo> | null = null;
  let detector: Promise<FaceDetector> | null = null;
  let classifier: Classifier | null = null;
  let queue: Promise<void> = Promise.resolve();
  const now = deps.now ?? (() => performance.now());

  const ready = (preferred?: string) => (backend ??= deps.initBackend(preferred));
  const faceDetector = async () => {
    await ready();
    return (detector ??= deps.loadDetector().catch((error: unknown) => {
      detector = null; // let a later request try again
      throw error;
    }));
  };

  function requireModel(modelId: string): Classifier {
    if (!classifier || classifier.id !== modelId)
      throw new Error(`the model ${modelId} is not loaded in the inference worker`);
    return classifier;
  }

  /** Crops, standardises and classifies the regions; probabilities come back per face. */
  async function classifyRegions(model: Classifier, image: RgbaImage, regions: Box[], tenCrop = false) {
    const prepared = regions.map((region) => prepareFace(image, region, model));
    const inputs = new Float32Array(prepared.length * PIXELS);
    prepared.forEach((face, i) => inputs.set(face.input, i * PIXELS));
    const started = now();
    const probs = await classifyFaces(model, inputs, { tenCrop });
    const classes = model.labels.length;
    return {
      classifyMs: now() - started,
      faces: prepared.map((face, i) => ({
        ...face,
        probs: probs.slice(i * classes, (i + 1) * classes),
        top: argMaxRow(probs, classes, i),
      })),
    };
  }

  async function detectFaces(
    image: DecodedImage,
    options: DetectOptions,
  ): Promise<{ boxes: DetectedBox[]; detector: FaceDetector; detectMs: number }> {
    const found = await faceDetector();
    const started = now();
    const boxes = (await found.detect(image.detection, options)).map((box) => scaleBox(box, image.scale));
    return { boxes, detector: found, detectMs: now() - started };
  }

  async function handle(msg: InferenceRequest): Promise<void> {
    switch (msg.type) {
      case 'model': {
        const info = await ready(msg.backend);
        if (classifier?.id !== msg.modelId) {
          const started = now();
          const bundle = msg.bundle ?? (await deps.loadBundle(msg.modelId));
          if (!bundle) throw new Error(`the model ${msg.modelId} is no longer saved (deleted in another tab?)`);
          const loaded = await loadClassifier(bundle);
          if (classifier) disposeClassifier(classifier);
          classifier = loaded;
          post({
            type: 'model',
            runId: msg.runId,
            modelId: loaded.id,
            name: loaded.name,
            backend: info,
            loadMs: now() - started,
            addsSoftmax: loaded.addsSoftmax,
          });
        } else {
          post({
            type: 'model',
            runId: msg.runId,
            modelId: classifier.id,
            name: classifier.name,
            backend: info,
            loadMs: 0,
            addsSoftmax: classifier.addsSoftmax,
          });
        }
        return;
      }
      case 'photo': {
        const model = requireModel(msg.modelId);
        const started = now();
        const header = readPhotoHeader(new Uint8Array(await msg.file.arrayBuffer()));
        await ready();
        const image = await deps.decodePhoto(msg.file, PHOTO_DETECTION_SIDE);
        const decodeMs = now() - started;
        let boxes: { box: Box; score: number | null; region: Box }[];
        let detectMs = 0;
        let detectorName = '';
        if (msg.regions) {
          boxes = msg.regions.map((region) => ({ box: region, score: null, region }));
        } else {
          const detected = await detectFaces(image, PHOTO_DETECT);
          detectMs = detected.detectMs;
          detectorName = detected.detector.name;
          boxes = readingOrder(detected.boxes).map(({ score, ...box }) => ({
            box,
            score,
            region: squareRegion(box, detected.detector.framing),
          }));
        }
        const { faces, classifyMs } = await classifyRegions(
          model,
          image.full,
          boxes.map((b) => b.region),
          msg.tenCrop ?? false,
        );
        const results: FaceResult[] = faces.map((face, i) => ({ ...boxes[i], ...face }));
        post(
          {
            type: 'photo',
            runId: msg.runId,
            result: {
              name: msg.name,
              format: header.format,
              width: image.full.width,
              height: image.full.height,
              source: msg.regions ? 'regions' : 'detector',
              detector: detectorName,
              modelId: model.id,
              decodeMs,
              detectMs,
              classifyMs,
              tenCrop: msg.tenCrop ?? false,
              faces: results,
            },
          },
          results.flatMap((face) => [face.gray.buffer, face.input.buffer, face.probs.buffer]),
        );
        return;
      }
      case 'frame': {
        const model = requireModel(msg.modelId);
        const started = now();
        let image: DecodedImage;
        try {
          image = await deps.readFrame(msg.frame, FRAME_DETECTION_SIDE);
        } finally {
          msg.frame.close?.();
        }
        const readMs = now() - started;
        const { boxes, detector: found, detectMs } = msg.tracked
          ? { boxes: msg.tracked.map((box) => ({ ...box, score: 1 })), detector: await faceDetector(), detectMs: 0 }
          : await detectFaces(image, FRAME_DETECT);
        const { faces, classifyMs } = await classifyRegions(
          model,
          image.full,
          boxes.map((box) => squareRegion(box, found.framing)),
        );
        const results: FrameFace[] = faces.map((face, i) => {
          const { x, y, width, height, score } = boxes[i];
          return { box: { x, y, width, height }, score, probs: face.probs, top: face.top };
        });
        post(
          {
            type: 'frame',
            runId: msg.runId,
            result: {
              width: image.full.width,
              height: image.full.height,
              faces: results,
              detected: !msg.tracked,
              workerMs: now() - started,
              readMs,
              detectMs,
              classifyMs,
            },
          },
          results.map((face) => face.probs.buffer),
        );
        return;
      }
      case 'saliency': {
        const model = requireModel(msg.modelId);
        const saliency = faceSaliency(model, msg.input, msg.classIndex);
        post({ type: 'saliency', runId: msg.runId, classIndex: msg.classIndex, saliency }, [
          saliency.heat.buffer,
        ]);
        return;
      }
      default:
        msg satisfies never;
    }
  }

  /** Requests run one at a time, in order (a model switch never happens under a running prediction). */
  return (msg: InferenceRequest): Promise<void> => {
    const run = queue.then(async () => {
      try {
        await handle(msg);
      } catch (error) {
        // Photo errors name the file: "party.png: it is empty (0 bytes)".
        const message = msg.type === 'photo' ? `${msg.name}: ${errorMessage(error)}` : errorMessage(error);
        post({ type: 'error', runId: msg.runId, message, ...(error instanceof AppFileError ? { fault: 'app' as const } : {}) });
      }
    });
    queue = run;
    return run;
  };
}
