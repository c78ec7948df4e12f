// Dataset worker entry: parses FER2013 CSV files and image folders, and generates demo data, off the main thread.
import { cachedDataset, clearCachedDataset, startCachingDataset } from '../storage/dataset-cache';
import { createDatasetHandler } from './dataset-handler';
import { decodeDatasetImage } from './image-decode';
import type { DatasetRequest } from './dataset-protocol';

const handle = createDatasetHandler((event, transfer = []) => self.postMessage(event, { transfer }), {
  start: startCachingDataset,
  load: cachedDataset,
  forget: clearCachedDataset,
}, decodeDatasetImage);
self.onmessage = (e: MessageEvent<DatasetRequest>) => void handle(e.data);
