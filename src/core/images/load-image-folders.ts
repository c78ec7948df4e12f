// Pure loading of an image-folder data set (Kaggle's FER2013 image release, or any folders of faces named
// by emotion) into the same typed arrays a FER2013 CSV gives. Decoding is the caller's (the browser's
// decoder in the dataset worker, a JS decoder in Node); everything else is here. No DOM.
import { PIXELS } from '../dataset/face-format';
import { MAX_REPORTED_ROWS, type ParsedFerCsv } from '../csv/fer-csv-builder';
import type { ParseProgress } from '../csv/parse-fer-blob';
import { DEFAULT_SPLIT_SEED } from '../dataset/splits';
import { jpegOrientation } from '../image/orientation';
import type { RgbaImage } from '../image/types';
import { EXPECTED_FOLDERS, planUsage, readFolderLayout } from './folder-layout';
import type { ImageFileSource } from './image-sources';
import { writeFacePixels } from './face-pixels';
import { FER2013_LABELS } from '../labels/fer2013';

/** Image formats a data set may hold, by MIME type. */
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/bmp';

/** The format of an image file from its first bytes, or null when it is not one we read. */
export function imageTypeOf(bytes: Uint8Array): ImageType | null {
  const ascii = (from: number, length: number) => String.fromCharCode(...bytes.subarray(from, from + length));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && ascii(1, 3) === 'PNG') return 'image/png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return 'image/webp';
  if (ascii(0, 2) === 'BM') return 'image/bmp';
  return null;
}

/**
 * Decodes one image file to RGBA as stored (no EXIF rotation: the loader applies it). Rejects when the
 * bytes are not a decodable image.
 */
export type DecodeImage = (bytes: Uint8Array, type: ImageType) => Promise<RgbaImage>;

/** Where an image-folder data set came from and what was done to it, for the Data screen. */
export interface ImageFolderOrigin {
  /** Image files found in class folders (usable or not). */
  files: number;
  /** Of the loaded faces, those not already 48x48 (cut to their centre square and resized). */
  resized: number;
  /** How the splits were made. */
  splitDescription: string;
  /** Class folders left out at the user's word, with their file counts. */
  skippedFolders: { folder: string; files: number }[];
  /** Files that are not in any class folder (ignored), and the first few of their paths. */
  outside: { count: number; first: string[] };
}

export interface ParsedImageFolders extends ParsedFerCsv {
  origin: ImageFolderOrigin;
}

/** The decoder cannot read this format here (e.g. WebP in the Node CLI); its message says so. */
export class UnsupportedImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedImageError';
  }
}

/** Nothing could be loaded from what was dropped; nothing already loaded is touched. */
export class ImageFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageFolderError';
  }
}

/** Class folders we do not know: the user may agree to skip them (load again with skipFolders). */
export class UnknownFoldersError extends ImageFolderError {
  readonly folders: { folder: string; files: number }[];
  constructor(folders: { folder: string; files: number }[]) {
    const list = folders.map(({ folder, files }) => `${folder}/ (${files} file${files === 1 ? '' : 's'})`).join(', ');
    super(`folder${folders.length === 1 ? '' : 's'} ${list} ${folders.length === 1 ? 'is not an emotion' : 'are not emotions'} this app knows: class folders must be named ${EXPECTED_FOLDERS.join(', ')} (or anger, fearful, happiness, sadness, surprised\u2026). Rename ${folders.length === 1 ? 'it' : 'them'}, or skip ${folders.length === 1 ? 'it' : 'them'} and load the rest`);
    this.name = 'UnknownFoldersError';
    this.folders = folders;
  }
}

