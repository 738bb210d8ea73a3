/**
 * Which Chromium the browser tests and benchmarks drive, and how `npm test` gets one on a fresh machine.
 *
 * Order: the HUSHCART_CHROMIUM env var, then a system Chromium (Debian's /usr/bin/chromium), then Playwright's own
 * browser. When none is there, `ensureBrowser` installs one: Playwright's (where its download works), else the
 * system package (Debian's `chromium`, as root or with password-less sudo); otherwise it stops with one message
 * saying what to run. Plain ESM so that `node scripts/ensure-browser.mjs` runs it before Playwright starts; the
 * choices are pure functions of what they are given, so the unit test drives every branch without installing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/**
 * The browser to use, or why there is none yet.
 * @param {{ env: Record<string, string | undefined>, exists: (path: string) => boolean, playwrightPath: () => string | undefined }} probe
 * @returns {{ kind: 'env' | 'system' | 'playwright', path: string } | { kind: 'missing', error?: string }}
 */
export function findBrowser({ env, exists, playwrightPath }) {
  const fromEnv = env.HUSHCART_CHROMIUM;
  if (fromEnv) {
    if (exists(fromEnv)) return { kind: 'env', path: fromEnv };
    return {
      kind: 'missing',
      error: `HUSHCART_CHROMIUM is set to ${fromEnv}, which does not exist: point it at a Chromium binary or unset it`,
    };
  }
  for (const p of SYSTEM_CHROMIUMS) if (exists(p)) return { kind: 'system', path: p };
  let own;
  try {
    own = playwrightPath();
  } catch {
    own = undefined; // playwright-core not installed: nothing of Playwright's to use
  }
  if (own && exists(own)) return { kind: 'playwright', path: own };
  return { kind: 'missing' };
}

/**
 * How to install a browser on this machine, in the order to try them.
 * @param {{ isRoot: boolean, hasSudo: boolean, hasApt: boolean }} machine
 * @returns {{ name: string, commands: string[][] }[]}
 */
export function installPlans({ isRoot, hasSudo, hasApt }) {
  const plans = [{ name: "Playwright's Chromium", commands: [['npx', 'playwright', 'install', 'chromium']] }];
  if (hasApt && (isRoot || hasSudo)) {
    const sudo = isRoot ? [] : ['sudo', '-n'];
    plans.push({
      name: "Debian's chromium package",
      commands: [
        [...sudo, 'apt-get', 'update', '-q'],
        [
          ...sudo,
          'env',
          'DEBIAN_FRONTEND=noninteractive',
          'apt-get',
          'install',
          '-y',
          '-q',
          '--no-install-recommends',
          'chromium',
          'fonts-dejavu-core',
        ],
      ],
    });
  }
  return plans;
}

/** The one message for a machine where no browser could be found or installed. */
export function missingBrowserMessage(error) {
  return [
    error ??
      'No Chromium for the browser tests: none named by HUSHCART_CHROMIUM, none at /usr/bin/chromium, and no Playwright browser.',
    'Install one, then run `npm test` again:',
    '  - with internet:              npx playwright install chromium',
    '  - on Debian/Ubuntu (as root): apt-get update && apt-get install -y chromium',
    '  - or point at any Chromium:   HUSHCART_CHROMIUM=/path/to/chromium npm test',
  ].join('\n');
}

/** Playwright's own Chromium, where playwright-core knows one (it may not be downloaded). */
export async function playwrightChromiumPath() {
  try {
    const { chromium } = await import('@playwright/test');
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

const run = (cmd, timeoutMs) => {
  const [file, ...args] = cmd;
  const r = spawnSync(file, args, { stdio: 'inherit', timeout: timeoutMs });
  return r.status === 0;
};

/**
 * Finds a browser, installing one when there is none. Resolves to its path (undefined: Playwright's own, found by
 * Playwright itself) or rejects with the message that says what to run.
 */
export async function ensureBrowser({ log = console.log, timeoutMs = 180_000 } = {}) {
  const own = await playwrightChromiumPath();
  const probe = { env: process.env, exists: existsSync, playwrightPath: () => own };
  let found = findBrowser(probe);
  if (found.kind !== 'missing') return found;
  if (found.error) throw new Error(missingBrowserMessage(found.error));
  const machine = {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    hasSudo: run(['sudo', '-n', 'true'], 10_000),
    hasApt: existsSync('/usr/bin/apt-get'),
  };
  for (const plan of installPlans(machine)) {
    log(`browser tests: no Chromium found; installing ${plan.name}`);
    if (!plan.commands.every((c) => run(c, timeoutMs))) {
      log(`browser tests: installing ${plan.name} failed`);
      continue;
    }
    found = findBrowser({ ...probe, playwrightPath: () => own });
    if (found.kind !== 'missing') return found;
  }
  throw new Error(missingBrowserMessage());
}
