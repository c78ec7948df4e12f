// Runs on the page: the live webcam view with a numbered box, smoothed label and bars over each face, the frame
// rate, each face's timeline, and the session as CSV.
import { useEffect, useMemo, useState } from 'react';
import { trackRecordsCsv } from '../../core/inference/face-tracker';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { saveDownload } from '../common/save-file';
import { FaceTimeline } from './FaceTimeline';
import { classifierColors } from '../common/class-colors';
import { ErrorBanner } from '../common/ErrorBanner';
import { ProbabilityBars } from './ProbabilityBars';
import { useWebcam, WEBCAM_DETECT_EVERY } from './useWebcam';
import { FaceOutline } from './FaceOutline';

interface WebcamPanelProps {
  bundle: ClassifierRef;
}

/** Redraw the timelines at most this often (a chart per face; frames come at 20–30 a second). */
const TIMELINE_REFRESH_MS = 500;

export function WebcamPanel({ bundle }: WebcamPanelProps) {
  const [smoothingFrames, setSmoothingFrames] = useState(5);
  const { videoRef, status, error, frame, fps, start, stop, tracker } = useWebcam(bundle, smoothingFrames);
  const labels = bundle.labels;
  const colors = classifierColors(bundle);
  const running = status === 'running' || status === 'starting';
  const first = frame?.faces[0] ?? null;
  // Timelines follow the session at a calm pace; after Stop they show all of it.
  const [timelineAt, setTimelineAt] = useState(0);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setTimelineAt(performance.now()), TIMELINE_REFRESH_MS);
    return () => {
      clearInterval(timer);
      setTimelineAt(performance.now()); // once more when the session stops: the whole of it
    };
  }, [running]);
  const timelines = useMemo(() => {
    if (!tracker || timelineAt === 0) return [];
    const faces = [...new Set(tracker.records.map((record) => record.face))];
    return faces.map((face) => ({ face, points: tracker.timeline(face) }));
  }, [tracker, timelineAt]);
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
              viewBox={`0 0 ${frame.result.width} ${frame.result.height}`}
              preserveAspectRatio="none"
              data-testid="webcam-overlay"
            >
              {frame.faces.map((face) => {
                const colour = colors[face.top];
                const barWidth = face.box.width / labels.length;
                const barsHeight = face.box.height / 4;
                const barsTop = face.box.y + face.box.height + 4;
                return (
                  <g key={face.id} data-testid="webcam-face" data-face={face.id} data-top={labels[face.top]}>
                    <FaceOutline box={face.box} colour={colour} strokeWidth={3} fontSize={16}>
                      {face.id} · {labels[face.top]} {(face.smoothed[face.top] * 100).toFixed(0)} %
                    </FaceOutline>
                    {labels.map((label, c) => (
                      <rect
                        key={label}
                        x={face.box.x + c * barWidth + 1}
                        y={barsTop + barsHeight * (1 - face.smoothed[c])}
                        width={Math.max(1, barWidth - 2)}
                        height={barsHeight * face.smoothed[c] + 1}
                        fill={colors[c]}
                      >
                        <title>{`${label} ${(face.smoothed[c] * 100).toFixed(1)} %`}</title>
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
              {frame.result.workerMs.toFixed(0)} ms per frame (pixels {frame.result.readMs.toFixed(0)} ms,{' '}
              {frame.result.detected ? `detection ${frame.result.detectMs.toFixed(0)} ms` : `boxes followed (the detector runs on every ${WEBCAM_DETECT_EVERY}rd frame)`}, classification{' '}
              {frame.result.classifyMs.toFixed(0)} ms)
            </p>
          )}
          <label className="smoothing">
            Smooth over{' '}
            <input type="number" min={1} max={60} value={smoothingFrames} aria-label="Frames to smooth over" onChange={(e) => setSmoothingFrames(Math.min(60, Math.max(1, Number(e.target.value) || 1)))} />{' '}
            frame{smoothingFrames === 1 ? '' : 's'}
          </label>
          {first && <ProbabilityBars labels={labels} colors={colors} probs={first.smoothed} compact />}
          {frame && frame.faces.length === 0 && <p className="muted">No face in view.</p>}
        </div>
      </div>
      {timelines.length > 0 && (
        <div className="timelines" data-testid="webcam-timelines">
          <div className="row-between">
            <h3>Each face over time (smoothed)</h3>
            <button
              type="button"
              className="secondary"
              data-testid="webcam-csv"
              onClick={() => tracker && saveDownload('webcam-session.csv', [trackRecordsCsv(tracker.records, labels)], 'text/csv')}
            >
              Save session as CSV
            </button>
          </div>
          {timelines.map(({ face, points }) => (
            <FaceTimeline key={face} face={face} points={points} labels={labels} colors={colors} />
          ))}
        </div>
      )}
      {!running && !error && (
        <p className="muted">Frames are analysed in this browser; nothing is sent anywhere.</p>
      )}
    </section>
  );
}
