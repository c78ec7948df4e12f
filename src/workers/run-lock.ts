// Runs in the training worker and on the page: which tab owns a training run. A Web Lock named after the run
// is held by the tab that trains it for as long as it trains; the browser releases it when that tab closes or
// crashes, so a crashed tab's run can be resumed elsewhere, and a live one cannot be trained twice.

export const runLockName = (runId: string) => `fer-trainer-run:${runId}`;

/** How long a held run lock is waited for before it counts as another tab's (see claimRun, runTrainedElsewhere). */
export const LOCK_SETTLE_MS = 5000;

function locks(): LockManager | undefined {
  return typeof navigator !== 'undefined' ? navigator.locks : undefined;
}

/**
 * Takes the run's lock unless another tab keeps holding it for `settleMs` (a lock this tab's previous page held
 * before a reload is released within that). Resolves to the function that releases it, or null when the run is
 * being trained elsewhere. Without Web Locks (Node tests) every claim succeeds.
 */
export function claimRun(runId: string, settleMs = LOCK_SETTLE_MS): Promise<(() => void) | null> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => {});
  return new Promise((resolve, reject) => {
    manager
      .request(runLockName(runId), { signal: AbortSignal.timeout(settleMs) }, () => {
        // Held until the returned promise settles, i.e. until release() is called.
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch((error: unknown) => {
        const name = (error as { name?: string } | null)?.name;
        if (name === 'TimeoutError' || name === 'AbortError') resolve(null);
        else reject(error);
      });
  });
}

/**
 * True when another live tab trains the run (holds its lock). A lock still held may belong to this tab's own
 * previous page: after a reload the browser releases it only once that page's training worker is gone, which
 * can come after the new page first asks. So a held lock is waited for, up to `settleMs`: granted within it, it
 * was a page that has gone (released at once, nothing is trained); still held, another tab trains the run.
 */
export async function runTrainedElsewhere(runId: string, settleMs = LOCK_SETTLE_MS): Promise<boolean> {
  const manager = locks();
  if (!manager) return false;
  const { held = [] } = await manager.query();
  if (!held.some((lock) => lock.name === runLockName(runId))) return false;
  try {
    await manager.request(runLockName(runId), { signal: AbortSignal.timeout(settleMs) }, () => undefined);
    return false;
  } catch (error) {
    const name = (error as { name?: string } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') return true;
    throw error;
  }
}
