// Pure FER2013 CSV writing: any loaded data set (CSV, image folders, demo) as `emotion,pixels,Usage` text, in
// chunks, so a 300 MB file is never one string. No DOM.
import { PIXELS, USAGES } from '../dataset/face-format';
import type { DatasetBuffers } from '../dataset/types';

/** "0 ".."255 " as bytes: a pixel and its separator, looked up rather than formatted. */
const PIXEL_TEXT = Array.from({ length: 256 }, (_, value) => new TextEncoder().encode(`${value} `));
const encoder = new TextEncoder();

/** Rows per chunk: ~1 MB of text. */
const ROWS_PER_CHUNK = 110;

/**
 * The CSV's bytes, header first, in chunks of about a megabyte (each a new array the caller may keep).
 * Rows in order; the Usage column says Training, PublicTest or PrivateTest as the file Kaggle ships.
 */
export function* ferCsvChunks(data: Pick<DatasetBuffers, 'rows' | 'pixels' | 'labels' | 'usage'>): Generator<Uint8Array<ArrayBuffer>> {
  yield encoder.encode('emotion,pixels,Usage\n');
  const longestRow = 2 + PIXELS * 4 + 1 + 'PrivateTest'.length + 1;
  const usageText = USAGES.map((usage) => encoder.encode(`,${usage}\n`));
  for (let start = 0; start < data.rows; start += ROWS_PER_CHUNK) {
    const end = Math.min(data.rows, start + ROWS_PER_CHUNK);
    const chunk = new Uint8Array((end - start) * longestRow);
    let at = 0;
    for (let r = start; r < end; r++) {
      at += encoder.encodeInto(`${data.labels[r]},`, chunk.subarray(at)).written;
      const row = data.pixels.subarray(r * PIXELS, (r + 1) * PIXELS);
      for (let i = 0; i < PIXELS; i++) {
        const text = PIXEL_TEXT[row[i]];
        chunk.set(text, at);
        at += text.length;
      }
      at--; // no space after the last pixel
      const usage = usageText[data.usage[r]];
      chunk.set(usage, at);
      at += usage.length;
    }
    yield chunk.slice(0, at);
  }
}
