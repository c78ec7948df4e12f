import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'core',
          environment: 'node',
          setupFiles: ['scripts/vitest-node-setup.ts'],
          include: ['src/core/**/*.test.ts', 'src/wasm-training/**/*.test.ts', 'src/detect/**/*.test.ts', 'src/workers/**/*.test.ts', 'src/storage/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias: { 'virtual:pwa-register/react': fileURLToPath(new URL('./src/ui/app/pwa-register.stub.ts', import.meta.url)) } },
        test: {
          name: 'ui',
          environment: 'happy-dom',
          include: ['src/ui/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
