// Pure: every face found in a batch of photos as one table (file, face number, box, top class, every
// probability), sorted as asked, and as CSV. No DOM.
import type { Box } from '../face-crop/types';

export interface FaceTableRow {
  /** Which photo (its entry id) and its file name. */
  photoId: string;
  file: string;
  /** 1-based, in the order the photo lists its faces (reading order). */
  face: number;
  box: Box;
  /** Index of the most probable class, and its probability. */
  top: number;
  confidence: number;
  probs: Float32Array;
  /** The 48x48 crop, 0–255, for the thumbnail. */
  gray: Float32Array;
}

export interface PhotoFaces {
  id: string;
  name: string;
  faces: { box: Box; probs: Float32Array; top: number; gray: Float32Array }[];
}

export function faceTableRows(photos: readonly PhotoFaces[]): FaceTableRow[] {
  return photos.flatMap((photo) =>
    photo.faces.map((face, i) => ({ photoId: photo.id, file: photo.name, face: i + 1, box: face.box, top: face.top, confidence: face.probs[face.top], probs: face.probs, gray: face.gray })),
  );
}

export type FaceSort = 'file' | 'class' | 'confidence';

/**
 * A sorted copy: by file (then face number), by class (class order, most confident first within one), or by
 * confidence (highest first).
 */
export function sortFaceRows(rows: readonly FaceTableRow[], sort: FaceSort): FaceTableRow[] {
  const byFile = (a: FaceTableRow, b: FaceTableRow) => a.file.localeCompare(b.file) || a.photoId.localeCompare(b.photoId) || a.face - b.face;
  const compare: Record<FaceSort, (a: FaceTableRow, b: FaceTableRow) => number> = {
    file: byFile,
    class: (a, b) => a.top - b.top || b.confidence - a.confidence || byFile(a, b),
    confidence: (a, b) => b.confidence - a.confidence || byFile(a, b),
  };
  return [...rows].sort(compare[sort]);
}

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The table as CSV: file, face, box (x, y, width, height in photo pixels), top class, confidence, one column per class. */
export function faceRowsCsv(rows: readonly FaceTableRow[], labels: readonly string[]): string {
  const header = ['file', 'face', 'x', 'y', 'width', 'height', 'class', 'confidence', ...labels.map((label) => label.toLowerCase())];
  const lines = rows.map((row) =>
    [row.file, row.face, ...[row.box.x, row.box.y, row.box.width, row.box.height].map((v) => Math.round(v)), labels[row.top], row.confidence.toFixed(4), ...Array.from(row.probs, (p) => p.toFixed(4))]
      .map(csvField)
      .join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}
