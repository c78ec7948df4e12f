// Pure types for face detectors (used by the inference worker and its Node tests). No DOM.
import type { FaceFraming } from '../core/face-crop/face-crop';
import type { DetectedBox, RgbaImage } from '../core/face-crop/types';

export interface DetectOptions {
  /**
   * Detector input sizes in pixels (multiples of 32). The image is scaled to each in turn and the results
   * merged, so both faces that fill the photo and small ones in a group are found.
   */
  inputSizes: readonly number[];
  /** Detections scoring below this (0–1) are dropped. */
  minScore: number;
}

export interface FaceDetector {
  /** Shown to the user, e.g. "Tiny Face Detector (face-api)". */
  readonly name: string;
  /** How this detector's boxes map to the square crop the classifier expects (calibrated on FER2013 faces). */
  readonly framing: FaceFraming;
  /**
   * Finds faces. Boxes are in the given image's pixels, best first; detections of one face at several input
   * sizes are fused into one box. Tensors it creates are disposed before it resolves.
   */
  detect(image: RgbaImage, options: DetectOptions): Promise<DetectedBox[]>;
}
