// Types only: what the inference benchmark page (inference-bench.ts) returns to its Node driver (bench/inference.ts).

export interface BenchResult {
  where: 'worker' | 'page';
  /** The detector ran on every this-many-th frame (the frames between classified the boxes found last). */
  detectEvery: number;
  backend: string;
  frames: number;
  fps: number;
  medianWorkerMs: number;
  medianReadMs: number;
  /** Over the frames that ran the detector. */
  medianDetectMs: number;
  medianClassifyMs: number;
  faces: number;
  /** Main-thread frames (requestAnimationFrame gaps) longer than 50 ms, and the longest gap. */
  longFrames: number;
  maxFrameGapMs: number;
}
