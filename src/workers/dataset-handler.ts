// Runs in the dataset worker (and in Node tests with a fake `post`): CSV, image folders or demo -> typed
// arrays + stats.
import { parseFerBlob, type ParseProgress } from '../core/csv/parse-fer-blob';
import { filesImageSource, zipImageSource, type ImageFileSource } from '../core/image-folders/image-sources';
import { UnknownFoldersError, type DecodeImage, type ImageFolderOrigin } from '../core/image-folders/load-image-folders';
import { loadImages } from '../core/dataset/load-images';
import { datasetTransferables, describeDataset, type LoadedDataset } from '../core/dataset/loaded-dataset';
import { detectDataSource } from '../core/dataset/sources';
import type { ParsedDataset } from '../core/dataset/types';
import { loadFerPlusVotesFiles, type FerPlusVotesLoad } from './ferplus-votes-files';
import { generateDemoBuffers } from '../core/demo/synthetic-faces';
import { remapDataset } from '../core/dataset/remap-classes';
import { ferCsvChunks } from '../core/csv/fer-csv-writer';
import { errorMessage } from '../core/errors';
import type { DatasetCache, DatasetEvent, DatasetRequest, DatasetStage } from './dataset-protocol';
import type { Post } from './worker-messages';

/** Human name of the demo source, shown in the UI. */
export function demoName(training: number, publicTest: number, privateTest: number): string {
  return `Synthetic demo faces (${training} Training / ${publicTest} PublicTest / ${privateTest} PrivateTest)`;
}

/** Why a data set could not be kept, for people. */
function notKeptMessage(error: unknown): string {
  const quota = (error as { name?: string } | null)?.name === 'QuotaExceededError';
  return `${quota ? 'the browser\u2019s storage is full' : `the browser\u2019s storage refused it (${errorMessage(error)})`}, so this data set will not be here after a reload (load the file again then); no older data set will come back in its place. ${quota ? 'Deleting saved models on the Models screen frees space.' : ''}`.trim();
}

/**
 * Handles one request at a time. Cancelling is done by terminating the worker (see dataset-client.ts), so the
 * handler needs no abort path of its own. `now` is the clock for the reported times, in ms (tests pass a fake one).
 */
export function createDatasetHandler(
  post: Post<DatasetEvent>,
  cache: DatasetCache | null = null,
  decodeImage: DecodeImage | null = null,
  now: () => number = () => performance.now(),
) {
  /**
   * Posts a data set just made, and keeps it for the next visit. A failed write (e.g. a full quota) costs only
   * that convenience, but the page says so, and the older data set still stored is dropped: a reload must not
   * show it as if it were the one loaded last.
   */
  async function keepAndPost(runId: string, dataset: LoadedDataset): Promise<void> {
    let failure: unknown = null;
    const notKept = (error: unknown) => {
      console.warn('could not keep the data set for next time', error);
      void cache?.forget().catch((forgetError: unknown) => console.warn('could not drop the older data set', forgetError));
      post({ type: 'not-kept', runId, message: notKeptMessage(error) });
    };
    const caching = await cache?.start(dataset).catch((error: unknown) => {
      failure = error;
      return null;
    });
    const fingerprint = dataset.fingerprint;
    post({ type: 'loaded', runId, dataset, ...(cache ? { keeping: true } : {}) }, datasetTransferables(dataset));
    if (failure) notKept(failure);
    await caching?.written.then(() => post({ type: 'kept', runId, fingerprint }), notKept);
  }

  return async (msg: DatasetRequest): Promise<void> => {
    const started = now();
    const progress = (stage: DatasetStage, value: ParseProgress) =>
      post({ type: 'progress', runId: msg.runId, stage, progress: value, elapsedMs: now() - started });
    try {
      if (msg.type === 'restore') {
        const restored = cache ? await cache.load() : null;
        if (restored) {
          restored.restoredMs = now() - started;
          post({ type: 'loaded', runId: msg.runId, dataset: restored }, datasetTransferables(restored));
        }
        else post({ type: 'empty', runId: msg.runId });
        return;
      }
      if (msg.type === 'remap') {
        await keepAndPost(msg.runId, remapDataset(msg.dataset, msg.mapping));
        return;
      }
      let source: Blob;
      let name: string;
      let images: ImageFileSource | null = null;
      let withVotes: FerPlusVotesLoad | null = null;
      switch (msg.type) {
        case 'parse': {
          source = msg.file;
          name = msg.name;
          const files = [{ file: msg.file, name: msg.name }, ...(msg.companions ?? [])];
          const kinds = await Promise.all(files.map(({ file }) => detectDataSource(file)));
          // FER+'s vote file joins fer2013.csv dropped with it, or the data set on screen.
          if (files.length > 1 || kinds[0] === 'ferplus-votes') {
            withVotes = await loadFerPlusVotesFiles(files, kinds, { joinTo: msg.joinTo, cache, onProgress: (value) => progress('reading', value) });
            name = withVotes.name;
          } else if (kinds[0] === 'image-zip') images = await zipImageSource(source);
          break;
        }
        case 'folder':
          source = new Blob([]);
          name = msg.name;
          images = filesImageSource(msg.files);
          break;
        case 'demo': {
          const { training, publicTest, privateTest } = msg.options;
          const total = training + publicTest + privateTest;
          progress('generating', { bytesRead: 0, bytesTotal: 0, rows: 0, skipped: 0 });
          // Generated as FER2013 CSV text and parsed by the same code as a real file.
          source = new Blob([...ferCsvChunks(generateDemoBuffers(msg.options))], { type: 'text/csv' });
          progress('generating', { bytesRead: 0, bytesTotal: source.size, rows: total, skipped: 0 });
          name = demoName(training, publicTest, privateTest);
          break;
        }
        default:
          msg satisfies never;
          return;
      }
      const onProgress = (value: ParseProgress) => progress(images ? 'decoding' : 'reading', value);
      let origin: ImageFolderOrigin | undefined;
      let parsed: ParsedDataset;
      if (withVotes) parsed = withVotes.parsed;
      else if (images) {
        if (!decodeImage) throw new Error('image folders cannot be decoded here');
        const { skipFolders = [], ownClasses = false } = msg.type === 'parse' || msg.type === 'folder' ? msg : {};
        ({ origin, ...parsed } = await loadImages(images, decodeImage, { onProgress, skipFolders, ownClasses }));
      } else parsed = await parseFerBlob(source, { onProgress });
      const parseMs = now() - started;
      const bytes = withVotes ? withVotes.bytes : images ? images.bytesTotal : source.size;
      progress('standardising', { bytesRead: bytes, bytesTotal: bytes, rows: parsed.rows, skipped: parsed.skipped.count });
      const { hasUsage, skipped, ...buffers } = parsed;
      const dataset = describeDataset(buffers, {
        name,
        synthetic: msg.type === 'demo',
        bytes,
        hasUsage,
        skipped,
        loadMs: 0,
        parseMs,
        ...(origin ? { images: origin } : {}),
      });
      dataset.loadMs = now() - started;
      await keepAndPost(msg.runId, dataset);
    } catch (error) {
      const folderChoice = error instanceof UnknownFoldersError ? error.choice : undefined;
      post({ type: 'error', runId: msg.runId, message: errorMessage(error), ...(folderChoice ? { folderChoice } : {}) });
    }
  };
}
