import { defineConfig } from '@playwright/test';
import { BASE_URL, chromiumPath, QUIET_FLAGS, WEBGPU_FLAGS } from './e2e/browser';

const executablePath = chromiumPath();
const launch = (args: string[]) => ({ args, ...(executablePath ? { executablePath } : {}) });

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: { baseURL: BASE_URL, trace: 'on-first-retry' },
  // The store (BASE_URL) and, on a second origin, the demo shop embedding the widget (SHOP_URL): scripts/serve.mjs
  // starts the shop first, so both answer once the store does.
  webServer: {
    command: 'npm run build && npm run serve',
    url: BASE_URL,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
  },
  projects: [
    {
      name: 'chromium',
      testIgnore: /no-webgpu/,
      use: { browserName: 'chromium', launchOptions: launch([...QUIET_FLAGS, ...WEBGPU_FLAGS]) },
    },
    // A browser without WebGPU: the engine must fall back and say why.
    {
      name: 'chromium-no-webgpu',
      testMatch: /no-webgpu/,
      use: { browserName: 'chromium', launchOptions: launch(QUIET_FLAGS) },
    },
  ],
});
