/**
 * Playwright fixtures: every test's page is watched for console errors, uncaught exceptions and requests to
 * any origin but the app's own; a test fails at teardown if any happened. `store` is a page object with the
 * typed `window.HushCart` API read through page.evaluate.
 */
import { test as base, expect, type Page } from '@playwright/test';
import type { StoreApi } from '../src/api/types';
import { BASE_URL } from './browser';

declare global {
  interface Window {
    HushCart: StoreApi;
  }
}

export interface Watch {
  errors: string[];
  requests: string[];
  foreign: string[];
}

/** `origin`: the origin (or origins: the widget's isolated mode uses two) every request must go to. */
export function watch(page: Page, origin: string | string[] = new URL(BASE_URL).origin): Watch {
  const w: Watch = { errors: [], requests: [], foreign: [] };
  const allowed = new Set([origin].flat());
  page.on('console', (m) => {
    if (m.type() === 'error') w.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.errors.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const url = r.url();
    w.requests.push(url);
    if (!url.startsWith('data:') && !url.startsWith('blob:') && !allowed.has(new URL(url).origin)) w.foreign.push(url);
  });
  // Workers' requests (the engine fetching wasm) are seen through the context too.
  page.context().on('request', (r) => {
    const url = r.url();
    if (
      !url.startsWith('data:') &&
      !url.startsWith('blob:') &&
      !allowed.has(new URL(url).origin) &&
      !w.foreign.includes(url)
    )
      w.foreign.push(url);
  });
  return w;
}

export class StorePage {
  constructor(readonly page: Page) {}

  async open(path = '/', query = ''): Promise<void> {
    await this.page.goto(`/${query}#${path}`);
    await this.page.waitForFunction(() => window.HushCart !== undefined);
    await expect(this.page.locator('header.top')).toBeVisible();
  }

  /** Waits for catalog, store and engine. */
  async ready(): Promise<void> {
    await this.page.evaluate(() => window.HushCart.ready());
  }

  status() {
    return this.page.evaluate(() => window.HushCart.status());
  }

  /** Models saved on this device. */
  models() {
    return this.page.evaluate(() => window.HushCart.models());
  }

  events(limit = 1000) {
    return this.page.evaluate((l) => window.HushCart.events({ limit: l }), limit);
  }

  cart() {
    return this.page.evaluate(() => window.HushCart.cart());
  }

  trainProbe(options: { users: number; epochs: number; jobId?: string }) {
    return this.page.evaluate((o) => window.HushCart.diagnostics.trainProbe(o), options);
  }
}

export const test = base.extend<{ watched: Watch; store: StorePage }>({
  watched: [
    async ({ page }, use) => {
      const w = watch(page);
      await use(w);
      expect(w.errors, 'no errors in the console').toEqual([]);
      expect(w.foreign, 'no request leaves the app origin').toEqual([]);
    },
    { auto: true },
  ],
  store: async ({ page }, use) => {
    await use(new StorePage(page));
  },
});
export { expect };
