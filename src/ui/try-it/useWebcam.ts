// Runs on the page: camera -> frames to the inference worker -> live faces and frame rate.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { inferenceClient } from '../../workers/inference-client';
import { newRunId } from '../../workers/worker-bridge';
import type { FrameResult } from '../../workers/inference-protocol';
import { DetectionSchedule } from '../../core/inference/detection-schedule';
import { FaceTracker, type TrackedFace } from '../../core/inference/face-tracker';
import { FrameRateMeter } from './frame-rate';
import { cameraErrorMessage, NO_CAMERA_API_MESSAGE } from './webcam-errors';

export type WebcamStatus = 'idle' | 'starting' | 'running' | 'error';

/**
 * The detector runs on every 3rd frame; the frames between classify the boxes it found last (see
 * DetectionSchedule): detection is most of a frame's time, and a face moves little in 1/15 s.
 */
export const WEBCAM_DETECT_EVERY = 3;

/**
 * Frames in the worker at once: while it works on one, the next is already grabbed and posted, so the worker
 * never waits for the page. More would only add latency.
 */
const MAX_IN_FLIGHT = 2;

/** The video's current frame: a VideoFrame (no copy on the page) where supported, else an ImageBitmap. */
async function captureFrame(video: HTMLVideoElement): Promise<VideoFrame | ImageBitmap> {
  if (typeof VideoFrame !== 'undefined') return new VideoFrame(video);
  return createImageBitmap(video);
}

interface Session {
  stream: MediaStream;
  runIds: Set<string>;
  meter: FrameRateMeter;
  stopped: boolean;
  /** Session start (performance.now()), for the timelines' time axis. */
  startedAt: number;
  schedule: DetectionSchedule;
}

/** A frame's faces with their tracked numbers and smoothed probabilities. */
export interface TrackedFrame {
  result: FrameResult;
  faces: TrackedFace[];
  timeMs: number;
}

/**
 * @param smoothingFrames frames averaged for each face's shown probabilities (read at each frame, so it may
 *   change during a session).
 */
export function useWebcam(bundle: ClassifierRef | null, smoothingFrames = 5) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<WebcamStatus>('idle');
  const [error, setError] = useState<string | null>(null);
  const [frame, setFrame] = useState<TrackedFrame | null>(null);
  /** The faces followed through the session (kept after Stop, for its timelines and CSV). */
  const [tracker, setTracker] = useState<FaceTracker | null>(null);
  const trackerRef = useRef<FaceTracker | null>(null);
  const smoothing = useRef(smoothingFrames);
  useEffect(() => {
    smoothing.current = smoothingFrames;
    trackerRef.current?.setWindow(smoothingFrames);
  }, [smoothingFrames]);
  const [fps, setFps] = useState(0);
  const session = useRef<Session | null>(null);
  const bundleRef = useRef(bundle);

  useEffect(() => {
    bundleRef.current = bundle;
  }, [bundle]);

  /** Grabs the video's current frame and posts it, if the worker has room for another. */
  const grab = useCallback(() => {
    const current = session.current;
    const video = videoRef.current;
    const model = bundleRef.current;
    if (
      !current ||
      current.stopped ||
      !video ||
      !model ||
      current.runIds.size >= MAX_IN_FLIGHT ||
      video.readyState < 2
    )
      return;
    const runId = newRunId();
    current.runIds.add(runId);
    captureFrame(video).then(
      (frame) => {
        if (current.stopped) {
          frame.close();
          return;
        }
        inferenceClient.sendFrame(model, frame, runId, current.schedule.next());
      },
      () => current.runIds.delete(runId), // no frame yet (e.g. the video is resizing): try on the next one
    );
  }, []);

  const stop = useCallback(() => {
    const current = session.current;
    if (current) {
      current.stopped = true;
      for (const track of current.stream.getTracks()) track.stop();
    }
    session.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
    setStatus((status) => (status === 'error' ? status : 'idle'));
    setFrame(null);
    setFps(0);
  }, []);

  useEffect(
    () =>
      inferenceClient.subscribe((event) => {
        const current = session.current;
        if (!current || event.runId === null || !current.runIds.has(event.runId)) return;
        current.runIds.delete(event.runId);
        if (event.type === 'frame') {
          current.schedule.result(event.result.detected, event.result.faces);
          const timeMs = performance.now() - current.startedAt;
          const faces = trackerRef.current!.update(event.result.faces, timeMs);
          setFrame({ result: event.result, faces, timeMs });
          setFps(current.meter.tick(performance.now()));
        } else if (event.type === 'error') {
          console.error('webcam frame failed:', event.message);
          setError(`A frame could not be analysed: ${event.message}`);
          setStatus('error');
          stop();
        }
      }),
    [stop],
  );

  const start = useCallback(async () => {
    if (session.current) return;
    setError(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setError(NO_CAMERA_API_MESSAGE);
      setStatus('error');
      return;
    }
    setStatus('starting');
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
        audio: false,
      });
    } catch (reason) {
      console.error('getUserMedia failed:', reason);
      setError(cameraErrorMessage(reason));
      setStatus('error');
      return;
    }
    const video = videoRef.current;
    if (!video) {
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const current: Session = { stream, runIds: new Set(), meter: new FrameRateMeter(), stopped: false, startedAt: performance.now(), schedule: new DetectionSchedule(WEBCAM_DETECT_EVERY) };
    trackerRef.current = new FaceTracker({ window: smoothing.current });
    setTracker(trackerRef.current);
    session.current = current;
    video.srcObject = stream;
    try {
      await video.play();
    } catch (reason) {
      stop();
      setError(cameraErrorMessage(reason));
      setStatus('error');
      return;
    }
    setStatus('running');
    // One grab per new video frame, so a frame is never analysed twice.
    const onVideoFrame = () => {
      if (current.stopped) return;
      grab();
      video.requestVideoFrameCallback(onVideoFrame);
    };
    video.requestVideoFrameCallback(onVideoFrame);
  }, [grab, stop]);

  useEffect(() => stop, [stop]);

  return { videoRef, status, error, frame, fps, start, stop, tracker };
}
