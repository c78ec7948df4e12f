import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** What the service-worker registration reports; each test sets it. */
const registration = {
  needRefresh: false,
  offlineReady: false,
  updateServiceWorker: vi.fn(async (_reload?: boolean) => undefined),
  dismissRefresh: vi.fn(),
};
vi.mock('virtual:pwa-register/react', () => ({
  useRegisterSW: () => ({
    needRefresh: [registration.needRefresh, registration.dismissRefresh],
    offlineReady: [registration.offlineReady, vi.fn()],
    updateServiceWorker: registration.updateServiceWorker,
  }),
}));
const { AppUpdates } = await import('./AppUpdates');

afterEach(() => {
  cleanup();
  vi.clearAllMocks();
});

describe('AppUpdates', () => {
  it('offers the reload when a new version is waiting, and reloads only when asked', () => {
    registration.needRefresh = true;
    render(<AppUpdates />);
    expect(screen.getByTestId('update-banner').textContent).toMatch(/A new version of the app is ready/);
    expect(registration.updateServiceWorker).not.toHaveBeenCalled(); // never on its own
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(registration.updateServiceWorker).toHaveBeenCalledWith(true);
  });

  it('"Later" keeps the running version', () => {
    registration.needRefresh = true;
    render(<AppUpdates />);
    fireEvent.click(screen.getByRole('button', { name: 'Later' }));
    expect(registration.dismissRefresh).toHaveBeenCalledWith(false);
    expect(registration.updateServiceWorker).not.toHaveBeenCalled();
  });

  it('says once when the app can work offline, and nothing otherwise', () => {
    registration.needRefresh = false;
    registration.offlineReady = true;
    render(<AppUpdates />);
    expect(screen.getByTestId('offline-ready').textContent).toMatch(/works without a network/);
    cleanup();
    registration.offlineReady = false;
    const { container } = render(<AppUpdates />);
    expect(container.textContent).toBe('');
  });
});
