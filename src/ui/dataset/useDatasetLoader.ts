// Runs on the page: loads data sets through the dataset worker and keeps the one in use.
import { useCallback, useEffect, useReducer, useRef } from 'react';
import type { LoadedDataset } from '../../core/dataset/loaded-dataset';
import { DEMO_SIZES, type DemoSize } from '../../core/demo/synthetic-faces';
import type { LabelMapping } from '../../core/labels/mapping';
import { datasetClient, type FolderChoiceOptions } from '../../workers/dataset-client';
import { newRunId } from '../../workers/worker-bridge';
import type { FolderFile } from '../../workers/dataset-protocol';
import { initialDatasetLoadState, reduceDatasetLoad } from './dataset-load-state';

export const DEMO_SOURCE = 'demo data';
export const RESTORE_SOURCE = 'your last data set';

export function useDatasetLoader() {
  const [state, dispatch] = useReducer(reduceDatasetLoad, initialDatasetLoadState);
  /** The last file or folder asked for, to load again as the user chose about its class folders. */
  const lastRequest = useRef<((choice: FolderChoiceOptions) => void) | null>(null);
  /** Fingerprint of the data set on screen: a FER+ vote file dropped alone is joined to it. */
  const onScreen = useRef<string | null>(null);
  useEffect(() => {
    onScreen.current = state.dataset?.fingerprint ?? null;
  }, [state.dataset]);

  useEffect(() => {
    const unsubscribe = datasetClient.subscribe(dispatch);
    // Bring back the data set from the last visit, if one is stored (StrictMode runs this twice: the
    // second request simply replaces the first).
    const runId = newRunId();
    dispatch({ type: 'start', runId, source: RESTORE_SOURCE });
    datasetClient.restore({ runId });
    return unsubscribe;
  }, []);

  const loadFile = useCallback((file: File) => {
    if (file.size === 0) {
      // Nothing to read. A file dropped while another loads replaces that load, so the running one stops here
      // too: left running unseen, it would finish and be stored while the screen says nothing changed.
      const stopped = datasetClient.busy;
      datasetClient.cancel();
      dispatch({ type: 'rejected', source: file.name, message: `the file is empty (0 bytes).${stopped ? ' The load that was running was stopped.' : ''}` });
      return;
    }
    lastRequest.current = (choice) => {
      const runId = newRunId();
      dispatch({ type: 'start', runId, source: file.name });
      datasetClient.parseFile(file, { runId, ...choice, ...(onScreen.current ? { joinTo: onScreen.current } : {}) });
    };
    lastRequest.current({});
  }, []);

  /** Files dropped or picked together: one is loaded as loadFile does; two may be fer2013.csv and FER+'s fer2013new.csv. */
  const loadFiles = useCallback((files: File[]) => {
    if (files.length === 1) return loadFile(files[0]);
    const source = files.map((file) => file.name).join(' + ');
    const empty = files.filter((file) => file.size === 0);
    if (empty.length > 0) {
      const stopped = datasetClient.busy;
      datasetClient.cancel();
      dispatch({ type: 'rejected', source, message: `${empty.map((file) => file.name).join(', ')} ${empty.length === 1 ? 'is' : 'are'} empty (0 bytes).${stopped ? ' The load that was running was stopped.' : ''}` });
      return;
    }
    lastRequest.current = null;
    const runId = newRunId();
    dispatch({ type: 'start', runId, source });
    datasetClient.parseFiles(files, { runId });
  }, [loadFile]);

  const loadFolder = useCallback((name: string, files: FolderFile[]) => {
    lastRequest.current = (choice) => {
      const runId = newRunId();
      dispatch({ type: 'start', runId, source: name });
      datasetClient.parseFolder(name, files, { runId, ...choice });
    };
    lastRequest.current({});
  }, []);

  /** Loads the last file or folder again without the class folders it did not know. */
  const skipUnknownFolders = useCallback(() => {
    const folders = state.folderChoice?.unknown.map(({ folder }) => folder) ?? [];
    if (folders.length > 0) lastRequest.current?.({ skipFolders: folders });
  }, [state.folderChoice]);

  /** Loads the last file or folder again with its class folders as the user's own classes (they agreed). */
  const trainOnOwnClasses = useCallback(() => lastRequest.current?.({ ownClasses: true }), []);

  const loadDemo = useCallback((size: DemoSize = 'small') => {
    lastRequest.current = null;
    const runId = newRunId();
    dispatch({ type: 'start', runId, source: DEMO_SOURCE });
    datasetClient.generateDemo(DEMO_SIZES[size], { runId });
  }, []);

  const cancel = useCallback(() => datasetClient.cancel(), []);

  /** Merges or leaves out classes of the data set in use (null: its file's classes); it stays in use meanwhile. */
  const remapClasses = useCallback((dataset: LoadedDataset, mapping: LabelMapping | null) => {
    const runId = newRunId();
    dispatch({ type: 'start', runId, source: `${dataset.name} with ${mapping ? mapping.title : 'the file’s own classes'}` });
    datasetClient.remap(dataset, mapping, { runId });
  }, []);

  return { state, loadFile, loadFiles, loadFolder, skipUnknownFolders, trainOnOwnClasses, loadDemo, cancel, remapClasses };
}

export type DatasetLoader = ReturnType<typeof useDatasetLoader>;
