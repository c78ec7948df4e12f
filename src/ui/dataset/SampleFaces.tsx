// Runs on the page: a grid of sample faces per class, drawn straight from the pixel array.
import { useMemo } from 'react';
import type { DatasetBuffers } from '../../core/dataset/types';
import { PIXELS } from '../../core/dataset/face-format';
import { votesText } from '../../core/ferplus/vote-summary';
import { GrayImage } from '../common/GrayImage';

/** The first `perClass` rows of each class among `rows`. */
function pickSamples(labels: Uint8Array, classes: number, rows: Uint32Array, perClass: number): number[][] {
  const picked = Array.from({ length: classes }, () => [] as number[]);
  for (let i = 0; i < rows.length; i++) {
    const list = picked[labels[rows[i]]];
    if (list && list.length < perClass) list.push(rows[i]);
  }
  return picked;
}

export function SampleFaces({ buffers, rows, perClass = 10 }: { buffers: DatasetBuffers; rows: Uint32Array; perClass?: number }) {
  const samples = useMemo(() => pickSamples(buffers.labels, buffers.labelSet.names.length, rows, perClass), [buffers, rows, perClass]);
  return (
    <div className="sample-faces" data-testid="sample-faces">
      {samples.map((list, k) => (
        <div key={k} className="sample-row">
          <span className="sample-label">{buffers.labelSet.names[k]}</span>
          {list.map((row) => (
            <GrayImage key={row} pixels={buffers.pixels.subarray(row * PIXELS, (row + 1) * PIXELS)} size={48} title={`row ${row + 2}: ${buffers.labelSet.names[k]}${buffers.votes ? ` (votes: ${votesText(buffers.votes, row, buffers.labelSet.names)})` : ''}`} />
          ))}
          {list.length === 0 && <span className="muted">no rows</span>}
        </div>
      ))}
    </div>
  );
}
