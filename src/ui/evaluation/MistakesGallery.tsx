// Runs on the page: the most confident mistakes per true class: the face, its true and predicted label and
// the model's probabilities.
import { PIXELS } from '../../core/dataset/face-format';
import type { Mistake } from '../../core/evaluation/mistakes';
import { GrayImage } from '../common/GrayImage';
import { ClassBars } from './ClassBars';

interface MistakesGalleryProps {
  mistakes: Mistake[][];
  labels: readonly string[];
  /** One CSS colour per class (the model's label set). */
  colors: readonly string[];
  /** Row-major [faces, classes] probabilities the mistakes index into. */
  probs: Float32Array;
  /** The data set's pixels and the evaluated rows (mistake.index -> data-set row). */
  pixels: Uint8Array;
  rows: Uint32Array;
}

export function MistakesGallery({ mistakes, labels, colors, probs, pixels, rows }: MistakesGalleryProps) {
  const classes = labels.length;
  return (
    <div className="mistakes" data-testid="mistakes-gallery">
      {mistakes.map((list, trueClass) => (
        <div key={labels[trueClass]} className="mistakes-row">
          <h4>
            True {labels[trueClass]} <span className="muted">({list.length === 0 ? 'no mistakes' : `${list.length} most confident mistakes`})</span>
          </h4>
          <div className="mistakes-faces">
            {list.map((mistake) => {
              const row = rows[mistake.index];
              const caption = `true ${labels[mistake.trueClass]}, predicted ${labels[mistake.predicted]} (${(mistake.confidence * 100).toFixed(0)} %)`;
              return (
                <figure key={mistake.index} className="mistake" data-testid="mistake">
                  <GrayImage pixels={pixels.subarray(row * PIXELS, (row + 1) * PIXELS)} size={72} title={`face ${row + 1}: ${caption}`} />
                  <figcaption>
                    <span className="mistake-label">
                      {labels[mistake.trueClass]} → <strong>{labels[mistake.predicted]}</strong> {(mistake.confidence * 100).toFixed(0)} %
                    </span>
                    <ClassBars labels={labels} colors={colors} probs={probs.subarray(mistake.index * classes, (mistake.index + 1) * classes)} trueClass={mistake.trueClass} />
                  </figcaption>
                </figure>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
