import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import reactRefresh from 'eslint-plugin-react-refresh';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'coverage', 'test-results', 'playwright-report', '.tmp', 'public/vendor'] },
  {
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    files: ['**/*.{ts,tsx}'],
    languageOptions: { ecmaVersion: 2023, globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks, 'react-refresh': reactRefresh },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-refresh/only-export-components': ['warn', { allowConstantExport: true }],
    },
  },
  {
    // src/core and src/wasm-training are pure: they run in workers and in Node tests, so no React, UI, workers
    // or DOM globals.
    files: ['src/core/**/*.ts', 'src/wasm-training/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['react', 'react-dom', '**/ui/**', '**/workers/**', '**/storage/**', '@tensorflow/tfjs-vis'] },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'self', 'navigator', 'localStorage', 'indexedDB'],
    },
  },
  {
    // Core knows no backend: a backend plugs in through core/training/backend-extensions.ts (kernel names and
    // hooks) and registers itself from outside (workers/backends.ts, the CLI). Tests may load the WASM backend
    // to compare core's layers on it with the CPU backend.
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['react', 'react-dom', '**/ui/**', '**/workers/**', '**/storage/**', '@tensorflow/tfjs-vis', '**/wasm-training/**', '@tensorflow/tfjs-backend-wasm'] },
      ],
    },
  },
);
