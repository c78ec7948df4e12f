// Node side of loading image folders (the train CLI, tests): JPEG and PNG decoded in JavaScript. The browser
// uses its own decoders (src/workers/image-decode.ts); WebP and BMP are read there only.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { UnsupportedImageError, type DecodeImage } from '../src/core/image-folders/load-image-folders';

export const decodeImageInNode: DecodeImage = async (bytes, type) => {
  if (type === 'image/jpeg') {
    const decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { data: decoded.data, width: decoded.width, height: decoded.height };
  }
  if (type === 'image/png') {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
    return { data: png.data, width: png.width, height: png.height };
  }
  throw new UnsupportedImageError(`${type.slice(6).toUpperCase()} images are read in the browser app only (the command line reads JPEG and PNG)`);
};
