// Node-side Vite plugin: serves the face detector's weights from its npm package (dev server) and copies them
// into the build, so the app loads them from its own origin. The weight files are never committed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { DETECTOR_ASSET_DIR, DETECTOR_FILES, FACE_API_MODEL_DIR } from '../src/detect/detector-assets.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

export function detectorWeights(): Plugin {
  let base = '/';
  let root = process.cwd();
  const source = (name: string) => resolve(root, FACE_API_MODEL_DIR, name);
  return {
    name: 'detector-weights',
    configResolved(config) {
      base = config.base;
      root = config.root;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        const name = DETECTOR_FILES.find((file) => path === `${base}${DETECTOR_ASSET_DIR}/${file}`);
        if (!name) return next();
        res.setHeader(
          'Content-Type',
          CONTENT_TYPES[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream',
        );
        res.end(readFileSync(source(name)));
      });
    },
    generateBundle() {
      for (const name of DETECTOR_FILES) {
        this.emitFile({
          type: 'asset',
          fileName: `${DETECTOR_ASSET_DIR}/${name}`,
          source: readFileSync(source(name)),
        });
      }
    },
  };
}