export interface LoadImageFoldersOptions {
  /** Class folder names (as reported by UnknownFoldersError) to leave out. */
  skipFolders?: readonly string[];
  /** Seed of the validation hold-out when train/ has no val/ beside it. */
  seed?: number;
  /** Images decoding at once (the decoder may use several threads). */
  concurrency?: number;
  onProgress?: (progress: ParseProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

/**
 * Loads faces from image files laid out in class folders (see readFolderLayout): each usable file becomes a
 * 48x48 gray row (writeFacePixels), in the order of `source.paths`. A file that is empty, not an image or
 * does not decode is skipped and reported by its path; the rest load.
 * @throws UnknownFoldersError for class folders named otherwise; ImageFolderError when no face is usable.
 */
export async function loadImageFolders(source: ImageFileSource, decode: DecodeImage, options: LoadImageFoldersOptions = {}): Promise<ParsedImageFolders> {
  const { signal, onProgress, progressIntervalMs = 100, concurrency = 16 } = options;
  const layout = readFolderLayout(source.paths, options.skipFolders);
  if (layout.unknownFolders.length > 0) throw new UnknownFoldersError(layout.unknownFolders);
  if (layout.faces.length === 0) {
    const seen = source.paths.filter((path) => !path.endsWith('/')).slice(0, 5);
    throw new ImageFolderError(
      `it holds no images in class folders: faces must sit in folders named ${EXPECTED_FOLDERS.join(', ')} (optionally inside train/ and test/)${seen.length > 0 ? `; it holds ${seen.join(', ')}` : ''}`,
    );
  }
  const faces = layout.faces;
  const slotOf = new Map(faces.map((face, slot) => [face.source, slot]));
  const pixels = new Uint8Array(faces.length * PIXELS);
  const usable = new Uint8Array(faces.length);
  const problems: string[] = [];
  let problemCount = 0;
  let loaded = 0;
  let resized = 0;
  const skip = (slot: number, reason: string) => {
    problemCount++;
    if (problems.length < MAX_REPORTED_ROWS) problems.push(`${faces[slot].path}: ${reason}`);
  };
  let lastProgressAt = -Infinity;
  const report = (force: boolean) => {
    const now = performance.now();
    if (!onProgress || (!force && now - lastProgressAt < progressIntervalMs)) return;
    lastProgressAt = now;
    onProgress({ bytesRead: source.bytesRead(), bytesTotal: source.bytesTotal, rows: loaded, skipped: problemCount });
  };

  const handle = async (slot: number, bytes: Uint8Array) => {
    if (bytes.length === 0) return skip(slot, 'the file is empty');
    const type = imageTypeOf(bytes);
    if (type === null) return skip(slot, 'not an image (JPEG, PNG, WebP or BMP)');
    let image: RgbaImage;
    try {
      image = await decode(bytes, type);
    } catch (error) {
      return skip(slot, error instanceof UnsupportedImageError ? error.message : 'the image is corrupt or cut short and could not be decoded');
    }
    if (image.width < 1 || image.height < 1) return skip(slot, 'the image has no pixels');
    const orientation = type === 'image/jpeg' ? jpegOrientation(bytes) : { rotation: 0 as const, flip: false };
    if (writeFacePixels(image, orientation, pixels, slot * PIXELS).resized) resized++;
    usable[slot] = 1;
    loaded++;
  };

  report(true);
  const inFlight = new Set<Promise<void>>();
  for await (const item of source.read(faces.map((face) => face.source))) {
    if (signal?.aborted) throw new DOMException('Loading was cancelled', 'AbortError');
    const slot = slotOf.get(item.index)!;
    if ('error' in item) {
      skip(slot, item.error);
      continue;
    }
    const task = handle(slot, item.bytes).finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    report(false);
  }
  await Promise.all(inFlight);
  if (signal?.aborted) throw new DOMException('Loading was cancelled', 'AbortError');
  if (loaded === 0) {
    throw new ImageFolderError(`none of its ${faces.length} image file${faces.length === 1 ? '' : 's'} could be loaded (${problems.slice(0, 3).join('; ')})`);
  }

  // Keep the usable faces, in order, packed at the front of the same arrays.
  const kept = faces.filter((_, slot) => usable[slot] === 1);
  let row = 0;
  for (let slot = 0; slot < faces.length; slot++) {
    if (!usable[slot]) continue;
    if (row !== slot) pixels.copyWithin(row * PIXELS, slot * PIXELS, (slot + 1) * PIXELS);
    row++;
  }
  const plan = planUsage(kept, options.seed ?? DEFAULT_SPLIT_SEED);
  report(true);
  return {
    rows: kept.length,
    // A copy only when files were skipped: a view would carry (and transfer, and store) the whole buffer.
    pixels: kept.length === faces.length ? pixels : pixels.slice(0, kept.length * PIXELS),
    labels: Uint8Array.from(kept, (face) => face.label),
    usage: plan.usage,
    labelSet: FER2013_LABELS,
    hasUsage: plan.hasUsage,
    skipped: { count: problemCount, first: problems },
    origin: {
      files: faces.length,
      resized,
      splitDescription: plan.description,
      skippedFolders: layout.skippedByFolder,
      outside: { count: layout.outsideClassFolders.length, first: layout.outsideClassFolders.slice(0, 5) },
    },
  };
}
