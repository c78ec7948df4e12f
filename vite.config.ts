import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { detectorWeights } from './scripts/vite-detector-weights.ts';

// Cross-origin isolation lets the WASM backend use threads (SharedArrayBuffer) and
// makes performance.measureUserAgentSpecificMemory available. Both servers send it.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react(), detectorWeights()],
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
