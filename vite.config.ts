import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { detectorWeights } from './scripts/vite-detector-weights.ts';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer) and
// makes performance.measureUserAgentSpecificMemory available. Both servers send it.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Offline and installable: a service worker (Workbox, through vite-plugin-pwa) precaches everything the app
 * needs — pages, scripts, worker bundles, tfjs' WASM binaries, our kernels and the face detector's weights —
 * so after one visit the app opens and works with the network off. Cached responses keep the headers they
 * came with, COOP/COEP included, so an offline page is still cross-origin isolated (WASM threads). A new
 * version waits until the user accepts the reload the page offers (registerType 'prompt'): never served
 * silently, never swapped under a running training.
 */
const pwa = VitePWA({
  registerType: 'prompt',
  injectRegister: false, // src/ui/app/AppUpdates.tsx registers it and shows the prompts
  manifest: {
    name: 'FER Trainer — facial emotion recognition in your browser',
    short_name: 'FER Trainer',
    description: 'Train a facial emotion recognition network on FER2013 in the browser. Nothing leaves this machine.',
    theme_color: '#1f2937',
    background_color: '#f4f6f8',
    display: 'standalone',
    start_url: '.',
    icons: [{ src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,svg,wasm,json,bin}'],
    // tfjs' bundles and WASM binaries are several MB each.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
    navigateFallback: 'index.html',
    // The first visit's page is controlled as soon as the worker is ready, so it is offline-capable at once.
    clientsClaim: true,
    cleanupOutdatedCaches: true,
  },
});

export default defineConfig({
  plugins: [react(), detectorWeights(), pwa],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: {
    format: 'es',
    // IMPORTANT: tfjs-backend-wasm starts its threads from `wasmFactoryThreadedSimd.toString()` put in a
    // Blob; a minified worker bundle renames what that source refers to and every thread dies with
    // "e is not defined" (see ../shared/KNOWN.md). Worker bundles therefore keep their names.
    rolldownOptions: { output: { minify: false } },
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
});
