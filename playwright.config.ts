import { defineConfig } from '@playwright/test';
import { chromiumPath, CHROMIUM_ARGS } from './scripts/chromium';

// E2E_PORT: a free port of your own when several checkouts run e2e on one machine (a running server is reused locally).
const PORT = Number(process.env.E2E_PORT ?? 4180);

export default defineConfig({
  testDir: './e2e',
  timeout: 180_000,
  expect: { timeout: 20_000 },
  forbidOnly: !!process.env.CI,
  // No retries, CI included: a test that fails once is reported, not hidden by a second try.
  retries: 0,
  // Two CPU cores: one browser at a time keeps timings (and in-tab training) predictable.
  workers: 1,
  reporter: 'list',
  use: {
    baseURL: `http://localhost:${PORT}`,
    // With no retries, 'on-first-retry' would never record: keep the trace of every failed test.
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 900 },
    // The app's service worker would serve every later load from its cache (and change what the network
    // tests see): only e2e/offline.spec.ts lets it run.
    serviceWorkers: 'block',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The e2e build mode keeps the test seams (src/ui/try-it/injected-bundle.ts) that production builds drop.
    command: `npx vite build --mode e2e && npx vite preview --port ${PORT} --strictPort`,
    url: `http://localhost:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
  },
});
