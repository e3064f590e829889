import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Out of node_modules, as in vite.config.ts (VITE_CACHE_DIR says why).
  cacheDir: '.cache/vite',
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**', 'server/**', 'worklets/**', 'wasm/host/**'],
      reporter: ['text-summary', 'text'],
    },
  },
});
