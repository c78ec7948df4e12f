// Test helpers (Node and browser): small generated FER-format rows. Never real data-set rows.
import { PIXELS } from '../dataset/face-format';
import { createRng } from '../random';

/** Deterministic pixel values for row `seed`: 2304 integers 0–255 (1, 2 and 3 digits all occur). */
export function testPixels(seed: number, count = PIXELS): number[] {
  const random = createRng(seed + 1);
  return Array.from({ length: count }, () => Math.floor(random() * 256));
}

export interface TestRow {
  emotion: number | string;
  pixels?: number[] | string;
  usage?: string;
}

/** One CSV line `emotion,pixels,Usage` (no line ending). pixels defaults to testPixels(index). */
export function ferLine(row: TestRow, index = 0): string {
  const pixels = typeof row.pixels === 'string' ? row.pixels : (row.pixels ?? testPixels(index)).join(' ');
  return row.usage === undefined ? `${row.emotion},${pixels}` : `${row.emotion},${pixels},${row.usage}`;
}

/** A whole CSV with header `emotion,pixels,Usage` and LF line ends, trailing newline included. */
export function ferCsv(rows: TestRow[], header = 'emotion,pixels,Usage'): string {
  return [header, ...rows.map((row, i) => ferLine(row, i))].join('\n') + '\n';
}

/** `count` valid rows cycling through the labels and usages. */
export function validRows(count: number): TestRow[] {
  const usages = ['Training', 'PublicTest', 'PrivateTest'];
  return Array.from({ length: count }, (_, i) => ({ emotion: i % 7, usage: usages[i % 3] }));
}
