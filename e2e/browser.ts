/**
 * Which Chromium the browser tests and benchmarks drive, and with which flags. Order: the
 * HUSHCART_CHROMIUM env var, then Debian's /usr/bin/chromium, then Playwright's own browser (on a machine
 * with internet, after `npx playwright install chromium`).
 */
import { existsSync } from 'node:fs';

export function chromiumPath(): string | undefined {
  const fromEnv = process.env.HUSHCART_CHROMIUM;
  if (fromEnv) return fromEnv;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p;
  return undefined;
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
