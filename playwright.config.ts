import { defineConfig } from '@playwright/test';
import { chromiumPath } from './bench/chromium.mjs';

/** Browser tests run in real Chromium (Debian's, or Playwright's when that is what the machine has). */
export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './tests/global-setup.ts',
  timeout: 60_000,
  workers: 1,
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: 'test-results',
  use: {
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
      ],
    },
  },
});
