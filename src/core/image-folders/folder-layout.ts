// Pure reading of an image-folder data set's layout from its file paths: which class each file is (its
// folder's name: one of FER2013's emotions, or, when the person agrees, a class of their own), which split
// (train/ val/ test/ folders, or FER2013's Training_/PublicTest_/PrivateTest_ file names), and what is not
// part of it. No DOM.
import { USAGES, USAGE_PRIVATE_TEST, USAGE_PUBLIC_TEST, USAGE_TRAINING } from '../dataset/face-format';
import { MAX_CLASSES, MIN_CLASSES } from '../labels/label-set';
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

/** A file that belongs to the data set: its class, the split its folders name, and its name's split. */
export interface FaceFile {
  /** Index in the list of paths it came from. */
  source: number;
  path: string;
  /** Index of its class: FER2013's emotion index, or its folder's place in FolderLayout.ownClasses. */
  label: number;
  folderSplit: FolderSplit | null;
  nameUsage: number | null;
}

/** A class folder (all folders of one name, in any case and under any split, together) and its file count. */
export interface ClassFolder {
  /** The name as first met in the paths. */
  folder: string;
  files: number;
}

export interface FolderLayout {
  faces: FaceFile[];
  /** Class folders whose name is not an emotion we know, with how many files each holds (empty with ownClasses). */
  unknownFolders: ClassFolder[];
  /** Files in folders the user agreed to skip. */
  skippedByFolder: ClassFolder[];
  /** Files that are not in a class folder (a README at the top, say), by path. */
  outsideClassFolders: string[];
  /** Every class folder not skipped, in the order own classes take (classFolderOrder). */
  classFolders: ClassFolder[];
  /** With ownClasses: the class names, labels' order (the folder names as given); null for FER2013's emotions. */
  ownClasses: string[] | null;
}

export interface FolderLayoutOptions {
  /** Class-folder names (any case) whose files are left out. */
  skipFolders?: readonly string[];
  /**
   * Every class folder is a class of its own, named as given (the person agreed to it): labels follow
   * classFolderOrder. Otherwise folders name FER2013's emotions (with synonyms) and others are unknownFolders.
   */
  ownClasses?: boolean;
}

/** Folder names are one class when equal ignoring case and surrounding spaces (train/Cat and test/cat). */
export const classFolderKey = (folder: string) => folder.trim().toLowerCase();

const folderCollator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/**
 * The order of own classes: alphabetical by folder name, ignoring case, numbers by value (class2 before
 * class10). The same in every browser and in Node, so a folder loads to the same labels everywhere.
 */
export function classFolderOrder(a: string, b: string): number {
  return folderCollator.compare(a.trim(), b.trim()) || (classFolderKey(a) < classFolderKey(b) ? -1 : classFolderKey(a) > classFolderKey(b) ? 1 : 0);
}

/** Longest class name a model keeps (labelSetProblems' limit). */
const MAX_CLASS_NAME_LENGTH = 60;

/**
 * Why these class folders cannot be trained on as classes of their own, or null when they can: 2 to 20
 * folders, each with a name of at most 60 characters.
 */
export function ownClassesProblem(folders: readonly ClassFolder[]): string | null {
  if (folders.length < MIN_CLASSES) {
    return folders.length === 0
      ? 'there are no class folders'
      : `there is one class folder (${folders[0].folder}/), and a model needs ${MIN_CLASSES} to ${MAX_CLASSES} classes: put each class\u2019s images in a folder of its own`;
  }
  if (folders.length > MAX_CLASSES) {
    return `there are ${folders.length} class folders, and a model takes ${MIN_CLASSES} to ${MAX_CLASSES} classes: merge or remove some folders`;
  }
  const long = folders.find(({ folder }) => folder.trim().length > MAX_CLASS_NAME_LENGTH);
  if (long) return `the folder name ${long.folder.trim().slice(0, 20)}\u2026 is longer than the ${MAX_CLASS_NAME_LENGTH} characters a class name may have`;
  return null;
}

/**
 * Reads the layout from paths ('/'-separated, relative to the drop). A file's class is its parent folder's
 * name: one of FER2013's emotions, matched case-insensitively with common synonyms, or with
 * `options.ownClasses` any name, folders equal ignoring case being one class. The folder above may name a
 * split (train, val/validation, test), at any depth. Folders are directories in the paths.
 */
export function readFolderLayout(paths: readonly string[], options: FolderLayoutOptions = {}): FolderLayout {
  const skip = new Set((options.skipFolders ?? []).map(classFolderKey));
  const outside: string[] = [];
  // First pass: each file's class folder, and the folders with their counts (by key, first spelling kept).
  const inFolders: { source: number; path: string; parts: string[]; key: string }[] = [];
  const folders = new Map<string, ClassFolder>();
  const skipped = new Map<string, ClassFolder>();
  paths.forEach((path, source) => {
    if (path.endsWith('/') || isSystemFile(path)) return;
    const parts = path.split('/').filter((part) => part !== '');
    if (parts.length < 2) {
      outside.push(path);
      return;
    }
    const folder = parts[parts.length - 2];
    // A file beside the split folders (train/README.txt) or a document at the top is not in a class folder.
    if (emotionOfFolder(folder) === null && (splitOfFolder(folder) !== null || (parts.length === 2 && /\.(txt|md|csv|json|pdf|html?)$/i.test(path)))) {
      outside.push(path);
      return;
    }
    const key = classFolderKey(folder);
    const counts = skip.has(key) ? skipped : folders;
    const entry = counts.get(key) ?? counts.set(key, { folder, files: 0 }).get(key)!;
    entry.files++;
    if (!skip.has(key)) inFolders.push({ source, path, parts, key });
  });
  const classFolders = [...folders.values()].sort((a, b) => classFolderOrder(a.folder, b.folder));
  const ownIndex = new Map(classFolders.map(({ folder }, k) => [classFolderKey(folder), k]));
  const faces: FaceFile[] = [];
  for (const { source, path, parts, key } of inFolders) {
    const label = options.ownClasses ? ownIndex.get(key)! : emotionOfFolder(key);
    if (label === null) continue;
    const splitFolder = parts.length >= 3 ? splitOfFolder(parts[parts.length - 3]) : null;
    faces.push({ source, path, label, folderSplit: splitFolder, nameUsage: usageOfFileName(parts[parts.length - 1]) });
  }
  return {
    faces,
    unknownFolders: options.ownClasses ? [] : classFolders.filter(({ folder }) => emotionOfFolder(folder) === null),
    skippedByFolder: [...skipped.values()],
    outsideClassFolders: outside,
    classFolders,
    ownClasses: options.ownClasses ? classFolders.map(({ folder }) => folder.trim()) : null,
  };
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
    return { usage, hasUsage: false, description: 'there is no test/ folder, so the faces are split at random with the seed below' };
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
  if (hasValidation) return { usage, hasUsage: true, description: 'train/ is for training, val/ for validation and test/ for testing' };
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
    description: `train/ is for training and test/ for testing; ${VALIDATION_FRACTION * 100} % of each class in train/, picked at random (seed ${seed}), is held out for validation`,
  };
}
