// Runs on the page: one photo with a box and label per face, the selected face's 48x48 crop, Grad-CAM and bars.
import { useRef, useState } from 'react';
import { centreSquare, squareRegion } from '../../core/face-crop/face-crop';
import type { Box } from '../../core/face-crop/types';
import { ErrorBanner } from '../common/ErrorBanner';
import { GrayImage } from '../common/GrayImage';
import { formatDuration } from '../common/format';
import type { PhotoEntry } from './photo-state';
import { ProbabilityBars } from './ProbabilityBars';
import { SaliencyImage } from './SaliencyImage';
import { FaceOutline } from './FaceOutline';

interface PhotoCardProps {
  entry: PhotoEntry;
  labels: readonly string[];
  /** One CSS colour per class (classifierColors). */
  colors: readonly string[];
  onSelect: (face: number) => void;
  onRegions: (regions: Box[]) => void;
  onDetectAgain: () => void;
  onRemove: () => void;
}

/** Smallest box, in photo pixels, accepted from a drag (smaller is taken as a click). */
const MIN_DRAWN_SIDE = 8;

export function PhotoCard({ entry, labels, colors, onSelect, onRegions, onDetectAgain, onRemove }: PhotoCardProps) {
  const { result } = entry;
  const [drawing, setDrawing] = useState(false);
  const [drag, setDrag] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const faces = result?.faces ?? [];
  const selected = faces[entry.selected] ?? null;

  /** Pointer position in photo pixels. */
  const toPhoto = (event: React.PointerEvent): { x: number; y: number } => {
    const rect = svgRef.current!.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * result!.width,
      y: ((event.clientY - rect.top) / rect.height) * result!.height,
    };
  };

  const finishDrag = () => {
    if (!drag) return;
    const box = {
      x: Math.min(drag.x0, drag.x1),
      y: Math.min(drag.y0, drag.y1),
      width: Math.abs(drag.x1 - drag.x0),
      height: Math.abs(drag.y1 - drag.y0),
    };
    setDrag(null);
    if (box.width < MIN_DRAWN_SIDE || box.height < MIN_DRAWN_SIDE) return;
    setDrawing(false);
    onRegions([squareRegion(box, { margin: 0, shiftY: 0 })]);
  };

  const busy = entry.status === 'running';
  return (
    <article
      className="card photo-card"
      data-testid="photo-card"
      data-name={entry.name}
      data-status={entry.status}
    >
      <div className="row-between">
        <h3 className="photo-title">{entry.name}</h3>
        {entry.status !== 'error' && (
          <button
            type="button"
            className="link-button"
            onClick={onRemove}
            aria-label={`Remove ${entry.name}`}
          >
            ✕
          </button>
        )}
      </div>
      {entry.status === 'error' && (
        <ErrorBanner
          title="Could not use"
          message={entry.error!.startsWith(entry.name) ? entry.error! : `${entry.name}: ${entry.error}`}
          hint={entry.errorFault === 'app' ? undefined : 'Use a JPEG, PNG or WebP photo of at most 50 megapixels.'}
          onDismiss={onRemove}
        />
      )}
      {entry.status !== 'error' && (
        <div className="photo-layout">
          <div className="photo-frame">
            <img src={entry.url} alt={entry.name} className="photo-image" draggable={false} />
            {result && (
              <svg
                ref={svgRef}
                className={drawing ? 'photo-overlay drawing' : 'photo-overlay'}
                viewBox={`0 0 ${result.width} ${result.height}`}
                preserveAspectRatio="none"
                onPointerDown={(e) => {
                  if (!drawing) return;
                  e.currentTarget.setPointerCapture(e.pointerId);
                  const p = toPhoto(e);
                  setDrag({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
                }}
                onPointerMove={(e) => {
                  if (!drag) return;
                  const p = toPhoto(e);
                  setDrag({ ...drag, x1: p.x, y1: p.y });
                }}
                onPointerUp={finishDrag}
              >
                {faces.map((face, i) => {
                  const colour = colors[face.top];
                  const stroke = Math.max(2, result.width / 300);
                  return (
                    <g key={i} className="face-box" onClick={() => onSelect(i)}>
                      <FaceOutline
                        box={face.box}
                        colour={colour}
                        strokeWidth={i === entry.selected ? stroke * 2 : stroke}
                        fontSize={Math.max(12, result.width / 45)}
                      >
                        {i + 1} · {labels[face.top]} {(face.probs[face.top] * 100).toFixed(0)} %
                      </FaceOutline>
                    </g>
                  );
                })}
                {drag && (
                  <rect
                    x={Math.min(drag.x0, drag.x1)}
                    y={Math.min(drag.y0, drag.y1)}
                    width={Math.abs(drag.x1 - drag.x0)}
                    height={Math.abs(drag.y1 - drag.y0)}
                    className="drawn-box"
                  />
                )}
              </svg>
            )}
            {busy && <div className="photo-busy">Finding faces…</div>}
          </div>
          <div className="photo-side">
            {result && faces.length === 0 && result.source === 'detector' && (
              <div className="no-face" role="status">
                <strong>No face found in this photo.</strong> Classify its centre square instead, or draw a
                box around a face.
              </div>
            )}
            {result && (
              <div className="button-row">
                {result.source === 'detector' && (
                  <button
                    type="button"
                    className={faces.length === 0 ? '' : 'secondary'}
                    onClick={() => onRegions([centreSquare(result.width, result.height)])}
                    disabled={busy}
                  >
                    Classify the centre
                  </button>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setDrawing(!drawing)}
                  disabled={busy}
                  aria-pressed={drawing}
                >
                  {drawing ? 'Cancel drawing' : 'Draw a box'}
                </button>
                {result.source === 'regions' && (
                  <button type="button" className="secondary" onClick={onDetectAgain} disabled={busy}>
                    Detect faces again
                  </button>
                )}
              </div>
            )}
            {drawing && <p className="muted">Drag a box around a face on the photo.</p>}
            {selected && (
              <div className="face-details" data-testid="face-details">
                <div className="face-images">
                  <figure>
                    <GrayImage
                      pixels={selected.gray}
                      size={144}
                      title={`48×48 crop of face ${entry.selected + 1}`}
                    />
                    <figcaption>48×48 crop</figcaption>
                  </figure>
                  <figure>
                    <SaliencyImage
                      gray={selected.gray}
                      heat={
                        entry.saliency?.face === entry.selected ? (entry.saliency.value?.heat ?? null) : null
                      }
                      size={144}
                      title={`Saliency of face ${entry.selected + 1}`}
                    />
                    <figcaption data-testid="saliency-caption">
                      {entry.saliency?.error
                        ? `Saliency failed: ${entry.saliency.error}`
                        : entry.saliency?.value
                          ? entry.saliency.value.method === 'grad-cam'
                            ? `Grad-CAM for ${labels[selected.top]} (${entry.saliency.value.mapSize}×${entry.saliency.value.mapSize} maps)`
                            : `Gradient for ${labels[selected.top]}`
                          : 'Computing saliency…'}
                    </figcaption>
                  </figure>
                </div>
                <ProbabilityBars labels={labels} colors={colors} probs={selected.probs} />
              </div>
            )}
            {faces.length > 1 && (
              <div className="face-list" aria-label="Faces in this photo">
                {faces.map((face, i) => (
                  <button
                    key={i}
                    type="button"
                    className={i === entry.selected ? 'face-chip selected' : 'face-chip'}
                    onClick={() => onSelect(i)}
                    aria-pressed={i === entry.selected}
                    aria-label={`Select face ${i + 1} (${labels[face.top]})`}
                  >
                    <GrayImage pixels={face.gray} size={40} title={`Face ${i + 1}`} />
                    <span>
                      {i + 1} · {labels[face.top]}
                    </span>
                  </button>
                ))}
              </div>
            )}
            {/* Machine-readable results for tests and for copying: one row per face. */}
            <ul hidden data-testid="face-results">
              {faces.map((face, i) => (
                <li
                  key={i}
                  data-testid="face-result"
                  data-box={[face.box.x, face.box.y, face.box.width, face.box.height]
                    .map((v) => v.toFixed(1))
                    .join(',')}
                  data-region={[face.region.x, face.region.y, face.region.width, face.region.height].join(
                    ',',
                  )}
                  data-score={face.score ?? ''}
                  data-probs={Array.from(face.probs, (p) => p.toFixed(5)).join(',')}
                  data-top={labels[face.top]}
                />
              ))}
            </ul>
            {result && (
              <p className="muted photo-stats" data-testid="photo-stats">
                {faces.length} {faces.length === 1 ? 'face' : 'faces'} · {result.format} {result.width}×
                {result.height} · decode {formatDuration(result.decodeMs)}
                {result.source === 'detector'
                  ? ` · detection ${formatDuration(result.detectMs)}`
                  : ' · your region'}{' '}
                · classification {formatDuration(result.classifyMs)}
                {result.tenCrop && ' (ten-crop)'}
              </p>
            )}
          </div>
        </div>
      )}
    </article>
  );
}
