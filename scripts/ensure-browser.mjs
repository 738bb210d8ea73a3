/**
 * Run by `npm test` and `npm run bench` before the browser tests: makes sure a Chromium exists (see ./browser.mjs),
 * installing one on a fresh machine, or stops with one message that says what to run.
 */
import { ensureBrowser } from './browser.mjs';

try {
  const found = await ensureBrowser();
  console.log(`browser tests: using ${found.path} (${found.kind})`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
