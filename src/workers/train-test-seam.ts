// Runs on the page and in the training worker: a test seam, in the end-to-end tests' build only (`vite build
// --mode e2e`; production builds drop the listener and the worker ignores the message). A test can make the
// training worker's thread block for good at its next batch, and make the Train screen call a run stuck sooner:
//   window.dispatchEvent(new CustomEvent('fer:test-stall', { detail: { noticeMs: 3000 } }))
export const TEST_STALL_EVENT = 'fer:test-stall';
/** Sent to the training worker: block at the next batch. */
export const TEST_HANG_MESSAGE = 'test-hang';

let noticeMs: number | null = null;

/** Listens for the test event (e2e build only): `noticeMs` replaces STALL_NOTICE_MS, and `hang` is called. */
export function listenForTestStall(hang: () => void): void {
  if (import.meta.env.MODE !== 'e2e' || typeof window === 'undefined') return;
  window.addEventListener(TEST_STALL_EVENT, (event) => {
    noticeMs = (event as CustomEvent<{ noticeMs: number }>).detail.noticeMs;
    hang();
  });
}

/** The silence after which the Train screen calls a run stuck: `limit`, unless a test set another. */
export function stallNoticeMs(limit: number): number {
  return noticeMs ?? limit;
}
