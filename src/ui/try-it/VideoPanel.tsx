// Runs on the page: a video file analysed at a chosen rate in the inference worker (progress, cancel), each
// face numbered and followed, its smoothed timeline, the video scrubbable with the analysed boxes drawn, and
// the per-frame results as CSV.
import { useEffect, useMemo, useRef, useState } from 'react';
import { trackRecordsCsv } from '../../core/inference/face-tracker';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { classifierColors } from '../common/class-colors';
import { ErrorBanner } from '../common/ErrorBanner';
import { FileDropZone } from '../common/FileDropZone';
import { ProgressBar } from '../common/ProgressBar';
import { saveDownload } from '../common/save-file';
import { FaceOutline } from './FaceOutline';
import { FaceTimeline } from './FaceTimeline';
import { useVideoAnalysis, type AnalysedFrame } from './useVideoAnalysis';

const RATES = [1, 2, 5, 10];

/** The analysed frame shown at `timeMs`: the last one at or before it. */
function frameAt(frames: readonly AnalysedFrame[], timeMs: number): AnalysedFrame | null {
  let found: AnalysedFrame | null = null;
  for (const frame of frames) {
    if (frame.timeMs > timeMs + 1) break;
    found = frame;
  }
  return found;
}

export function VideoPanel({ classifier }: { classifier: ClassifierRef }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const { state, open, run, cancel } = useVideoAnalysis(classifier, videoRef);
  const [rate, setRate] = useState(5);
  const [smoothingFrames, setSmoothingFrames] = useState(3);
  const [timeMs, setTimeMs] = useState(0);
  const labels = classifier.labels;
  const colors = classifierColors(classifier);

  // Scrubbing (or playing) shows the boxes of the analysed frame at that time.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const update = () => setTimeMs(video.currentTime * 1000);
    video.addEventListener('timeupdate', update);
    video.addEventListener('seeked', update);
    return () => {
      video.removeEventListener('timeupdate', update);
      video.removeEventListener('seeked', update);
    };
  }, []);
  const shown = frameAt(state.frames, timeMs);
  const timelines = useMemo(() => {
    const tracker = state.tracker;
    if (!tracker || state.status === 'running') return [];
    return [...new Set(tracker.records.map((record) => record.face))].map((face) => ({ face, points: tracker.timeline(face) }));
  }, [state.tracker, state.status]);
  const running = state.status === 'running';
  const canRun = state.status === 'ready' || state.status === 'done' || state.status === 'cancelled';

  return (
    <section className="card video-panel" data-testid="video-panel">
      <FileDropZone onFiles={(files) => open(files[0])} accept="video/*,.mp4,.webm,.mov,.mkv" disabled={running} chooseLabel="Choose a video…" chooseSecondary testId="video-drop-zone" inputTestId="video-input">
        <p className="drop-title">Drop a video here</p>
        <p className="muted">MP4 or WebM. Frames are analysed in this browser at the rate you choose; the video is not uploaded.</p>
      </FileDropZone>
      {state.error && <ErrorBanner title="Video:" message={state.error} testId="video-error" />}
      <div className="video-layout" hidden={state.url === null || state.status === 'error'}>
        <div className="webcam-frame">
          <video ref={videoRef} className="webcam-video" controls={!running} muted playsInline data-testid="video" />
          {shown && (
            <svg className="photo-overlay" viewBox={`0 0 ${shown.result.width} ${shown.result.height}`} preserveAspectRatio="none" data-testid="video-overlay" data-time={shown.timeMs}>
              {shown.faces.map((face) => (
                <g key={face.id} data-testid="video-face" data-face={face.id} data-top={labels[face.top]}>
                  <FaceOutline box={face.box} colour={colors[face.top]} strokeWidth={3} fontSize={16}>
                    {face.id} · {labels[face.top]} {(face.smoothed[face.top] * 100).toFixed(0)} %
                  </FaceOutline>
                </g>
              ))}
            </svg>
          )}
        </div>
        <div className="webcam-side">
          <p className="muted" data-testid="video-info">
            {state.name} · {(state.durationMs / 1000).toFixed(1)} s
          </p>
          <label>
            Analyse{' '}
            <select value={rate} aria-label="Frames per second to analyse" disabled={running} onChange={(e) => setRate(Number(e.target.value))}>
              {RATES.map((r) => (
                <option key={r} value={r}>
                  {r} frame{r === 1 ? '' : 's'} a second
                </option>
              ))}
            </select>
          </label>
          <label className="smoothing">
            Smooth over{' '}
            <input type="number" min={1} max={60} value={smoothingFrames} disabled={running} aria-label="Analysed frames to smooth over" onChange={(e) => setSmoothingFrames(Math.min(60, Math.max(1, Number(e.target.value) || 1)))} /> frames
          </label>
          <div className="button-row">
            {running ? (
              <button type="button" className="danger" onClick={cancel}>
                Cancel
              </button>
            ) : (
              <button type="button" disabled={!canRun} onClick={() => void run(rate, smoothingFrames)}>
                Analyse the video
              </button>
            )}
          </div>
          {(running || state.status === 'done' || state.status === 'cancelled') && (
            <ProgressBar fraction={state.progress} label="Video analysis">
              <span data-testid="video-progress" data-status={state.status}>
                {state.frames.length} frames analysed{state.status === 'cancelled' ? ' · cancelled' : state.status === 'done' ? ' · done' : ''}
              </span>
            </ProgressBar>
          )}
        </div>
      </div>
      {timelines.length > 0 && (
        <div className="timelines" data-testid="video-timelines">
          <div className="row-between">
            <h3>Each face over the video (smoothed)</h3>
            <button type="button" className="secondary" data-testid="video-csv" onClick={() => state.tracker && saveDownload(`${(state.name ?? 'video').replace(/\.[^.]+$/, '')}-faces.csv`, [trackRecordsCsv(state.tracker.records, labels)], 'text/csv')}>
              Save as CSV
            </button>
          </div>
          {timelines.map(({ face, points }) => (
            <FaceTimeline key={face} face={face} points={points} labels={labels} colors={colors} minSeconds={state.durationMs / 1000} />
          ))}
        </div>
      )}
    </section>
  );
}
