// Pure loading of FER+'s image layout (FER2013Train/, FER2013Valid/, FER2013Test/, each with PNGs and a
// label.csv of their votes), as a ZIP or a picked folder, into a data set with FER+'s eight classes. The PNGs are
// decoded by the image-folder loader's own path (decodeFaceFiles); decoding itself is the caller's. No DOM.
import { MAX_REPORTED_ROWS } from '../csv/fer-csv-builder';
import { PIXELS } from '../dataset/face-format';
import type { ImageFileSource } from '../image-folders/image-sources';
import { decodeFaceFiles, ImageFolderError, type DecodeImage, type LoadImageFoldersOptions, type ParsedImageFolders } from '../image-folders/load-image-folders';
import { FERPLUS_LABELS } from '../labels/ferplus';
import { FERPLUS_FOLDERS, ferPlusLabelFiles, isFerPlusLayout, matchFerPlusFolders } from './folder-layout';
import { FerPlusFileError } from './label-file';
import { processVotes, VOTES_PER_FACE } from './votes';

export { isFerPlusLayout };

/** How FER+'s folders become splits, for the Data screen. */
export const FERPLUS_SPLIT_DESCRIPTION =
  'FER2013Train/ is for training (Training), FER2013Valid/ for validation (PublicTest) and FER2013Test/ for testing (PrivateTest); votes from each folder\u2019s label.csv';

/** Hidden and system files that come with archives (never data, never reported). */
const isLitter = (path: string) => /(^|\/)(__MACOSX\/|\.[^/]+($|\/)|Thumbs\.db$|desktop\.ini$)/i.test(path);

/**
 * Loads FER+'s folder layout: each PNG named in its folder's label.csv becomes a row (48x48 gray), with that
 * row's 10 votes (the 8 emotions, unknown, NF); the folder gives the split (Train -> Training, Valid ->
 * PublicTest, Test -> PrivateTest). `labels` is the majority vote (LABEL_NONE where there is none: the face is in
 * no split), as Microsoft filters validation and test. Rows come folder by folder, in label.csv order.
 * PNGs without a label row, label rows without a PNG, repeated names (the later row wins, as its face
 * overwrote the earlier PNG) and files that do not decode are left out and listed in `skipped`.
 *
 * @throws FerPlusFileError when a label.csv is malformed or cannot be read; ImageFolderError when no face
 *   could be matched and loaded.
 */
export async function loadFerPlusFolders(
  source: ImageFileSource,
  decode: DecodeImage,
  options: Pick<LoadImageFoldersOptions, 'concurrency' | 'onProgress' | 'progressIntervalMs' | 'signal'> = {},
): Promise<ParsedImageFolders> {
  const labelPaths = ferPlusLabelFiles(source.paths);
  const texts = new Map<string, string>();
  const decoder = new TextDecoder();
  const indexOf = new Map(source.paths.map((path, index) => [path, index]));
  for await (const item of source.read(labelPaths.map((path) => indexOf.get(path)!))) {
    const path = source.paths[item.index];
    if ('error' in item) throw new FerPlusFileError(`${path}: ${item.error}`);
    texts.set(path, decoder.decode(item.bytes));
  }
  const matched = matchFerPlusFolders(source.paths, texts);
  const notes = [
    ...matched.foldersWithoutLabelFile.map((folder) => `${folder}/: no label.csv, so its files have no votes and were left out`),
    ...matched.duplicateLabelRows.map(({ labelPath, row, name }) => `${labelPath} row ${row}: ${name} is named again further down; the later row\u2019s votes are used`),
    ...matched.labelsWithoutPng.map(({ labelPath, row, name }) => `${labelPath} row ${row}: ${name} is not there`),
    ...matched.pngsWithoutLabel.map((path) => `${path}: no row of its folder\u2019s label.csv names it`),
  ];
  if (matched.faces === 0) {
    throw new ImageFolderError(
      `FER+\u2019s folders (${FERPLUS_FOLDERS.join('/, ')}/) hold no PNG that their label.csv names${notes.length > 0 ? ` (${notes.slice(0, 3).join('; ')})` : ''}`,
    );
  }

  const files = Array.from(matched.source, (index) => ({ source: index, path: source.paths[index] }));
  const decoded = await decodeFaceFiles(source, files, decode, options);
  const rows = decoded.pixels.length / PIXELS;
  const usage = new Uint8Array(rows);
  const votes = new Uint8Array(rows * VOTES_PER_FACE);
  for (let face = 0, row = 0; face < matched.faces; face++) {
    if (!decoded.usable[face]) continue;
    usage[row] = matched.split[face];
    votes.set(matched.votes.subarray(face * VOTES_PER_FACE, (face + 1) * VOTES_PER_FACE), row * VOTES_PER_FACE);
    row++;
  }
  const inFolders = new Set(files.map((file) => file.path));
  const outside = source.paths.filter((path) => !path.endsWith('/') && !isLitter(path) && !isFerPlusLayout([path]) && !inFolders.has(path));
  const reasons = [...decoded.skipped.first, ...notes];
  return {
    rows,
    pixels: decoded.pixels,
    labels: processVotes(votes, rows, 'majority').majority,
    usage,
    labelSet: FERPLUS_LABELS,
    votes,
    hasUsage: true,
    skipped: { count: decoded.skipped.count + notes.length, first: reasons.slice(0, MAX_REPORTED_ROWS) },
    origin: {
      files: matched.faces + matched.pngsWithoutLabel.length,
      folders: `FER+\u2019s folders (${FERPLUS_FOLDERS.join('/, ')}/)`,
      resized: decoded.resized,
      splitDescription: FERPLUS_SPLIT_DESCRIPTION,
      skippedFolders: [],
      outside: { count: outside.length, first: outside.slice(0, 5) },
    },
  };
}
