// Runs on the page: registers the service worker that keeps the app usable offline, says when it is ready,
// and offers the reload when a new version has been deployed (it never takes over silently).
import { useRegisterSW } from 'virtual:pwa-register/react';

export function AppUpdates() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisterError: (error: unknown) => console.warn('offline support is not available', error),
  });
  if (needRefresh) {
    return (
      <div className="update-banner" role="status" data-testid="update-banner">
        A new version of the app is ready. Reloading keeps your data sets, models and unfinished runs (a run in
        progress resumes from its last checkpoint).
        <button type="button" onClick={() => void updateServiceWorker(true)}>
          Reload
        </button>
        <button type="button" className="secondary" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div className="update-banner" role="status" data-testid="offline-ready">
        The app is saved in this browser: it now opens and works without a network.
        <button type="button" className="secondary" onClick={() => setOfflineReady(false)}>
          OK
        </button>
      </div>
    );
  }
  return null;
}
