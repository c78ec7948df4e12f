// Runs on the page: the per-pixel mean face and standard-deviation face used for standardisation.
import { useMemo } from 'react';
import type { PixelStats } from '../../core/dataset/types';
import { GrayImage } from '../common/GrayImage';

/** Rescales values to 0–255 for display (min -> 0, max -> 255). */
function toDisplay(values: Float32Array): Uint8ClampedArray {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const scale = max > min ? 255 / (max - min) : 0;
  return Uint8ClampedArray.from(values, (value) => (value - min) * scale);
}

export function StatsFaces({ stats, rowsLabel }: { stats: PixelStats; rowsLabel: string }) {
  const mean = useMemo(() => Uint8ClampedArray.from(stats.mean), [stats]);
  const std = useMemo(() => toDisplay(stats.std), [stats]);
  return (
    <div className="stats-faces">
      <figure>
        <GrayImage pixels={mean} size={144} title="Mean face" />
        <figcaption data-testid="mean-face-caption">Mean face ({rowsLabel})</figcaption>
      </figure>
      <figure>
        <GrayImage pixels={std} size={144} title="Standard deviation per pixel" />
        <figcaption>Std per pixel (stretched)</figcaption>
      </figure>
    </div>
  );
}
