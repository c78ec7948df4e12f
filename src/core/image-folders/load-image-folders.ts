// Pure loading of an image-folder data set (Kaggle's FER2013 image release, folders of faces named by
// emotion, or folders of the person's own classes) into the same typed arrays a FER2013 CSV gives. Decoding
// is the caller's (the browser's decoder in the dataset worker, a JS decoder in Node); the rest is here. No DOM.
import { PIXELS } from '../dataset/face-format';
import { MAX_REPORTED_ROWS } from '../csv/fer-csv-builder';
import type { ParsedDataset } from '../dataset/types';
import type { ParseProgress } from '../csv/parse-fer-blob';
import { DEFAULT_SPLIT_SEED } from '../dataset/splits';
import { jpegOrientation } from '../face-crop/orientation';
import type { RgbaImage } from '../face-crop/types';
import { EXPECTED_FOLDERS, emotionOfFolder, ownClassesProblem, planUsage, readFolderLayout, type ClassFolder } from './folder-layout';
import type { ImageFileSource } from './image-sources';
import { writeFacePixels } from './face-pixels';
import { FER2013_LABELS } from '../labels/fer2013';
import { MAX_CLASSES, MIN_CLASSES, plainLabelSet } from '../labels/label-set';

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
  /** Where those files sit, for the Data screen, when not in class folders (e.g. FER+'s FER2013Train/ … folders). */
  folders?: string;
  /** Of the loaded faces, those not already 48x48 (cut to their centre square and resized). */
  resized: number;
  /** How the splits were made. */
  splitDescription: string;
  /** Class folders left out at the user's word, with their file counts. */
  skippedFolders: { folder: string; files: number }[];
  /** Files that are not in any class folder (ignored), and the first few of their paths. */
  outside: { count: number; first: string[] };
}

