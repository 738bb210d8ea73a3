/**
 * The recommendation quality protocol in the store's engine worker (`diagnostics.runProtocol`, src/recommend/
 * protocol.ts). PROTOCOL (JSON, a ProtocolRequest) chooses the run; without it, a light one (LIGHT). The full protocol
 * (PROTOCOL='{}': 3 validation and 5 test seeds, every test, EASE and SASRec-CE) takes many hours on a 2-core CPU:
 * the committed runs came from bench/node/protocol.run.ts (the same code on the same wasm kernels, in two processes). PROTOCOL_LABEL names
 * the run; it is kept in results/protocol/ and the section is written from every run kept there.
 */
import { test } from '@playwright/test';
import { StorePage } from '../e2e/fixtures';
import type { ProtocolRequest } from '../src/recommend/protocol-config';
import { saveRun, writeProtocolSection } from './protocol-report';

/** `npm run bench`'s own run: the store's recipe (3 models per test seed), 1 validation and 2 test seeds, leave-last-out, EASE (about an hour). */
const LIGHT: ProtocolRequest = {
  validationSeeds: [101],
  testSeeds: [1, 2],
  protocols: ['leave-last-out'],
  peer: false,
};

test('recommendation quality protocol', async ({ browser }) => {
  test.setTimeout(48 * 3600_000);
  const request = (process.env.PROTOCOL ? JSON.parse(process.env.PROTOCOL) : LIGHT) as ProtocolRequest;
  const context = await browser.newContext();
  const page = await context.newPage();
  const store = new StorePage(page);
  await store.open('/', '?backend=wasm&pretrain=0');
  await store.ready();
  let last = 0;
  await page.exposeFunction('protocolProgress', (fraction: number, message: string) => {
    if (Date.now() - last < 30_000) return;
    last = Date.now();
    console.log(`${(100 * fraction).toFixed(1)}% ${message}`);
  });
  const report = await page.evaluate(
    (r) =>
      window.HushCart.diagnostics.runProtocol(r, (p) =>
        (window as unknown as { protocolProgress: (f: number, m: string) => void }).protocolProgress(
          p.fraction,
          p.message,
        ),
      ),
    request,
  );
  await context.close();
  saveRun({
    label: process.env.PROTOCOL_LABEL ?? (process.env.PROTOCOL ? 'browser' : 'store recipe, light run (browser)'),
    where: `${browser.version()}, tfjs-wasm`,
    measured: new Date().toISOString(),
    report,
  });
  writeProtocolSection(browser.version());
});
