// Types only: what the inference benchmark page (inference-bench.ts) returns to its Node driver (bench/inference.ts).

export interface BenchResult {
  where: 'worker' | 'page';
  backend: string;
  frames: number;
  fps: number;
  medianWorkerMs: number;
  medianReadMs: number;
  medianDetectMs: number;
  medianClassifyMs: number;
  faces: number;
  /** Main-thread frames (requestAnimationFrame gaps) longer than 50 ms, and the longest gap. */
  longFrames: number;
  maxFrameGapMs: number;
}
