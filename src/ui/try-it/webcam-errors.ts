// Runs on the page: turns getUserMedia failures into messages that say what to do (pure, tested without a DOM).

/** What to tell the user when the camera cannot be started. `error` is what getUserMedia rejected with. */
export function cameraErrorMessage(error: unknown): string {
  const name =
    typeof error === 'object' && error !== null ? String((error as { name?: unknown }).name ?? '') : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'Camera permission was denied. Allow the camera for this page (the icon in the address bar), then press Start camera again.';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect a camera and press Start camera again, or use photos instead.';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'The camera could not be started: another program may be using it.';
    default:
      return `The camera could not be started: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** Message when the browser offers no camera API at all (an insecure http:// page, or no support). */
export const NO_CAMERA_API_MESSAGE =
  'This browser offers no camera access on this page (cameras need https:// or localhost).';
