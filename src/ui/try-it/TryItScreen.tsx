// Runs on the page: the "Try it" screen — classify faces in your own photos, a video file or the webcam.
import { useMemo, useState } from 'react';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { classifierColors } from '../common/class-colors';
import { ErrorBanner } from '../common/ErrorBanner';
import { formatDuration } from '../common/format';
import { useInjectedBundle } from './injected-bundle';
import { PhotoBatchTable } from './PhotoBatchTable';
import { PhotoCard } from './PhotoCard';
import { PhotoDropZone } from './PhotoDropZone';
import { usePhotoInference } from './usePhotoInference';
import { VideoPanel } from './VideoPanel';
import { WebcamPanel } from './WebcamPanel';
import './try-it.css';

export interface TryItScreenProps {
  /** The active model, or null when none is trained or imported yet. */
  classifier: ClassifierRef | null;
  /** False while another screen is shown: the camera is then released (the screen stays mounted). */
  active?: boolean;
}

const MODES = [
  { id: 'photos', title: 'Photos' },
  { id: 'webcam', title: 'Webcam' },
  { id: 'video', title: 'Video' },
] as const;
type Mode = (typeof MODES)[number]['id'];

export function TryItScreen({ classifier: activeClassifier, active = true }: TryItScreenProps) {
  const injected = useInjectedBundle();
  const bundle: ClassifierRef | null = injected ?? activeClassifier;
  const [tenCrop, setTenCrop] = useState(false);
  const photos = usePhotoInference(bundle, tenCrop);
  const [mode, setMode] = useState<Mode>('photos');
  const { model, modelError } = photos.state;
  const modelReady = bundle !== null && model?.modelId === bundle.id;
  const colors = useMemo(() => (bundle ? classifierColors(bundle) : []), [bundle]);

  return (
    <div className="screen try-it-screen">
      <section className="card">
        <div className="row-between">
          <h2>Try it on your photos</h2>
          <div className="segmented" role="tablist" aria-label="Input">
            {MODES.map(({ id, title }) => (
              <button
                key={id}
                type="button"
                role="tab"
                aria-selected={mode === id}
                className={mode === id ? '' : 'secondary'}
                onClick={() => setMode(id)}
              >
                {title}
              </button>
            ))}
          </div>
        </div>
        <p className="muted" data-testid="try-it-model">
          {bundle === null
            ? 'Train or import a model first.'
            : modelReady
              ? `Model: ${model.name} · ${model.backend.backend === 'wasm' ? model.backend.device : `${model.backend.backend} (${model.backend.device})`} · loaded in ${formatDuration(model.loadMs)}${model.addsSoftmax ? ' · softmax added to its scores' : ''}`
              : `Model: ${bundle.name} · loading…`}
        </p>
        {modelError && (
          <ErrorBanner
            title="The model could not be used:"
            message={modelError}
            hint="Choose another model in the library."
          />
        )}
      </section>

      {bundle !== null && mode === 'photos' && (
        <>
          <label className="checkbox ten-crop-switch">
            <input type="checkbox" checked={tenCrop} onChange={(e) => setTenCrop(e.target.checked)} /> Ten-crop: average each face over its four corners and
            centre, each also mirrored (10 passes; usually a little more accurate)
          </label>
          <PhotoDropZone onFiles={photos.addFiles} disabled={bundle === null} />
          {photos.state.photos.map((entry) => (
            <PhotoCard
              key={entry.id}
              entry={entry}
              labels={bundle.labels}
              colors={colors}
              onSelect={(face) => photos.select(entry.id, face)}
              onRegions={(regions) => photos.classifyRegions(entry.id, regions)}
              onDetectAgain={() => photos.detectAgain(entry.id)}
              onRemove={() => photos.remove(entry.id)}
            />
          ))}
          {/* Below the cards: as it grows or empties, the photos above do not move. */}
          <PhotoBatchTable photos={photos.state.photos} labels={bundle.labels} />
        </>
      )}
      {bundle !== null && mode === 'webcam' && active && <WebcamPanel bundle={bundle} />}
      {bundle !== null && mode === 'video' && <VideoPanel classifier={bundle} />}
    </div>
  );
}