export interface ParsedImageFolders extends ParsedDataset {
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

/**
 * What a person may choose when class folders are not FER2013's emotions: train on every class folder as a
 * class of their own (load again with ownClasses), or leave the unknown ones out (load again with skipFolders).
 */
export interface FolderClassChoice {
  /** Class folders that are no emotion, with file counts. */
  unknown: ClassFolder[];
  /** Every class folder (folders of one name in any case merged), in own-class order, with file counts. */
  classes: ClassFolder[];
  /** Why the folders cannot be classes of their own (one folder, more than 20, a name too long), or null. */
  ownClassesProblem: string | null;
  /** Whether any folder is an emotion, so that skipping the unknown ones leaves faces to load. */
  canSkip: boolean;
}

const folderList = (folders: readonly ClassFolder[]) => folders.map(({ folder, files }) => `${folder}/ (${files} file${files === 1 ? '' : 's'})`).join(', ');

/** Class folders that are not FER2013's emotions: the person chooses (see FolderClassChoice); nothing was loaded. */
export class UnknownFoldersError extends ImageFolderError {
  /** The unknown class folders (choice.unknown). */
  readonly folders: ClassFolder[];
  readonly choice: FolderClassChoice;
  constructor(choice: FolderClassChoice) {
    const { unknown, classes } = choice;
    const one = unknown.length === 1;
    const options = [
      choice.ownClassesProblem === null ? `train on ${one && classes.length === 1 ? 'it' : `all ${classes.length} folders`} as ${classes.length} classes of your own` : null,
      choice.canSkip ? `skip ${one ? 'it' : 'them'} and load the rest` : null,
      `rename ${one ? 'it' : 'them'} to ${EXPECTED_FOLDERS.join(', ')} (or anger, fearful, happiness, sadness, surprised\u2026)`,
    ].filter((option) => option !== null);
    const head = `${one ? 'the folder' : 'the folders'} ${folderList(unknown)} ${one ? 'is not one of' : 'are not'} FER2013\u2019s emotions`;
    const problem = choice.ownClassesProblem === null ? '' : `, and the folders cannot be classes of your own either (${choice.ownClassesProblem})`;
    super(`${head}${problem}: ${options.join(', or ')}`);
    this.name = 'UnknownFoldersError';
    this.folders = unknown;
    this.choice = choice;
  }
}

export interface LoadImageFoldersOptions {
  /** Class folder names (as reported by UnknownFoldersError) to leave out. */
  skipFolders?: readonly string[];
  /**
   * Train on the class folders as the person's own classes (they agreed to it): 2 to 20 folders, named as
   * given, labels in alphabetical order of folder name (classFolderOrder), folders equal ignoring case one class.
   * Without it, folders must be FER2013's emotions and the data set gets FER2013's seven classes.
   */
  ownClasses?: boolean;
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
 * Class folders are FER2013's emotions (labelSet FER2013_LABELS), or with `ownClasses` the person's own
 * (labelSet plainLabelSet of the folder names).
 * @throws UnknownFoldersError for class folders that are not emotions (without ownClasses); ImageFolderError
 *   when own classes are not 2 to 20, or no face is usable.
 */
export async function loadImageFolders(source: ImageFileSource, decode: DecodeImage, options: LoadImageFoldersOptions = {}): Promise<ParsedImageFolders> {
  const layout = readFolderLayout(source.paths, { skipFolders: options.skipFolders, ownClasses: options.ownClasses });
  const problem = ownClassesProblem(layout.classFolders);
  if (layout.unknownFolders.length > 0) {
    throw new UnknownFoldersError({
      unknown: layout.unknownFolders,
      classes: layout.classFolders,
      ownClassesProblem: problem,
      canSkip: layout.classFolders.some(({ folder }) => emotionOfFolder(folder) !== null),
    });
  }
  if (options.ownClasses && problem !== null && layout.classFolders.length > 0) throw new ImageFolderError(problem);
  if (layout.faces.length === 0) {
    const seen = source.paths.filter((path) => !path.endsWith('/')).slice(0, 5);
    throw new ImageFolderError(
      `it holds no images in class folders: images must sit in one folder per class, named ${EXPECTED_FOLDERS.join(', ')} for FER2013\u2019s emotions or ${MIN_CLASSES} to ${MAX_CLASSES} folders of your own classes (optionally inside train/ and test/)${seen.length > 0 ? `; it holds ${seen.join(', ')}` : ''}`,
    );
  }
  const faces = layout.faces;
  const decoded = await decodeFaceFiles(source, faces, decode, options);
  const kept = faces.filter((_, slot) => decoded.usable[slot] === 1);
  const plan = planUsage(kept, options.seed ?? DEFAULT_SPLIT_SEED);
  return {
    rows: kept.length,
    pixels: decoded.pixels,
    labels: Uint8Array.from(kept, (face) => face.label),
    usage: plan.usage,
    labelSet: layout.ownClasses ? plainLabelSet(layout.ownClasses) : FER2013_LABELS,
    hasUsage: plan.hasUsage,
    skipped: decoded.skipped,
    origin: {
      files: faces.length,
      resized: decoded.resized,
      splitDescription: plan.description,
      skippedFolders: layout.skippedByFolder,
      outside: { count: layout.outsideClassFolders.length, first: layout.outsideClassFolders.slice(0, 5) },
    },
  };
}

/** Faces decoded from image files: the usable ones packed in order. */
export interface DecodedFaces {
  /** Uint8Array, length (usable files)*2304: one 48x48 gray row per usable file, in the order given. */
  pixels: Uint8Array;
  /** length faces: 1 where faces[i] gave a row, 0 where it was skipped. */
  usable: Uint8Array;
  /** Of the usable files, those not already 48x48 (cut to their centre square and resized). */
  resized: number;
  /** The files skipped, reported as `path: reason`. */
  skipped: { count: number; first: string[] };
}

/**
 * Decodes image files of a data set into 48x48 gray rows (writeFacePixels; a JPEG's EXIF orientation applied),
 * `concurrency` at a time: what every image-folder loader (class folders, FER+'s folders) shares. A file that
 * is empty, not an image or does not decode is skipped and reported by its path; the rest load.
 * @param faces the files to decode, in the order of their rows; `source` is the file's index in source.paths.
 * @throws ImageFolderError when no file is usable; an AbortError when `signal` aborts.
 */
export async function decodeFaceFiles(
  source: ImageFileSource,
  faces: readonly { source: number; path: string }[],
  decode: DecodeImage,
  options: Pick<LoadImageFoldersOptions, 'concurrency' | 'onProgress' | 'progressIntervalMs' | 'signal'> = {},
): Promise<DecodedFaces> {
  const { signal, onProgress, progressIntervalMs = 100, concurrency = 16 } = options;
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

  // Keep the usable faces, in order, packed at the front of the same array.
  let row = 0;
  for (let slot = 0; slot < faces.length; slot++) {
    if (!usable[slot]) continue;
    if (row !== slot) pixels.copyWithin(row * PIXELS, slot * PIXELS, (slot + 1) * PIXELS);
    row++;
  }
  report(true);
  return {
    // A copy only when files were skipped: a view would carry (and transfer, and store) the whole buffer.
    pixels: loaded === faces.length ? pixels : pixels.slice(0, loaded * PIXELS),
    usable,
    resized,
    skipped: { count: problemCount, first: problems },
  };
}
