// Unit tests only (vitest.config.ts aliases 'virtual:pwa-register/react' here: vite-plugin-pwa makes that module
// at build time, and the unit tests do not run the plugin). Tests replace it with vi.mock.
export function useRegisterSW(): never {
  throw new Error('virtual:pwa-register/react is not available in unit tests: vi.mock it');
}
