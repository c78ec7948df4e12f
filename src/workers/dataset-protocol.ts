// Message types of the dataset worker (parses a CSV or image folders, or generates the demo set), both
// directions. Types only: both sides use `import type`, except isFinalDatasetEvent.
import type { ParseProgress } from '../core/csv/parse-fer-blob';
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import type { DemoOptions } from '../core/demo/synthetic-faces';
import type { FolderClassChoice } from '../core/image-folders/load-image-folders';
import type { LabelMapping } from '../core/labels/mapping';


/** A file of a dragged folder, with its path inside what was dropped ('faces/train/happy/1.jpg'). */
export interface FolderFile {
  path: string;
  file: Blob;
}

export type DatasetRequest =
  /**
   * A CSV (plain or packed) or a ZIP of image folders; skipFolders: class folders the user agreed to leave out;
   * ownClasses: the user agreed to train on the class folders as classes of their own (see loadImageFolders).
   * companions: files dropped with it (FER+'s fer2013new.csv beside fer2013.csv, in either order); joinTo: the
   * fingerprint of the data set on screen, which a FER+ vote file dropped alone is joined to (read back from storage).
   */
  | { type: 'parse'; runId: string; file: Blob; name: string; skipFolders?: string[]; ownClasses?: boolean; companions?: { file: Blob; name: string }[]; joinTo?: string }
  /** A dragged or picked folder of images in class folders (skipFolders, ownClasses as for 'parse'). */
  | { type: 'folder'; runId: string; files: FolderFile[]; name: string; skipFolders?: string[]; ownClasses?: boolean }
  | { type: 'demo'; runId: string; options: DemoOptions }
  /** Bring back the data set loaded last time (kept in IndexedDB). */
  | { type: 'restore'; runId: string }
  /**
   * The page's data set (a copy: structured-cloned, not transferred, so the page keeps it if this fails) with
   * its source classes merged or some left out by `mapping`, or as in the file (null). Answered like a load:
   * 'loaded' (a new fingerprint), then 'kept' or 'not-kept'.
   */
  | { type: 'remap'; runId: string; dataset: LoadedDataset; mapping: LabelMapping | null };

export type DatasetStage = 'reading' | 'decoding' | 'generating' | 'standardising';

export type DatasetEvent =
  | { type: 'progress'; runId: string; stage: DatasetStage; progress: ParseProgress; elapsedMs: number }
  /** dataset's typed arrays are transferred. keeping: the worker is storing it ('kept' or 'not-kept' follows). */
  | { type: 'loaded'; runId: string; dataset: LoadedDataset; keeping?: boolean }
  /** The loaded data set is in the browser's storage (after 'loaded'): workers may read it there by fingerprint. */
  | { type: 'kept'; runId: string; fingerprint: string }
  /** The loaded data set could not be stored for the next visit (after 'loaded'; the data set is in use). */
  | { type: 'not-kept'; runId: string; message: string }
  /** restore found nothing stored. */
  | { type: 'empty'; runId: string }
  /** Sent by the client when it stops a run (the worker is terminated, so it cannot say so itself). */
  | { type: 'cancelled'; runId: string }
  /**
   * folderChoice: class folders are not FER2013's emotions; loading again with ownClasses (train on them as the
   * user's classes) or with the unknown ones in skipFolders goes on, as the user chooses.
   */
  | { type: 'error'; runId: string | null; message: string; folderChoice?: FolderClassChoice };

/** Whether the run of `event` is over after it (a new message type must say so: the switch is exhaustive). */
export function isFinalDatasetEvent(event: DatasetEvent): boolean {
  switch (event.type) {
    case 'loaded':
    case 'empty':
    case 'cancelled':
    case 'error':
      return true;
    case 'progress':
    case 'kept':
    case 'not-kept':
      return false;
    default:
      return event satisfies never;
  }
}

/** The worker's write of a loaded data set to storage goes on after the run is over: 'loaded' to 'kept'/'not-kept'. */
export function datasetBackgroundWork(event: DatasetEvent): 'starts' | 'ends' | null {
  if (event.type === 'loaded' && event.keeping) return 'starts';
  return event.type === 'kept' || event.type === 'not-kept' ? 'ends' : null;
}

/** Where the last data set is kept between visits (IndexedDB in the worker, storage/dataset-cache.ts; absent in most tests). Not a message: the handler's port to storage. */
export interface DatasetCache {
  /** Starts the write; resolves once the arrays are cloned, so they may be transferred. */
  start(dataset: LoadedDataset): Promise<{ written: Promise<void> }>;
  load(): Promise<LoadedDataset | null>;
  /** Drops what is kept, so a reload does not bring back an older data set than the one on screen. */
  forget(): Promise<void>;
}
