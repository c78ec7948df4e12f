// Types shared by the train benchmark's page, its worker and the Node driver (bench/train.ts). Types only.
import type { MeasureOptions, MeasureRecord } from './train-measure';

export type BrowserBackend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BenchRequest {
  backend: BrowserBackend;
  /** WASM only: XNNPACK threads wanted (tfjs caps them at hardwareConcurrency / 2 unless we say otherwise). */
  wasmThreads?: number;
  /** WASM only: false runs 3x3 stride-1 convs by the direct kernel instead of Winograd (to compare both). */
  winograd?: boolean;
  /** WASM only: false runs the plain build of our SIMD kernels where the engine has relaxed SIMD (to compare). */
  relaxedSimd?: boolean;
  options: MeasureOptions;
}

export type BenchReply =
  | { type: 'log'; text: string }
  | { type: 'result'; record: MeasureRecord; device: string }
  | { type: 'error'; message: string };

/** What bench/browser/train-bench-page.ts puts on window for the driver. */
export interface BenchWindow {
  benchTrain(request: BenchRequest): Promise<BenchReply>;
}
