/** Run in a browser launched without WebGPU: asking for it falls back, and the status says why. */
import { expect, test } from './fixtures';

test('with WebGPU unavailable the engine falls back and says why', async ({ page, store }) => {
  await store.open('/', '?backend=webgpu&pretrain=0');
  await store.ready();
  const s = await store.status();
  expect(s.backend).not.toBe('webgpu');
  expect(s.backend).not.toBeNull();
  const gpu = s.engine?.candidates.find((c) => c.backend === 'webgpu');
  expect(gpu?.ok).toBe(false);
  expect(gpu?.reason).toMatch(/^requested, but unavailable: (WebGPU is not exposed|no WebGPU adapter)/);
  await page.getByTestId('engine-badge').click();
  await expect(page.getByTestId('engine-candidates')).toContainText('requested, but unavailable');
  // Training still works on the fallback.
  const r = await store.trainProbe({ users: 20, epochs: 1 });
  expect(r.backend).toBe(s.backend);
});
