import { describe, expect, it } from 'vitest';
import { fuseDetections, iou, nonMaxSuppression, readingOrder, scaleBox } from './boxes';

describe('boxes', () => {
  it('computes intersection over union', () => {
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 0, y: 0, width: 10, height: 10 })).toBe(1);
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(
      50 / 150,
    );
    expect(iou({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
  });

  it('keeps the best of overlapping detections and every separate one', () => {
    const kept = nonMaxSuppression(
      [
        { x: 0, y: 0, width: 10, height: 10, score: 0.6 },
        { x: 1, y: 1, width: 10, height: 10, score: 0.9 },
        { x: 50, y: 50, width: 10, height: 10, score: 0.3 },
      ],
      0.3,
    );
    expect(kept.map((b) => b.score)).toEqual([0.9, 0.3]);
  });

  it('fuses overlapping detections into their score-weighted mean box', () => {
    const fused = fuseDetections(
      [
        { x: 0, y: 0, width: 10, height: 10, score: 0.75 },
        { x: 2, y: 1, width: 12, height: 10, score: 0.25 },
        { x: 50, y: 50, width: 10, height: 10, score: 0.5 },
      ],
      0.3,
    );
    expect(fused).toEqual([
      { x: 0.5, y: 0.25, width: 10.5, height: 10, score: 0.75 },
      { x: 50, y: 50, width: 10, height: 10, score: 0.5 },
    ]);
  });

  it('scales boxes and sorts them in reading order', () => {
    expect(scaleBox({ x: 1, y: 2, width: 3, height: 4, score: 0.5 }, 2)).toEqual({
      x: 2,
      y: 4,
      width: 6,
      height: 8,
      score: 0.5,
    });
    const order = readingOrder([
      { x: 100, y: 5, width: 50, height: 50 },
      { x: 0, y: 110, width: 50, height: 50 },
      { x: 0, y: 0, width: 50, height: 50 },
      { x: 100, y: 100, width: 50, height: 50 },
    ]);
    expect(order.map((b) => [b.x, b.y])).toEqual([
      [0, 0],
      [100, 5],
      [0, 110],
      [100, 100],
    ]);
  });
});
