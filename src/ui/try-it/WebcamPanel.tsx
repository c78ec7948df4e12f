// Runs on the page: the live webcam view with a box, label and probability bars over each face, and the frame rate.
import type { ClassifierRef } from '../../core/model/classifier-bundle';
import { CLASS_COLORS } from '../common/class-colors';
import { ErrorBanner } from '../common/ErrorBanner';
import { ProbabilityBars } from './ProbabilityBars';
import { useWebcam } from './useWebcam';
import { FaceOutline } from './FaceOutline';

interface WebcamPanelProps {
  bundle: ClassifierRef;
}

export function WebcamPanel({ bundle }: WebcamPanelProps) {
  const { videoRef, status, error, frame, fps, start, stop } = useWebcam(bundle);
  const labels = bundle.labels;
  const running = status === 'running' || status === 'starting';
  const first = frame?.faces[0] ?? null;
  return (
    <section className="card webcam" data-testid="webcam-panel">
      <div className="row-between">
        <h2>Webcam</h2>
        <div className="button-row">
          {!running ? (
            <button type="button" onClick={() => void start()}>
              Start camera
            </button>
          ) : (
            <button type="button" className="danger" onClick={stop}>
              Stop camera
            </button>
          )}
        </div>
      </div>
      {error && <ErrorBanner title="Camera:" message={error} />}
      <div className="webcam-layout" hidden={!running}>
        <div className="webcam-frame">
          <video ref={videoRef} className="webcam-video" muted playsInline data-testid="webcam-video" />
          {frame && (
            <svg
              className="photo-overlay"
              viewBox={`0 0 ${frame.width} ${frame.height}`}
              preserveAspectRatio="none"
              data-testid="webcam-overlay"
            >
              {frame.faces.map((face, i) => {
                const colour = CLASS_COLORS[face.top % CLASS_COLORS.length];
                const barWidth = face.box.width / labels.length;
                const barsHeight = face.box.height / 4;
                const barsTop = face.box.y + face.box.height + 4;
                return (
                  <g key={i} data-testid="webcam-face" data-top={labels[face.top]}>
                    <FaceOutline box={face.box} colour={colour} strokeWidth={3} fontSize={16}>
                      {labels[face.top]} {(face.probs[face.top] * 100).toFixed(0)} %
                    </FaceOutline>
                    {labels.map((label, c) => (
                      <rect
                        key={label}
                        x={face.box.x + c * barWidth + 1}
                        y={barsTop + barsHeight * (1 - face.probs[c])}
                        width={Math.max(1, barWidth - 2)}
                        height={barsHeight * face.probs[c] + 1}
                        fill={CLASS_COLORS[c % CLASS_COLORS.length]}
                      >
                        <title>{`${label} ${(face.probs[c] * 100).toFixed(1)} %`}</title>
                      </rect>
                    ))}
                  </g>
                );
              })}
            </svg>
          )}
        </div>
        <div className="webcam-side">
          <p className="fps" data-testid="webcam-fps" data-fps={fps.toFixed(2)}>
            {fps.toFixed(1)} fps
          </p>
          {frame && (
            <p className="muted" data-testid="webcam-timing">
              {frame.faces.length} {frame.faces.length === 1 ? 'face' : 'faces'} · worker{' '}
              {frame.workerMs.toFixed(0)} ms per frame (pixels {frame.readMs.toFixed(0)} ms, detection{' '}
              {frame.detectMs.toFixed(0)} ms, classification {frame.classifyMs.toFixed(0)} ms)
            </p>
          )}
          {first && <ProbabilityBars labels={labels} probs={first.probs} compact />}
          {frame && frame.faces.length === 0 && <p className="muted">No face in view.</p>}
        </div>
      </div>
      {!running && !error && (
        <p className="muted">Frames are analysed in this browser; nothing is sent anywhere.</p>
      )}
    </section>
  );
}
