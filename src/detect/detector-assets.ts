// Constants only (read by the Vite plugin in Node and by the inference worker): where the detector's weights are served.

/** npm package folder whose files the app serves; copied at build time, never fetched from a model hub. */
export const FACE_API_MODEL_DIR = 'node_modules/@vladmandic/face-api/model';

/** URL folder, relative to the app's base URL, where the weights are served. */
export const DETECTOR_ASSET_DIR = 'models/face-api';

/** The Tiny Face Detector (Tiny YOLO v2 with depthwise-separable convs): a 3 KB manifest and 193 KB of weights. */
export const TINY_FACE_DETECTOR_MANIFEST = 'tiny_face_detector_model-weights_manifest.json';
export const TINY_FACE_DETECTOR_WEIGHTS = 'tiny_face_detector_model.bin';

/** Every file served under DETECTOR_ASSET_DIR. */
export const DETECTOR_FILES = [TINY_FACE_DETECTOR_MANIFEST, TINY_FACE_DETECTOR_WEIGHTS] as const;
