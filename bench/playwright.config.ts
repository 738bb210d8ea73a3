/**
 * `npm run bench`: builds the store, serves it, and drives headless Chromium through the benchmark suites
 * (*.bench.ts). Each suite writes a section; the teardown merges them into results/latest.{json,md}.
 */
import { defineConfig } from '@playwright/test';
import { BASE_URL, chromiumPath, QUIET_FLAGS, WEBGPU_FLAGS } from '../e2e/browser';

const executablePath = chromiumPath();

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.bench\.ts/,
  timeout: 20 * 60_000,
  workers: 1,
  retries: 0,
  reporter: 'list',
  globalSetup: './setup.ts',
  globalTeardown: './report.ts',
  use: {
    baseURL: BASE_URL,
    launchOptions: { args: [...QUIET_FLAGS, ...WEBGPU_FLAGS], ...(executablePath ? { executablePath } : {}) },
  },
  webServer: {
    // The store and the demo shop embedding the widget (its own origin, port 4174).
    command: 'npm run build && npm run serve',
    url: BASE_URL,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
