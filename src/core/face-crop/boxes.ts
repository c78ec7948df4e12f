// Pure box geometry: overlap, non-maximum suppression, scaling between image sizes. No DOM.
import type { Box, DetectedBox } from './types';

/** Intersection over union of two boxes, 0–1 (0 when either is empty). */
export function iou(a: Box, b: Box): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * Greedy non-maximum suppression: keeps the highest-scoring box of each group overlapping by more than
 * `maxIou`. Used to merge detections of the same face found at several detector input sizes.
 * @returns the kept boxes, highest score first (a new array).
 */
export function nonMaxSuppression<T extends DetectedBox>(boxes: readonly T[], maxIou: number): T[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  for (const box of sorted) if (kept.every((other) => iou(box, other) <= maxIou)) kept.push(box);
  return kept;
}

/**
 * Greedy clustering like non-maximum suppression, but each kept box becomes the score-weighted mean of its
 * group ("weighted box fusion"): detections of one face at several input sizes average out their jitter.
 * @returns one box per group, highest score first, carrying the group's best score.
 */
export function fuseDetections(boxes: readonly DetectedBox[], minIou: number): DetectedBox[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const used = new Array<boolean>(sorted.length).fill(false);
  const fused: DetectedBox[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (used[i]) continue;
    const lead = sorted[i];
    let weight = 0;
    let x = 0;
    let y = 0;
    let width = 0;
    let height = 0;
    for (let j = i; j < sorted.length; j++) {
      if (used[j] || (j !== i && iou(lead, sorted[j]) <= minIou)) continue;
      used[j] = true;
      const box = sorted[j];
      weight += box.score;
      x += box.x * box.score;
      y += box.y * box.score;
      width += box.width * box.score;
      height += box.height * box.score;
    }
    fused.push({
      x: x / weight,
      y: y / weight,
      width: width / weight,
      height: height / weight,
      score: lead.score,
    });
  }
  return fused;
}

/** A box multiplied by a scale factor (e.g. from a downscaled detection image back to the full image). */
export function scaleBox<T extends Box>(box: T, scale: number): T {
  return { ...box, x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale };
}

/** Sorts boxes into reading order: top to bottom in rows about one face tall, left to right within a row. */
export function readingOrder<T extends Box>(boxes: readonly T[]): T[] {
  const sorted = [...boxes].sort((a, b) => a.y - b.y);
  const rows: T[][] = [];
  for (const box of sorted) {
    const row = rows[rows.length - 1];
    if (row && box.y < row[0].y + row[0].height / 2) row.push(box);
    else rows.push([box]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.x - b.x));
}
