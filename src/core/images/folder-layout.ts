// Pure reading of an image-folder data set's layout from its file paths: which emotion each file is (its
// folder's name), which split (train/ val/ test/ folders, or FER2013's Training_/PublicTest_/PrivateTest_
// file names), and what is not part of it. No DOM.
import { USAGES, USAGE_PRIVATE_TEST, USAGE_PUBLIC_TEST, USAGE_TRAINING } from '../dataset/face-format';
import { createRng } from '../random';

/** Folder names of each emotion (compared lower-case), in FER2013's order (FER2013_EMOTIONS). */
const EMOTION_FOLDER_NAMES: readonly (readonly string[])[] = [
  ['angry', 'anger'],
  ['disgust', 'disgusted', 'disgusting'],
  ['fear', 'fearful', 'afraid', 'scared'],
  ['happy', 'happiness', 'joy'],
  ['sad', 'sadness'],
  ['surprise', 'surprised'],
  ['neutral', 'calm'],
];

/** The folder names we expect, for messages. */
export const EXPECTED_FOLDERS = EMOTION_FOLDER_NAMES.map((names) => names[0]);

/** Folders that name a split, compared lower-case. */
const SPLIT_FOLDER_NAMES = {
  train: ['train', 'training'],
  validation: ['val', 'valid', 'validation'],
  test: ['test', 'testing'],
} as const;
export type FolderSplit = keyof typeof SPLIT_FOLDER_NAMES;

/** The emotion index a folder name stands for, or null. */
export function emotionOfFolder(folder: string): number | null {
  const name = folder.trim().toLowerCase();
  const index = EMOTION_FOLDER_NAMES.findIndex((names) => names.includes(name));
  return index < 0 ? null : index;
}

function splitOfFolder(folder: string): FolderSplit | null {
  const name = folder.trim().toLowerCase();
  for (const split of Object.keys(SPLIT_FOLDER_NAMES) as FolderSplit[]) if ((SPLIT_FOLDER_NAMES[split] as readonly string[]).includes(name)) return split;
  return null;
}

/** FER2013's split from a file name such as PublicTest_1234.jpg (Kaggle's image release), or null. */
export function usageOfFileName(fileName: string): number | null {
  const match = /^(Training|PublicTest|PrivateTest)_/i.exec(fileName);
  if (!match) return null;
  return USAGES.findIndex((usage) => usage.toLowerCase() === match[1].toLowerCase());
}

/** Files that come with archives and folders but are never data: macOS and Windows litter, hidden files. */
function isSystemFile(path: string): boolean {
  return /(^|\/)(__MACOSX\/|\.[^/]*$|Thumbs\.db$|desktop\.ini$)/i.test(path) || /(^|\/)\.[^/]+\//.test(path);
}

/** A file that belongs to the data set: its emotion, the split its folders name, and its name's split. */
export interface FaceFile {
  /** Index in the list of paths it came from. */
  source: number;
  path: string;
  label: number;
  folderSplit: FolderSplit | null;
  nameUsage: number | null;
}

export interface FolderLayout {
  faces: FaceFile[];
  /** Class folders whose name is not an emotion we know, with how many files each holds. */
  unknownFolders: { folder: string; files: number }[];
  /** Files in folders the user agreed to skip. */
  skippedByFolder: { folder: string; files: number }[];
  /** Files that are not in a class folder (a README at the top, say), by path. */
  outsideClassFolders: string[];
}

/**
 * Reads the layout from paths ('/'-separated, relative to the drop). A file's emotion is its parent
 * folder's name, matched case-insensitively with common synonyms; the folder above may name a split
 * (train, val/validation, test), at any depth. Folders are directories in the paths; `skipFolders` are
 * class-folder names (lower-case) whose files are left out.
 */
