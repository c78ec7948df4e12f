// Pure reading of FER+'s image layout (what Microsoft's generate_training_data.py writes): FER2013Train/,
// FER2013Valid/ and FER2013Test/, each with PNGs and a label.csv of their votes, at any depth (as in a zip).
// Paths and label.csv texts in, each PNG's split and votes out. No DOM.
import { parseFerPlusFolderLabels } from './label-file';
import { VOTES_PER_FACE } from './votes';

/** FER+'s folders; a folder's index is its split's usage code (0 Training, 1 PublicTest/valid, 2 PrivateTest/test). */
export const FERPLUS_FOLDERS = ['FER2013Train', 'FER2013Valid', 'FER2013Test'] as const;
export const FERPLUS_LABEL_FILE = 'label.csv';

interface FolderFile {
  /** The path up to and including the FER+ folder, '/'-separated, e.g. `data/FER2013Train`. */
  folder: string;
  split: number;
  fileName: string;
}

/** Files that come with archives and folders but are never data: macOS and Windows litter, hidden files. */
function isSystemFile(parts: readonly string[]): boolean {
  return parts.some((part, i) => part === '__MACOSX' || (part.startsWith('.') && part !== '.' && part !== '..') || (i === parts.length - 1 && /^(Thumbs\.db|desktop\.ini)$/i.test(part)));
}

/** The FER+ folder a file sits directly in (folder names compared case-insensitively), or null. */
function folderFile(path: string): FolderFile | null {
  const parts = path.replace(/\\/g, '/').split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length < 2 || isSystemFile(parts)) return null;
  const folderName = parts[parts.length - 2].toLowerCase();
  const split = FERPLUS_FOLDERS.findIndex((name) => name.toLowerCase() === folderName);
  if (split < 0) return null;
  return { folder: parts.slice(0, -1).join('/'), split, fileName: parts[parts.length - 1] };
}

/** True when some path is a file directly inside FER2013Train/, FER2013Valid/ or FER2013Test/. */
export function isFerPlusLayout(paths: readonly string[]): boolean {
  return paths.some((path) => folderFile(path) !== null);
}

/** The label.csv paths (as given) of the FER+ folders among `paths`: the texts matchFerPlusFolders needs. */
export function ferPlusLabelFiles(paths: readonly string[]): string[] {
  return paths.filter((path) => folderFile(path)?.fileName.toLowerCase() === FERPLUS_LABEL_FILE);
}

/** A row of a label.csv, for reports; `row` counts from 1 (label.csv has no header). */
export interface FerPlusLabelRow {
  labelPath: string;
  row: number;
  name: string;
}

export interface FerPlusFolderFaces {
  /** PNGs that have a label row. */
  faces: number;
  /** length faces: index in `paths` of each face's PNG. Faces come folder by folder (train, valid, test), in label.csv order. */
  source: Uint32Array;
  /** length faces: 0 FER2013Train, 1 FER2013Valid, 2 FER2013Test (FER2013's Training, PublicTest, PrivateTest). */
  split: Uint8Array;
  /** length faces*10: each face's votes (the 8 emotions, unknown, NF), as in its label.csv. */
  votes: Uint8Array;
  /** PNGs in FER+ folders with no row in their folder's label.csv (or whose folder has none): left out. */
  pngsWithoutLabel: string[];
  /** label.csv rows naming a PNG that is not among the paths. */
  labelsWithoutPng: FerPlusLabelRow[];
  /** Rows whose name a later row of the same label.csv repeats: the later row wins (its face overwrote the PNG). */
  duplicateLabelRows: FerPlusLabelRow[];
  /** FER+ folders (paths) holding files but no label.csv. */
  foldersWithoutLabelFile: string[];
}

/**
 * Matches each PNG of FER+'s folders to its row of its own folder's label.csv (by file name, case-insensitively).
 * Folders are found at any depth; several copies of a folder (different prefixes) are read separately.
 *
 * @param paths every file path ('/' or '\\' separated), e.g. a zip's entry names.
 * @param labelTexts the text of each path ferPlusLabelFiles(paths) returned, keyed by that path.
 * @throws FerPlusFileError (from parseFerPlusFolderLabels) when a label.csv is malformed; Error when a label.csv's
 *   text is missing from labelTexts.
 */
export function matchFerPlusFolders(paths: readonly string[], labelTexts: ReadonlyMap<string, string>): FerPlusFolderFaces {
  interface Folder {
    folder: string;
    split: number;
    labelPath: string | null;
    /** lower-case file name -> index in paths */
    pngs: Map<string, number>;
  }
  const folders = new Map<string, Folder>();
  paths.forEach((path, index) => {
    const file = folderFile(path);
    if (file === null) return;
    const key = file.folder.toLowerCase();
    let folder = folders.get(key);
    if (folder === undefined) folders.set(key, (folder = { folder: file.folder, split: file.split, labelPath: null, pngs: new Map() }));
    const name = file.fileName.toLowerCase();
    if (name === FERPLUS_LABEL_FILE) folder.labelPath ??= path;
    else if (name.endsWith('.png') && !folder.pngs.has(name)) folder.pngs.set(name, index);
  });

  const source: number[] = [];
  const split: number[] = [];
  const votes: Uint8Array[] = [];
  const result: Omit<FerPlusFolderFaces, 'faces' | 'source' | 'split' | 'votes'> = {
    pngsWithoutLabel: [],
    labelsWithoutPng: [],
    duplicateLabelRows: [],
    foldersWithoutLabelFile: [],
  };
  const ordered = [...folders.values()].sort((a, b) => a.split - b.split || (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  for (const folder of ordered) {
    const matched = new Set<number>();
    if (folder.labelPath === null) {
      result.foldersWithoutLabelFile.push(folder.folder);
    } else {
      const text = labelTexts.get(folder.labelPath);
      if (text === undefined) throw new Error(`matchFerPlusFolders: no text given for ${folder.labelPath}`);
      const labels = parseFerPlusFolderLabels(text, folder.labelPath);
      const lastRow = new Map<string, number>();
      labels.names.forEach((name, row) => lastRow.set(name.toLowerCase(), row));
      for (let row = 0; row < labels.rows; row++) {
        const name = labels.names[row];
        const report = { labelPath: folder.labelPath, row: row + 1, name };
        if (lastRow.get(name.toLowerCase()) !== row) {
          result.duplicateLabelRows.push(report);
          continue;
        }
        const index = folder.pngs.get(name.toLowerCase());
        if (index === undefined) {
          result.labelsWithoutPng.push(report);
          continue;
        }
        matched.add(index);
        source.push(index);
        split.push(folder.split);
        votes.push(labels.votes.subarray(row * VOTES_PER_FACE, (row + 1) * VOTES_PER_FACE));
      }
    }
    for (const index of folder.pngs.values()) if (!matched.has(index)) result.pngsWithoutLabel.push(paths[index]);
  }

  const allVotes = new Uint8Array(votes.length * VOTES_PER_FACE);
  votes.forEach((row, face) => allVotes.set(row, face * VOTES_PER_FACE));
  return { faces: source.length, source: Uint32Array.from(source), split: Uint8Array.from(split), votes: allVotes, ...result };
}
