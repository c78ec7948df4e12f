// Inference worker entry: face detection, 48x48 crops, classification and Grad-CAM off the main thread.
import { DETECTOR_ASSET_DIR } from '../detect/detector-assets';
import { loadTinyFaceDetector } from '../detect/tiny-face-detector';
import { loadClassifierBundle } from '../storage/model-store';
import { decodePhoto, readFrame } from './image-decode';
import { initInferenceBackend } from './inference-backend';
import { createInferenceHandler } from './inference-handler';
import type { InferenceRequest } from './inference-protocol';

const handle = createInferenceHandler((event, transfer = []) => self.postMessage(event, { transfer }), {
  initBackend: initInferenceBackend,
  loadDetector: () =>
    loadTinyFaceDetector(
      new URL(`${import.meta.env.BASE_URL}${DETECTOR_ASSET_DIR}/`, self.location.origin).href,
    ),
  decodePhoto,
  readFrame,
  loadBundle: loadClassifierBundle,
});
self.onmessage = (e: MessageEvent<InferenceRequest>) => void handle(e.data);
