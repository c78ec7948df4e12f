// A small thread pool for kernels.c, for tfjs-wasm's threaded (shared-memory) build: worker threads
// instantiate the same module on the same memory and run their share of a task. Pure; uses Worker and
// Atomics only where the memory is shared (cross-origin isolated pages and their workers), else 1 thread.
import { simdModule, type SimdKernels } from './simd-module';
import { type BackendWasm, emscripten } from './wasm-backend';

/** The exports a pool can run, by index (the order is part of the worker protocol). */
const POOL_KERNELS = [
  'conv_filter_grad',
  'conv_forward',
  'winograd_conv',
  'winograd_filter_grad',
  'bn_moments',
  'bn_grad_sums',
  'normalize_cols',
  'bn_input_grad',
  'relu_grad',
  'max_pool_grad',
  'adam_update',
  'momentum_update',
  'conv_filter_grad_c1',
  'warp_bilinear_nearest',
  'simd_peak',
] as const satisfies readonly (keyof SimdKernels)[];
export type PoolKernel = (typeof POOL_KERNELS)[number];

// Control block (Int32 slots on the wasm heap).
const GENERATION = 0; // bumped to publish a task
const PENDING = 1; // workers that have not finished it
const KERNEL = 2; // index into POOL_KERNELS, -1 to stop
const PARTS = 3; // parts in this task (part p runs on worker p - 1; part 0 on the caller)
const READY = 4; // workers that have started
const ARG_COUNT = 5;
const FAILED = 6; // bit p set: part p threw in its thread (the caller runs it again itself)
const ARGS = 8;
const MAX_ARGS = 24;
const MAX_WORKERS = 15;
const CONTROL_INTS = ARGS + (MAX_WORKERS + 1) * MAX_ARGS;
/** The caller's wait for its threads wakes this often (ms) to check the stall timeout. */
const WAIT_SLICE_MS = 1_000;

const WORKER_SOURCE = `
self.onmessage = (event) => {
  const { module, memory, control, part, names } = event.data;
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = names.map((name) => exports[name]);
  const c = new Int32Array(memory.buffer, control, ${CONTROL_INTS});
  let seen = Atomics.load(c, ${GENERATION});
  Atomics.add(c, ${READY}, 1);
  for (;;) {
    Atomics.wait(c, ${GENERATION}, seen);
    seen = Atomics.load(c, ${GENERATION});
    const kernel = c[${KERNEL}];
    if (kernel < 0) return close();
    if (part < c[${PARTS}]) {
      const base = ${ARGS} + part * ${MAX_ARGS};
      // A thread that throws (say a memory access past the end its instance knows of, just after another thread
      // grew the shared memory) must still count itself done, or the caller would wait for it forever.
      try {
        kernels[kernel](...c.subarray(base, base + c[${ARG_COUNT}]));
      } catch {
        Atomics.or(c, ${FAILED}, 1 << part);
      }
    }
    if (Atomics.sub(c, ${PENDING}, 1) === 1) Atomics.notify(c, ${PENDING});
  }
};`;

export interface SimdPool {
  /** How many parts a task may have now: 1 + the workers, once all are ready. */
  parts(): number;
  /** Resolves when the workers run (true), or false after timeoutMs (or when there are none). */
  whenReady(timeoutMs: number): Promise<boolean>;
  /** Runs kernel(...args[p]) for every part p at once, part 0 on this thread; returns when all are done. */
  run(kernel: PoolKernel, args: number[][]): void;
}

/** Tests only: without threads, still split tasks into this many parts, run one after another. */
let sequentialParts = 1;
export function splitTasksForTests(parts: number): void {
  sequentialParts = parts;
}

const SINGLE: (kernels: SimdKernels) => SimdPool = (kernels) => ({
  parts: () => sequentialParts,
  whenReady: async () => false,
  run: (kernel, args) => {
    for (const partArgs of args) (kernels[kernel] as (...a: number[]) => void)(...partArgs);
  },
});

/**
 * How long the caller waits for the kernel threads to finish their parts of one task before it gives up, ms.
 * A part takes milliseconds (a big net's largest conv on a slow machine: seconds), so this only ends a wait
 * that would never end: the run fails, naming the kernel, instead of the tab freezing without a word.
 */
const STALL_MS = 60_000;
let stallMs = STALL_MS;
/** Tests only: a shorter stall timeout (null: the default back). */
export function setPoolStallMsForTests(ms: number | null): void {
  stallMs = ms ?? STALL_MS;
}

/** The kernel threads did not finish a task in time; the pool has stopped them and runs on the caller alone from now on. */
export class KernelThreadsStalledError extends Error {
  constructor(kernel: PoolKernel, waitedMs: number) {
    super(`the SIMD kernel threads did not finish ${kernel} in ${Math.round(waitedMs / 1000)} s; they were stopped, and kernels run on one thread from now on`);
    this.name = 'KernelThreadsStalledError';
  }
}

class WorkerPool implements SimdPool {
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  /** Set once the threads stalled and were stopped: every task then runs on the caller. */
  private stopped = false;
  /** Atomics.wait is not allowed on a page's main thread; there the caller spins. */
  private readonly canWait: boolean;
  private readonly kernels: SimdKernels;

