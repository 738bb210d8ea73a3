/**
 * Which Chromium the browser tests and benchmarks drive, and with which flags. The choice is
 * scripts/browser.mjs's (HUSHCART_CHROMIUM, then a system Chromium, then Playwright's own browser), the same one
 * that `npm test` made sure exists before Playwright started.
 */
import { existsSync } from 'node:fs';
import { findBrowser } from '../scripts/browser.mjs';

/** The browser's path; undefined leaves the choice to Playwright (its own browser). */
export function chromiumPath(): string | undefined {
  const found = findBrowser({ env: process.env, exists: existsSync, playwrightPath: () => undefined });
  return found.kind === 'missing' ? undefined : found.path;
}

/** Flags for a closed network; WebGPU needs only --enable-unsafe-webgpu (SwiftShader on machines without a GPU). */
export const QUIET_FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const WEBGPU_FLAGS = ['--enable-unsafe-webgpu'];

export const BASE_URL = 'http://localhost:4173';
/** The demo shop embedding the widget, on its own origin (started with the store by scripts/serve.mjs). */
export const SHOP_URL = 'http://localhost:4174';
/** The widget's own origin in the isolated demo (/isolated/ on the shop's origin loads the widget from here). */
export const WIDGET_URL = 'http://localhost:4175';
