// Runs on the page: the dataset worker's client, created lazily outside React so StrictMode's double effects
// neither spawn two workers nor kill a run on remount.
import type { LoadedDataset } from '../core/dataset/loaded-dataset';
import type { DemoOptions } from '../core/demo/synthetic-faces';
import type { LabelMapping } from '../core/labels/mapping';
import { datasetBackgroundWork, isFinalDatasetEvent, type DatasetEvent, type DatasetRequest, type FolderFile } from './dataset-protocol';
import { newRunId, WorkerBridge } from './worker-bridge';

export interface RunOptions {
  runId?: string;
  /** Aborting cancels the run (the worker is stopped; a 'cancelled' event follows). */
  signal?: AbortSignal;
}

/** What the user chose about class folders that are not FER2013's emotions (see FolderClassChoice). */
export interface FolderChoiceOptions {
  /** Class folders to leave out. */
  skipFolders?: string[];
  /** Train on the class folders as the user's own classes. */
  ownClasses?: boolean;
}

/** joinTo: the fingerprint of the data set on screen, which a FER+ vote file (fer2013new.csv) dropped alone joins. */
export interface JoinOptions {
  joinTo?: string;
}

/** Loads are rare and the worker starts in well under a second: no need to keep it between them (it stays while it stores one). */
const IDLE_MS = 60_000;

class DatasetClient {
  private readonly bridge = new WorkerBridge<DatasetRequest, DatasetEvent>(
    () => new Worker(new URL('./dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' }),
    { what: 'data loading', isFinal: isFinalDatasetEvent, idleMs: IDLE_MS, backgroundWork: datasetBackgroundWork },
  );

  subscribe(listener: (event: DatasetEvent) => void): () => void {
    return this.bridge.subscribe(listener);
  }

  /**
   * Parses a file (a CSV, plain or packed, or a ZIP of image folders); a run already going is cancelled first
   * (the newest request wins). skipFolders: class folders to leave out; ownClasses: the class folders are the
   * user's own classes.
   */
  parseFile(file: File, { skipFolders = [], ownClasses = false, joinTo, ...options }: RunOptions & FolderChoiceOptions & JoinOptions = {}): string {
    return this.start({ type: 'parse', runId: options.runId ?? newRunId(), file, name: file.name, skipFolders, ...(ownClasses ? { ownClasses } : {}), ...(joinTo ? { joinTo } : {}) }, options.signal);
  }

  /** Files dropped together: fer2013.csv with FER+'s fer2013new.csv (in either order); the worker tells them apart. */
  parseFiles(files: File[], options: RunOptions = {}): string {
    const [file, ...rest] = files;
    const companions = rest.map((companion) => ({ file: companion, name: companion.name }));
    return this.start({ type: 'parse', runId: options.runId ?? newRunId(), file, name: file.name, companions }, options.signal);
  }

  /** Loads a dragged or picked folder of images in class folders (options as for parseFile). */
  parseFolder(name: string, files: FolderFile[], { skipFolders = [], ownClasses = false, ...options }: RunOptions & FolderChoiceOptions = {}): string {
    return this.start({ type: 'folder', runId: options.runId ?? newRunId(), files, name, skipFolders, ...(ownClasses ? { ownClasses } : {}) }, options.signal);
  }

  generateDemo(demo: DemoOptions, options: RunOptions = {}): string {
    return this.start({ type: 'demo', runId: options.runId ?? newRunId(), options: demo }, options.signal);
  }

  /** Asks for the data set kept from the last visit ('loaded', or 'empty' when there is none). */
  restore(options: RunOptions = {}): string {
    return this.start({ type: 'restore', runId: options.runId ?? newRunId() }, options.signal);
  }

  /**
   * Merges or leaves out classes of `dataset` (`mapping`), or brings back the file's own (null). The data set
   * is copied to the worker, not transferred: the page keeps using it until the new one arrives.
   */
  remap(dataset: LoadedDataset, mapping: LabelMapping | null, options: RunOptions = {}): string {
    return this.start({ type: 'remap', runId: options.runId ?? newRunId(), dataset, mapping }, options.signal);
  }

  /** Starts the worker ahead of the first request, so a drop does not wait for it to load. */
  warmUp(): void {
    this.bridge.warmUp();
  }

  /** True while a parse, demo or restore is running. */
  get busy(): boolean {
    return this.bridge.activeRun !== null;
  }

  /** Stops the running load at once (the worker is terminated: the handler needs no abort path). */
  cancel(): void {
    if (this.bridge.activeRun === null) return;
    this.bridge.terminate((runId) => ({ type: 'cancelled', runId }));
    this.bridge.warmUp(); // a fresh one, ready for the next request
  }

  private start(request: DatasetRequest, signal?: AbortSignal): string {
    this.cancel();
    this.bridge.send(request, { signal, onAbort: () => this.cancel() });
    return request.runId;
  }
}

export const datasetClient = new DatasetClient();
