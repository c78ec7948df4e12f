// Benchmark-only worker: the "plain papaparse" way to load FER2013, as a baseline for bench:ingest.
// papaparse reads the File in chunks; each pixel field is split(' ').map(Number) and copied into typed arrays.
import Papa from 'papaparse';
import { PIXELS } from '../../src/core/dataset/face-format';

self.onmessage = (e: MessageEvent<{ file: File }>) => {
  const { file } = e.data;
  const started = performance.now();
  let firstChunkMs = -1;
  let capacity = 1024;
  let pixels = new Uint8Array(capacity * PIXELS);
  let labels = new Uint8Array(capacity);
  let rows = 0;
  let header = true;
  Papa.parse<string[]>(file, {
    chunkSize: 1 << 20,
    chunk: (results) => {
      if (firstChunkMs < 0) firstChunkMs = performance.now() - started;
      for (const record of results.data) {
        if (header) {
          header = false;
          continue;
        }
        if (record.length < 3) continue;
        const values = record[1].split(' ').map(Number);
        if (values.length !== PIXELS) continue;
        if (rows === capacity) {
          capacity *= 2;
          const grown = new Uint8Array(capacity * PIXELS);
          grown.set(pixels);
          pixels = grown;
          const grownLabels = new Uint8Array(capacity);
          grownLabels.set(labels);
          labels = grownLabels;
        }
        pixels.set(values, rows * PIXELS);
        labels[rows] = Number(record[0]);
        rows++;
      }
    },
    complete: () => self.postMessage({ rows, ms: performance.now() - started, firstChunkMs }),
    error: (error) => self.postMessage({ error: error.message }),
  });
};
