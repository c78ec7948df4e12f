// Pure helpers for turning thrown values into messages. No DOM.

/** The message of an Error, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** True for the AbortError a cancelled operation throws (DOMException or Error named so). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * A file of the app itself (a worker's code, the detector's weights) could not be loaded: not the user's
 * input at fault, so messages must not ask them to change it.
 */
export class AppFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AppFileError';
  }
}

/** True for a fetch that failed before any answer came (offline, DNS, connection refused). */
export function isNetworkFailure(error: unknown): boolean {
  return error instanceof TypeError && /fetch|network|load failed/i.test(error.message);
}
