// Runs in the inference and dataset workers (needs createImageBitmap and OffscreenCanvas): photo files, webcam
// frames and data-set image files -> RGBA pixels.
import type { RgbaImage } from '../core/face-crop/types';
import type { DecodeImage } from '../core/image-folders/load-image-folders';
import type { DecodedImage } from './inference-handler';

/** Draws (part of) a bitmap scaled to width x height and reads its pixels back. */
function drawToRgba(bitmap: ImageBitmap, width: number, height: number): RgbaImage {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas in this worker');
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high'; // a proper downscale filter, not nearest pixels
  context.drawImage(bitmap, 0, 0, width, height);
  const { data } = context.getImageData(0, 0, width, height);
  return { data, width, height };
}

/** The full image, plus a copy whose longer side is at most maxSide (the same object when already small). */
function decoded(bitmap: ImageBitmap, maxSide: number): DecodedImage {
  const { width, height } = bitmap;
  const full = drawToRgba(bitmap, width, height);
  const scale = Math.max(width, height) / maxSide;
  if (scale <= 1) return { full, detection: full, scale: 1 };
  const detection = drawToRgba(
    bitmap,
    Math.max(1, Math.round(width / scale)),
    Math.max(1, Math.round(height / scale)),
  );
  return { full, detection, scale: width / detection.width };
}

/**
 * Decodes a JPEG, PNG or WebP file with the browser's decoder. EXIF orientation is applied
 * ('from-image', the default since Chromium 81), so width and height are those of the upright photo.
 */
export async function decodePhoto(file: Blob, maxDetectionSide: number): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (error) {
    throw new Error('the image data could not be decoded: the file is corrupt or truncated', {
      cause: error,
    });
  }
  try {
    return decoded(bitmap, maxDetectionSide);
  } finally {
    bitmap.close();
  }
}

/**
 * A webcam frame's pixels (the caller closes the frame). A VideoFrame is copied straight out as RGBA; where
 * the browser cannot convert its format that way, it is drawn on a canvas like an ImageBitmap.
 */
export async function readFrame(
  frame: VideoFrame | ImageBitmap,
  maxDetectionSide: number,
): Promise<DecodedImage> {
  if (typeof VideoFrame !== 'undefined' && frame instanceof VideoFrame) {
    const width = frame.displayWidth;
    const height = frame.displayHeight;
    if (Math.max(width, height) <= maxDetectionSide) {
      try {
        const data = new Uint8ClampedArray(width * height * 4);
        await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb' });
        const full = { data, width, height };
        return { full, detection: full, scale: 1 };
      } catch {
        // e.g. a browser without RGBA conversion in copyTo: draw it instead
      }
    }
    const bitmap = await createImageBitmap(frame);
    try {
      return decoded(bitmap, maxDetectionSide);
    } finally {
      bitmap.close();
    }
  }
  return decoded(frame as ImageBitmap, maxDetectionSide);
}

/**
 * Decodes one image file of a data set to RGBA pixels as stored (the loader turns them upright from the
 * EXIF it reads itself). WebCodecs' ImageDecoder, where there is one, decodes on the browser's own threads
 * (many files at once run in parallel) and hands the pixels over without a canvas: ~8x faster than
 * createImageBitmap + canvas for Kaggle's 48x48 JPEGs in Chromium (see README, bench:ingest). Elsewhere
 * createImageBitmap, told to leave the orientation alone.
 */
export const decodeDatasetImage: DecodeImage = async (bytes, type) => {
  if (typeof ImageDecoder !== 'undefined' && (await ImageDecoder.isTypeSupported(type))) {
    const decoder = new ImageDecoder({ data: bytes, type });
    try {
      const { image } = await decoder.decode();
      try {
        const width = image.codedWidth;
        const height = image.codedHeight;
        const data = new Uint8Array(width * height * 4);
        await image.copyTo(data, { format: 'RGBA' });
        return { data, width, height };
      } finally {
        image.close();
      }
    } finally {
      decoder.close();
    }
  }
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), { imageOrientation: 'none' as ImageOrientation });
  try {
    return drawToRgba(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
};
