// Runs in workers and in Node tests: picks the first tfjs backend that works, in order, saying why.
// (The probes and the real tfjs calls live in backends.ts; this is the decision, testable without a GPU.)
import { errorMessage } from '../core/errors';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = BackendName | 'auto';

export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  detail: string;
}

export interface BackendInfo {
  backend: BackendName;
  /** One sentence: why this one. */
  reason: string;
  attempts: BackendAttempt[];
  /** E.g. the GPU adapter or WebGL renderer, or WASM threads. */
  device: string;
}

export interface Probe {
  /** Null when usable; else why not (for auto mode). */
  skipReason: string | null;
  device: string;
}

export interface BackendTrial {
  /** What the machine offers for a backend, before committing to it. */
  probe(backend: BackendName, auto: boolean): Promise<Probe>;
  /** Makes the backend the active one; throws when it does not start. */
  start(backend: BackendName): Promise<void>;
  /** The device line shown for a working backend. */
  describe(backend: BackendName, probedDevice: string): string;
}

/**
 * Tries backends in order — `candidates` (WebGPU, WebGL, WASM, CPU), or the preferred one first — and keeps the first that
 * probes usable, starts, and passes `smokeTest` (one real training step); a failure at any point moves on to
 * the next. Throws, listing every attempt, when none works.
 */
export async function chooseBackend(
  preference: BackendPreference,
  smokeTest: () => Promise<void>,
  trial: BackendTrial,
  candidates: readonly BackendName[] = BACKENDS,
): Promise<BackendInfo> {
  const auto = preference === 'auto';
  const order: BackendName[] = auto ? [...candidates] : [preference, ...candidates.filter((b) => b !== preference)];
  const attempts: BackendAttempt[] = [];
  for (const backend of order) {
    const probed = await trial.probe(backend, auto);
    if (probed.skipReason) {
      attempts.push({ backend, ok: false, detail: probed.skipReason });
      continue;
    }
    try {
      await trial.start(backend);
      await smokeTest();
      const device = trial.describe(backend, probed.device);
      attempts.push({ backend, ok: true, detail: device });
      const failed = attempts.filter((a) => !a.ok);
      const reason =
        failed.length === 0
          ? auto
            ? `${backend} is the fastest backend available here`
            : `you chose ${backend}`
          : `${backend} is the first that works: ${failed.map((a) => `${a.backend}: ${a.detail}`).join('; ')}`;
      return { backend, reason, attempts, device };
    } catch (error) {
      attempts.push({ backend, ok: false, detail: `failed: ${errorMessage(error)}` });
      console.warn(`backend ${backend} failed`, error);
    }
  }
  throw new Error(`no tfjs backend works here: ${attempts.map((a) => `${a.backend}: ${a.detail}`).join('; ')}`);
}