export function readFolderLayout(paths: readonly string[], skipFolders: readonly string[] = []): FolderLayout {
  const faces: FaceFile[] = [];
  const unknown = new Map<string, number>();
  const skipped = new Map<string, number>();
  const outside: string[] = [];
  const skip = new Set(skipFolders.map((folder) => folder.toLowerCase()));
  paths.forEach((path, source) => {
    if (path.endsWith('/') || isSystemFile(path)) return;
    const parts = path.split('/').filter((part) => part !== '');
    if (parts.length < 2) {
      outside.push(path);
      return;
    }
    const folder = parts[parts.length - 2];
    const label = emotionOfFolder(folder);
    if (label === null) {
      // A file beside the split folders (train/README.txt) or at the top is not in a class folder.
      if (splitOfFolder(folder) !== null || parts.length === 2 && /\.(txt|md|csv|json|pdf|html?)$/i.test(path)) outside.push(path);
      else {
        const key = folder.toLowerCase();
        (skip.has(key) ? skipped : unknown).set(folder, ((skip.has(key) ? skipped : unknown).get(folder) ?? 0) + 1);
      }
      return;
    }
    const splitFolder = parts.length >= 3 ? splitOfFolder(parts[parts.length - 3]) : null;
    faces.push({ source, path, label, folderSplit: splitFolder, nameUsage: usageOfFileName(parts[parts.length - 1]) });
  });
  const list = (counts: Map<string, number>) => [...counts].map(([folder, files]) => ({ folder, files }));
  return { faces, unknownFolders: list(unknown), skippedByFolder: list(skipped), outsideClassFolders: outside };
}

/** Share of train/ that becomes validation when no val/ folder exists. */
export const VALIDATION_FRACTION = 0.1;

export interface UsagePlan {
  /** Usage code per face (faces order): 0 Training, 1 PublicTest (validation), 2 PrivateTest (test). */
  usage: Uint8Array;
  /** False when there is no test split: the app's seed split applies instead. */
  hasUsage: boolean;
  /** How the splits were made, for the Data screen. */
  description: string;
}

/**
 * The split of each face:
 * - FER2013 file names (Training_/PublicTest_/PrivateTest_) on every face: FER2013's official split, exactly;
 * - else train/ + test/ (+ val/): train -> Training, val -> validation, test -> test, and without val/ a
 *   seeded VALIDATION_FRACTION of train/ (per class, so rare classes keep their share) for validation;
 * - else (class folders alone, or no test/): no split of its own (hasUsage false), the seed split applies.
 */
export function planUsage(faces: readonly FaceFile[], seed: number): UsagePlan {
  const usage = new Uint8Array(faces.length);
  if (faces.length > 0 && faces.every((face) => face.nameUsage !== null)) {
    faces.forEach((face, i) => (usage[i] = face.nameUsage!));
    return { usage, hasUsage: true, description: 'FER2013\u2019s own split, from the file names (Training_, PublicTest_, PrivateTest_)' };
  }
  const hasTest = faces.some((face) => face.folderSplit === 'test');
  if (!hasTest) {
    return { usage, hasUsage: false, description: 'no test/ folder: the faces are split at random with the seed below' };
  }
  const hasValidation = faces.some((face) => face.folderSplit === 'validation');
  const trainRows: number[][] = [];
  faces.forEach((face, i) => {
    if (face.folderSplit === 'test') usage[i] = USAGE_PRIVATE_TEST;
    else if (face.folderSplit === 'validation') usage[i] = USAGE_PUBLIC_TEST;
    else {
      usage[i] = USAGE_TRAINING;
      (trainRows[face.label] ??= []).push(i);
    }
  });
  if (hasValidation) return { usage, hasUsage: true, description: 'train/ trains, val/ validates, test/ tests' };
  const random = createRng(seed);
  for (const rows of trainRows.filter(Boolean)) {
    // A seeded partial shuffle picks round(fraction * n) rows of each class.
    const take = Math.round(rows.length * VALIDATION_FRACTION);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(random() * (rows.length - i));
      [rows[i], rows[j]] = [rows[j], rows[i]];
      usage[rows[i]] = USAGE_PUBLIC_TEST;
    }
  }
  return {
    usage,
    hasUsage: true,
    description: `test/ tests; train/ trains, less a random ${VALIDATION_FRACTION * 100} % of each class (seed ${seed}) held out for validation`,
  };
}
