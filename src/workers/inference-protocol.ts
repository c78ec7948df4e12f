// Message types of the inference worker, both directions. Types only: both sides use `import type`, except
// isFinalInferenceEvent.
import type { Saliency } from '../core/inference/grad-cam';
import type { Box } from '../core/face-crop/types';
import type { ClassifierBundle } from '../core/model-format/classifier-bundle';
import type { BackendInfo } from './backend-choice';

/** Which tfjs backend the worker runs on, and how many threads the WASM one uses. */

export interface FaceResult {
  /** The detector's box (or the region asked for) in photo pixels, after EXIF rotation. */
  box: Box;
  /** The square actually cropped (may reach past the photo's edges, which are repeated). */
  region: Box;
  /** Detector confidence 0–1; null for a region the user chose. */
  score: number | null;
  /** Float32Array(2304): the 48x48 gray crop, 0–255, for display. */
  gray: Float32Array;
  /** Float32Array(2304): the standardised model input (sent back with a saliency request). */
  input: Float32Array;
  /** Float32Array(labels.length): class probabilities. */
  probs: Float32Array;
  /** Index of the most probable class. */
  top: number;
}

export interface PhotoResult {
  name: string;
  format: string;
  /** Size after EXIF rotation, in pixels. */
  width: number;
  height: number;
  /** 'detector': faces found by the detector; 'regions': the regions sent with the request. */
  source: 'detector' | 'regions';
  detector: string;
  modelId: string;
  decodeMs: number;
  detectMs: number;
  classifyMs: number;
  /** The probabilities are averaged over ten crops of each face. */
  tenCrop: boolean;
  faces: FaceResult[];
}

export interface FrameFace {
  box: Box;
  /** Detector confidence; 1 for a tracked box classified without detection. */
  score: number;
  probs: Float32Array;
  top: number;
}

export interface FrameResult {
  width: number;
  height: number;
  faces: FrameFace[];
  /** True when the faces were found by the detector; false when the tracked boxes sent were classified. */
  detected: boolean;
  /** Time spent in the worker on this frame: reading pixels, detecting, cropping and classifying. */
  workerMs: number;
  /** Reading the frame's pixels (full size and the detector's copy). */
  readMs: number;
  detectMs: number;
  classifyMs: number;
}

export type InferenceRequest =
  /**
   * Loads (or keeps, when the id matches) the saved model `modelId`, read from storage by the worker. `bundle`
   * is for a model that is not saved (the e2e test seam only). `backend` names the tfjs backend to try first;
   * only the worker's first request decides it.
   */
  | { type: 'model'; runId: string; modelId: string; bundle?: ClassifierBundle; backend?: string }
  /** Decodes a photo and classifies every face found, or the given regions (centre crop, a box drawn by hand). */
  | { type: 'photo'; runId: string; modelId: string; file: Blob; name: string; regions?: Box[]; tenCrop?: boolean }
  /**
   * One webcam frame (transferred; the worker closes it). A VideoFrame where the browser has them: reading its
   * pixels in the worker took 7 ms against 13 + 18 ms for an ImageBitmap drawn on a canvas (Chromium, 640x480).
   */
  | {
      type: 'frame';
      runId: string;
      modelId: string;
      frame: VideoFrame | ImageBitmap;
      /**
       * Face boxes followed from earlier frames: classify these, without running the detector (it is most of a
       * frame's time); absent, the detector finds the faces.
       */
      tracked?: Box[];
    }
  /** Grad-CAM for one face's standardised input (Float32Array(2304)). */
  | { type: 'saliency'; runId: string; modelId: string; input: Float32Array; classIndex: number };

export type InferenceEvent =
  | {
      type: 'model';
      runId: string;
      modelId: string;
      name: string;
      backend: BackendInfo;
      loadMs: number;
      addsSoftmax: boolean;
    }
  /** The result's typed arrays are transferred. */
  | { type: 'photo'; runId: string; result: PhotoResult }
  | { type: 'frame'; runId: string; result: FrameResult }
  | { type: 'saliency'; runId: string; classIndex: number; saliency: Saliency }
  /** fault 'app': one of the app's own files could not be loaded (the input is fine). */
  | { type: 'error'; runId: string | null; message: string; fault?: 'app' };

/** Whether the run of `event` is over after it: every inference request has one answer. */
export function isFinalInferenceEvent(event: InferenceEvent): boolean {
  switch (event.type) {
    case 'model':
    case 'photo':
    case 'frame':
    case 'saliency':
    case 'error':
      return true;
    default:
      return event satisfies never;
  }
}
