import { describe, expect, it } from 'vitest';
import { findBrowser, installPlans, missingBrowserMessage } from './browser.mjs';

const probe = (files: string[], env: Record<string, string> = {}, own?: string) => ({
  env,
  exists: (p: string) => files.includes(p),
  playwrightPath: () => own,
});

describe('finding a browser for the browser tests', () => {
  it('takes HUSHCART_CHROMIUM first, over a system Chromium', () => {
    expect(findBrowser(probe(['/opt/c', '/usr/bin/chromium'], { HUSHCART_CHROMIUM: '/opt/c' }))).toEqual({
      kind: 'env',
      path: '/opt/c',
    });
  });

  it('says so when HUSHCART_CHROMIUM names nothing, rather than quietly taking another browser', () => {
    const r = findBrowser(probe(['/usr/bin/chromium'], { HUSHCART_CHROMIUM: '/nope' }));
    expect(r.kind).toBe('missing');
    expect(r.kind === 'missing' && r.error).toMatch(/HUSHCART_CHROMIUM is set to \/nope, which does not exist/);
  });

  it("takes the system Chromium before Playwright's own", () => {
    expect(findBrowser(probe(['/usr/bin/chromium-browser', '/pw/chrome'], {}, '/pw/chrome'))).toEqual({
      kind: 'system',
      path: '/usr/bin/chromium-browser',
    });
  });

  it("takes Playwright's browser only when it has been downloaded", () => {
    expect(findBrowser(probe(['/pw/chrome'], {}, '/pw/chrome'))).toEqual({ kind: 'playwright', path: '/pw/chrome' });
    expect(findBrowser(probe([], {}, '/pw/chrome'))).toEqual({ kind: 'missing' });
  });

  it('survives a Playwright that cannot say where its browser is', () => {
    const r = findBrowser({
      env: {},
      exists: () => false,
      playwrightPath: () => {
        throw new Error('no playwright-core');
      },
    });
    expect(r).toEqual({ kind: 'missing' });
  });
});

describe('installing one on a fresh machine', () => {
  it("tries Playwright's download first, then Debian's package as root", () => {
    const plans = installPlans({ isRoot: true, hasSudo: false, hasApt: true });
    expect(plans.map((p) => p.name)).toEqual(["Playwright's Chromium", "Debian's chromium package"]);
    expect(plans[1]?.commands[1]).toContain('chromium');
    expect(plans[1]?.commands[0]?.[0]).toBe('apt-get');
  });

  it('uses password-less sudo when not root, and never apt without root or sudo', () => {
    expect(installPlans({ isRoot: false, hasSudo: true, hasApt: true })[1]?.commands[0]?.slice(0, 2)).toEqual([
      'sudo',
      '-n',
    ]);
    expect(installPlans({ isRoot: false, hasSudo: false, hasApt: true })).toHaveLength(1);
    expect(installPlans({ isRoot: true, hasSudo: false, hasApt: false })).toHaveLength(1);
  });

  it('ends with one message that says what to run', () => {
    const m = missingBrowserMessage();
    expect(m).toMatch(/npx playwright install chromium/);
    expect(m).toMatch(/apt-get install -y chromium/);
    expect(m).toMatch(/HUSHCART_CHROMIUM=/);
    expect(missingBrowserMessage('HUSHCART_CHROMIUM is set to /x')).toMatch(/^HUSHCART_CHROMIUM is set to \/x/);
  });
});
