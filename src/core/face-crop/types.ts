// Pure image types shared by the face pipeline, the detector wrapper and the inference worker. No DOM.

/**
 * An RGBA image: `data` is row-major, 4 bytes per pixel (R, G, B, A), length width*height*4 —
 * the layout of the DOM's ImageData, without depending on it.
 */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** A one-channel image: row-major gray levels 0–255 (floats keep fractions from averaging), length width*height. */
export interface GrayImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** An axis-aligned rectangle in pixels of some image: top-left corner, width and height (may be fractional). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A face found by a detector: its box in the image's pixels and the detector's confidence 0–1. */
export interface DetectedBox extends Box {
  score: number;
}
