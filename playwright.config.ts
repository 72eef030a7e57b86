/**
 * End-to-end tests. 'web': the real web host (core + built renderer) in system Chromium;
 * 'electron': the desktop app, where an Electron binary exists (its spec says why it skips).
 * The renderer is built once in globalSetup; each web test starts its own host on port 0.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  globalSetup: './e2e/support/global-setup.ts',
  outputDir: 'test-results',
  // Each web test starts a core (PGlite initdb ≈ 3 s, ~600 MiB): keep it to one at a time on small machines.
  workers: 1,
  // One retry in CI, where a test that passes on its second try is reported as flaky (and named
  // in the run's summary) instead of failing the landing: publish staying "Connecting" and a
  // keyboard drag step were seen to fail about once in three full runs on this 2-core machine.
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'web', testDir: 'e2e/web', use: { viewport: { width: 1400, height: 900 } } },
    { name: 'electron', testDir: 'e2e/electron' },
  ],
});
