// Runs on the page: a video file analysed frame by frame in the inference worker at a chosen rate (seek, grab
// the frame, classify, track the faces), with progress and cancel; the results per analysed time.
import { useCallback, useEffect, useRef, useState } from 'react';
import { FaceTracker, type TrackedFace } from '../../core/inference/face-tracker';
import type { ClassifierRef } from '../../core/model-format/classifier-bundle';
import { errorMessage } from '../../core/errors';
import { inferenceClient } from '../../workers/inference-client';
import type { FrameResult } from '../../workers/inference-protocol';
import { newRunId } from '../../workers/worker-bridge';

export interface AnalysedFrame {
  timeMs: number;
  result: FrameResult;
  faces: TrackedFace[];
}

export interface VideoAnalysis {
  status: 'idle' | 'loading' | 'ready' | 'running' | 'done' | 'cancelled' | 'error';
  /** Object URL of the chosen file, for the <video>. */
  url: string | null;
  name: string | null;
  durationMs: number;
  /** 0–1 while running. */
  progress: number;
  frames: AnalysedFrame[];
  tracker: FaceTracker | null;
  error: string | null;
}

const initial: VideoAnalysis = { status: 'idle', url: null, name: null, durationMs: 0, progress: 0, frames: [], tracker: null, error: null };

/** Why a <video> could not play a file, for people, naming it. */
function videoErrorMessage(name: string, video: HTMLVideoElement): string {
  const code = video.error?.code;
  if (code === 4) return `${name} cannot be played by this browser: its format or codec is not supported, or it is not a video (MP4 with H.264 and WebM with VP8/VP9 play here)`;
  if (code === 3) return `${name} is damaged or cut short: the browser could not decode it`;
  return `${name} could not be opened as a video${video.error?.message ? ` (${video.error.message})` : ''}`;
}

/** Resolves once the video has seeked to `seconds` (and has that frame). */
function seek(video: HTMLVideoElement, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      video.removeEventListener('seeked', done);
      video.removeEventListener('error', failed);
      resolve();
    };
    const failed = () => {
      video.removeEventListener('seeked', done);
      video.removeEventListener('error', failed);
      reject(new Error('the video stopped decoding'));
    };
    video.addEventListener('seeked', done);
    video.addEventListener('error', failed);
    video.currentTime = seconds;
  });
}

/** One frame's result from the worker (or its error). */
function analyse(classifier: ClassifierRef, video: HTMLVideoElement): Promise<FrameResult> {
  const runId = newRunId();
  return new Promise((resolve, reject) => {
    const unsubscribe = inferenceClient.subscribe((event) => {
      if (event.runId !== runId) return;
      unsubscribe();
      if (event.type === 'frame') resolve(event.result);
      else if (event.type === 'error') reject(new Error(event.message));
    });
    createImageBitmap(video).then(
      (bitmap) => inferenceClient.sendFrame(classifier, bitmap, runId),
      (error: unknown) => {
        unsubscribe();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * @param videoRef the <video> showing the file (seeked during the analysis, scrubbed by the user after).
 */
export function useVideoAnalysis(classifier: ClassifierRef | null, videoRef: React.RefObject<HTMLVideoElement | null>) {
  const [state, setState] = useState<VideoAnalysis>(initial);
  const cancelRef = useRef<AbortController | null>(null);

  /** Opens a file: its length is read; a file the browser cannot play is named and refused. */
  const open = useCallback(
    (file: File) => {
      cancelRef.current?.abort();
      setState((previous) => {
        if (previous.url) URL.revokeObjectURL(previous.url);
        if (file.size === 0) return { ...initial, name: file.name, status: 'error', error: `${file.name} is empty (0 bytes)` };
        return { ...initial, name: file.name, url: URL.createObjectURL(file), status: 'loading' };
      });
    },
    [],
  );

  // The <video> reports whether it can play the file.
  useEffect(() => {
    const video = videoRef.current;
    if (!video || state.status !== 'loading' || !state.url) return;
    const name = state.name ?? 'the video';
    const ready = () => {
      video.removeEventListener('durationchange', lengthFound);
      const durationMs = video.duration * 1000;
      if (!Number.isFinite(durationMs) || durationMs <= 0) setState((s) => ({ ...s, status: 'error', error: `${name} has no length the browser can read (a live or damaged stream?)` }));
      else setState((s) => ({ ...s, status: 'ready', durationMs }));
    };
    // Browsers' own recordings (MediaRecorder WebM) state no length: seeking past the end makes the browser
    // read to the end and find it.
    const lengthFound = () => {
      if (!Number.isFinite(video.duration)) return;
      video.currentTime = 0;
      ready();
    };
    const loaded = () => {
      if (video.duration !== Infinity) return ready();
      video.addEventListener('durationchange', lengthFound);
      video.currentTime = Number.MAX_SAFE_INTEGER;
    };
    const failed = () => setState((s) => ({ ...s, status: 'error', error: videoErrorMessage(name, video) }));
    video.addEventListener('loadedmetadata', loaded);
    video.addEventListener('error', failed);
    video.src = state.url;
    video.load();
    return () => {
      video.removeEventListener('loadedmetadata', loaded);
      video.removeEventListener('durationchange', lengthFound);
      video.removeEventListener('error', failed);
    };
  }, [state.status, state.url, state.name, videoRef]);

  /** Analyses `rate` frames per second of video, one at a time; cancel() stops after the current one. */
  const run = useCallback(
    async (rate: number, smoothingFrames: number) => {
      const video = videoRef.current;
      if (!video || !classifier || (state.status !== 'ready' && state.status !== 'done' && state.status !== 'cancelled')) return;
      const controller = new AbortController();
      cancelRef.current = controller;
      const tracker = new FaceTracker({ window: smoothingFrames });
      const frames: AnalysedFrame[] = [];
      const durationMs = state.durationMs;
      setState((s) => ({ ...s, status: 'running', progress: 0, frames: [], tracker, error: null }));
      video.pause();
      try {
        for (let timeMs = 0; timeMs < durationMs; timeMs += 1000 / rate) {
          if (controller.signal.aborted) {
            setState((s) => ({ ...s, status: 'cancelled', frames: [...frames] }));
            return;
          }
          await seek(video, timeMs / 1000);
          const result = await analyse(classifier, video);
          frames.push({ timeMs, result, faces: tracker.update(result.faces, timeMs) });
          setState((s) => ({ ...s, progress: Math.min(1, (timeMs + 1000 / rate) / durationMs), frames: [...frames] }));
        }
        setState((s) => ({ ...s, status: 'done', progress: 1, frames: [...frames] }));
      } catch (error) {
        setState((s) => ({ ...s, status: 'error', frames: [...frames], error: `${s.name ?? 'The video'}: a frame could not be analysed (${errorMessage(error)})` }));
      }
    },
    [classifier, state.status, state.durationMs, videoRef],
  );

  const cancel = useCallback(() => cancelRef.current?.abort(), []);
  useEffect(() => () => cancelRef.current?.abort(), []);

  return { state, open, run, cancel };
}
