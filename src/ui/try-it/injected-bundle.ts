// Runs on the page: a test seam, in the end-to-end tests' build only (`vite build --mode e2e`; production
// builds drop the listener). A test can hand the "Try it" screen a model directly, without training one:
//   window.dispatchEvent(new CustomEvent('fer:test-bundle', { detail: bundle }))   // bundle: ClassifierBundle
// The injected model takes precedence over the `bundle` prop. Nothing else reads it.
import { useSyncExternalStore } from 'react';
import type { ClassifierBundle } from '../../core/model-format/classifier-bundle';

export const TEST_BUNDLE_EVENT = 'fer:test-bundle';

let injected: ClassifierBundle | null = null;
const listeners = new Set<() => void>();

if (import.meta.env.MODE === 'e2e') {
  window.addEventListener(TEST_BUNDLE_EVENT, (event) => {
    injected = (event as CustomEvent<ClassifierBundle | null>).detail ?? null;
    for (const listener of listeners) listener();
  });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The model injected through the test event, or null. */
export function useInjectedBundle(): ClassifierBundle | null {
  return useSyncExternalStore(subscribe, () => injected);
}
