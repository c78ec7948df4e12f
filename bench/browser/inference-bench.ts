// Benchmark-only page (bench/inference.ts drives it): webcam frames -> faces -> compact classifier, run either in
// the app's inference worker or on this page's main thread, with the frame rate and the main thread's jank.
import * as tf from '@tensorflow/tfjs';
import { PIXELS } from '../../src/core/dataset/face-format';
import { classifierBundleOf } from '../../src/core/inference/bundle';
import { buildModel } from '../../src/core/nets/architectures';
import { DETECTOR_ASSET_DIR } from '../../src/detect/detector-assets';
import { loadTinyFaceDetector } from '../../src/detect/tiny-face-detector';
import { readFrame } from '../../src/workers/image-decode';
import { DetectionSchedule } from '../../src/core/inference/detection-schedule';
import { initInferenceBackend } from '../../src/workers/inference-backend';
import { inferenceClient } from '../../src/workers/inference-client';
import { createInferenceHandler } from '../../src/workers/inference-handler';
import type { FrameResult, InferenceEvent } from '../../src/workers/inference-protocol';
import type { BenchResult } from './inference-bench-result';
import { median } from '../../src/core/statistics';


async function startCamera(): Promise<HTMLVideoElement> {
  const video = document.getElementById('video') as HTMLVideoElement;
  video.srcObject = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
  await video.play();
  return video;
}

async function compactBundle() {
  await tf.setBackend('cpu'); // only to build and serialise the model on this page
  const model = buildModel('compact', 7);
  const bundle = await classifierBundleOf(model, {
    id: `bench-${Date.now()}`,
    name: 'compact (random weights)',
    mean: new Float32Array(PIXELS).fill(128),
    std: new Float32Array(PIXELS).fill(64),
    labels: ['Angry', 'Disgust', 'Fear', 'Happy', 'Sad', 'Surprise', 'Neutral'],
  });
  model.dispose();
  return bundle;
}

/** Runs frames for `seconds`, one new video frame at a time (two in flight, as the app does). */
async function run(where: 'worker' | 'page', seconds: number, backend?: string, detectEvery = 1): Promise<BenchResult> {
  const schedule = new DetectionSchedule(detectEvery);
  const video = await startCamera();
  const bundle = await compactBundle();
  const results: FrameResult[] = [];
  let backendName = '';
  let inFlight = 0;
  let send: (frame: VideoFrame) => void;
  const onEvent = (event: InferenceEvent) => {
    if (event.type === 'model') backendName = event.backend.backend;
    if (event.type === 'frame') {
      inFlight--;
      schedule.result(event.result.detected, event.result.faces);
      results.push(event.result);
    }
    if (event.type === 'error') throw new Error(event.message);
  };
  if (where === 'worker') {
    inferenceClient.subscribe(onEvent);
    inferenceClient.useModel(bundle);
    send = (frame) => inferenceClient.sendFrame(bundle, frame, undefined, schedule.next());
  } else {
    const handle = createInferenceHandler(onEvent, {
      initBackend: (preferred) => initInferenceBackend(preferred ?? backend),
      loadDetector: () => loadTinyFaceDetector(new URL(`/${DETECTOR_ASSET_DIR}/`, location.origin).href),
      decodePhoto: () => Promise.reject(new Error('not in this benchmark')),
      readFrame,
      loadBundle: async () => bundle,
    });
    await handle({ type: 'model', runId: 'm', modelId: bundle.id, bundle, backend });
    send = (frame) => void handle({ type: 'frame', runId: 'f', modelId: bundle.id, frame, tracked: schedule.next() });
  }
  // Warm-up: wait for the first results (model, detector, kernels), then measure.
  const pump = () => {
    if (inFlight < 2 && video.readyState >= 2) {
      inFlight++;
      send(new VideoFrame(video));
    }
  };
  let running = true;
  const onVideoFrame = () => {
    if (!running) return;
    pump();
    video.requestVideoFrameCallback(onVideoFrame);
  };
  video.requestVideoFrameCallback(onVideoFrame);
  while (results.length < 5) await new Promise((resolve) => setTimeout(resolve, 50));
  results.length = 0;
  const gaps: number[] = [];
  let last = performance.now();
  const watch = (now: number) => {
    gaps.push(now - last);
    last = now;
    if (running) requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  return {
    where,
    detectEvery,
    backend: backendName,
    frames: results.length,
    fps: results.length / elapsed,
    medianWorkerMs: median(results.map((r) => r.workerMs)),
    medianReadMs: median(results.map((r) => r.readMs)),
    medianDetectMs: median(results.filter((r) => r.detected).map((r) => r.detectMs)),
    medianClassifyMs: median(results.map((r) => r.classifyMs)),
    faces: median(results.map((r) => r.faces.length)),
    longFrames: gaps.filter((gap) => gap > 50).length,
    maxFrameGapMs: Math.max(...gaps),
  };
}

Object.assign(window, { runInferenceBench: run });