  constructor(backend: BackendWasm, kernels: SimdKernels, module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number) {
    this.kernels = kernels;
    const offset = emscripten(backend)._malloc(CONTROL_INTS * 4) >>> 0;
    this.control = new Int32Array(memory.buffer, offset, CONTROL_INTS);
    this.control.fill(0);
    this.canWait = (() => {
      try {
        Atomics.wait(this.control, READY, -1, 0); // 'not-equal' where waiting is allowed, throws where not
        return true;
      } catch {
        return false;
      }
    })();
    // The URL stays valid: workers fetch it asynchronously, after the constructor returns.
    const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
    for (let part = 1; part < Math.min(threads, MAX_WORKERS + 1); part++) {
      const worker = new Worker(url);
      // Until every worker is ready, kernels run on the caller alone; one that fails leaves it that way.
      worker.onerror = (event) => console.error(`SIMD kernel thread failed: ${event.message}`);
      worker.postMessage({ module, memory, control: offset, part, names: POOL_KERNELS });
      this.workers.push(worker);
    }
  }

  /** Resolves once every worker runs (true), or false after timeoutMs. Needs this thread's event loop to turn. */
  async whenReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.control, READY) !== this.workers.length) {
      if (Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  parts(): number {
    if (this.stopped) return 1;
    return Atomics.load(this.control, READY) === this.workers.length ? this.workers.length + 1 : 1;
  }

  run(kernel: PoolKernel, args: number[][]): void {
    const run = this.kernels[kernel] as (...a: number[]) => void;
    if (args.length === 1) return run(...args[0]); // workers not needed (or not ready yet)
    if (args.length > this.parts()) throw new Error(`pool has ${this.parts()} parts, task has ${args.length}`);
    const c = this.control;
    const count = args[0].length;
    if (count > MAX_ARGS) throw new Error(`${kernel}: too many arguments for the pool`);
    for (let part = 1; part < args.length; part++) c.set(args[part], ARGS + part * MAX_ARGS);
    c[KERNEL] = POOL_KERNELS.indexOf(kernel);
    c[ARG_COUNT] = count;
    c[PARTS] = args.length;
    // Every worker acknowledges every task; those without a part skip the work.
    Atomics.store(c, FAILED, 0);
    Atomics.store(c, PENDING, this.workers.length);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    run(...args[0]);
    const waitStarted = performance.now();
    for (let pending = Atomics.load(c, PENDING); pending !== 0; pending = Atomics.load(c, PENDING)) {
      if (this.canWait) Atomics.wait(c, PENDING, pending, WAIT_SLICE_MS);
      const waited = performance.now() - waitStarted;
      if (waited > stallMs) {
        // A thread still inside its part would go on writing into memory the caller reuses: stop them all.
        this.stopped = true;
        for (const worker of this.workers) worker.terminate();
        throw new KernelThreadsStalledError(kernel, waited);
      }
    }
    // Parts that threw in their thread run again here, where an error surfaces as the caller's own.
    const failed = Atomics.load(c, FAILED);
    for (let part = 1; part < args.length; part++) if (failed & (1 << part)) run(...args[part]);
  }
}

/**
 * [begin, end) runs of [0, total) for `parts` parts, each a whole number of `unit`s (the last takes the rest);
 * fewer runs when there are fewer units than parts.
 */
export function splitRange(total: number, parts: number, unit = 1): [number, number][] {
  const units = Math.ceil(total / unit);
  const count = Math.max(1, Math.min(parts, units));
  const runs: [number, number][] = [];
  for (let part = 0; part < count; part++) {
    const begin = Math.min(Math.round((units * part) / count) * unit, total);
    const end = part === count - 1 ? total : Math.min(Math.round((units * (part + 1)) / count) * unit, total);
    runs.push([begin, end]);
  }
  return runs;
}

/** Below this many floats of work a memory-bound kernel runs on the calling thread alone (waking the pool costs more). */
const MIN_SPLIT_FLOATS = 1 << 15;

/**
 * Runs a memory-bound kernel over [0, total) in units of `unit`, split over the pool's threads when `floats`
 * (its data size) makes it worth it; args(begin, end) gives one part's arguments.
 */
export function runSplit(backend: BackendWasm, kernel: PoolKernel, total: number, unit: number, floats: number, args: (begin: number, end: number) => number[]): void {
  const pool = simdPool(backend);
  const parts = floats >= MIN_SPLIT_FLOATS ? pool.parts() : 1;
  pool.run(
    kernel,
    splitRange(total, parts, unit).map(([begin, end]) => args(begin, end)),
  );
}

const pools = new WeakMap<object, SimdPool>();
let requestedThreads: number | null = null;

/**
 * Threads for kernels.c (the caller's included). Default: as many as tfjs gave XNNPACK. Takes effect for
 * backends that have not used a pooled kernel yet.
 */
export function setSimdThreads(threads: number | null): void {
  requestedThreads = threads;
}

/**
 * The pool for this backend's kernels module (one per build, see simdModule): workers where the memory is
 * shared and threads > 1, else the caller alone.
 */
export function simdPool(backend: BackendWasm): SimdPool {
  const instance = simdModule(backend);
  let pool = pools.get(instance);
  if (!pool) {
    const { kernels, module, memory } = instance;
    const threads = requestedThreads ?? backend.wasm.tfjs.getThreadsCount();
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    pool = shared && threads > 1 && typeof Worker !== 'undefined' ? new WorkerPool(backend, kernels, module, memory, threads) : SINGLE(kernels);
    pools.set(instance, pool);
  }
  return pool;
}

/**
 * Starts the kernel threads for the active 'wasm' backend and waits until they run (at most timeoutMs).
 * IMPORTANT: call it (await it) after `tf.setBackend('wasm')` and before training: a worker started from
 * a thread that then computes without yielding to its event loop never gets going, and the kernels stay
 * on one thread. Resolves with the number of threads the kernels will use.
 */
export async function startSimdThreads(backend: BackendWasm, timeoutMs = 10_000): Promise<number> {
  const pool = simdPool(backend);
  await pool.whenReady(timeoutMs);
  return pool.parts();
}
