// Runs in the training worker and on the page: which tab owns a training run. A Web Lock named after the run
// is held by the tab that trains it for as long as it trains; the browser releases it when that tab closes or
// crashes, so a crashed tab's run can be resumed elsewhere, and a live one cannot be trained twice.

export const runLockName = (runId: string) => `fer-trainer-run:${runId}`;

function locks(): LockManager | undefined {
  return typeof navigator !== 'undefined' ? navigator.locks : undefined;
}

/**
 * Takes the run's lock if no other tab holds it. Resolves to the function that releases it, or null when the
 * run is being trained elsewhere. Without Web Locks (Node tests) every claim succeeds.
 */
export function claimRun(runId: string): Promise<(() => void) | null> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => {});
  return new Promise((resolve, reject) => {
    manager
      .request(runLockName(runId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // Held until the returned promise settles, i.e. until release() is called.
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch(reject);
  });
}

/** True when some tab (this one included) holds the run's lock. */
export async function runIsClaimed(runId: string): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  const { held = [] } = await manager.query();
  return held.some((lock) => lock.name === runLockName(runId));
}
