/**
 * The engine in real Chromium: the same small training job on every backend this browser has (webgpu and
 * webgl on SwiftShader here, wasm, cpu) gives the same result; the chosen backend and the reasons are shown;
 * a lost WebGPU device moves the work to the next backend without losing it.
 */
import { expect, test } from './fixtures';

const JOB = { users: 30, epochs: 2 };

test('the same training job gives the same result on webgpu, webgl, wasm and cpu', async ({ page, store }) => {
  test.setTimeout(300_000);
  const results: Record<string, { loss: number[]; rmse: number | null }> = {};
  for (const backend of ['cpu', 'wasm', 'webgl', 'webgpu'] as const) {
    // Without the store's shipped models: their weights would be the worker's only tensors, and this counts the job's.
    await store.open('/lab', `?backend=${backend}&pretrain=0&shipped=0`);
    await store.ready();
    const s = await store.status();
    expect(s.backend, `forced ${backend}`).toBe(backend);
    const r = await store.trainProbe(JOB);
    expect(r.backend).toBe(backend);
    expect(r.epochLoss).toHaveLength(2);
    expect(r.epochLoss[1]).toBeLessThan(r.epochLoss[0] as number);
    results[backend] = { loss: r.epochLoss, rmse: r.testRmse };
    // No tensors left behind in the worker after the job.
    expect(await page.evaluate(() => window.HushCart.diagnostics.memory().then((m) => m.numTensors))).toBe(0);
  }
  const ref = results.cpu;
  for (const [backend, r] of Object.entries(results)) {
    for (let e = 0; e < 2; e++) expect(r.loss[e], `${backend} epoch ${e + 1}`).toBeCloseTo(ref?.loss[e] as number, 2);
    expect(r.rmse, `${backend} test RMSE`).toBeCloseTo(ref?.rmse as number, 2);
  }
});

test('auto picks the fastest backend and the badge explains every choice', async ({ page, store }) => {
  await store.open('/', '?pretrain=0');
  await store.ready();
  const s = await store.status();
  const engine = s.engine;
  expect(engine?.candidates.map((c) => c.backend)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  const chosen = engine?.candidates.find((c) => c.backend === s.backend);
  expect(chosen?.reason).toMatch(/fastest in the probe|only backend/);
  const working = engine?.candidates.filter((c) => c.ok && c.probeMs !== undefined) ?? [];
  expect(Math.min(...working.map((c) => c.probeMs as number))).toBe(chosen?.probeMs);
  // SwiftShader is recognised as a software adapter here.
  const gpu = engine?.candidates.find((c) => c.backend === 'webgpu');
  if (gpu?.device?.includes('swiftshader')) expect(gpu.software).toBe(true);

  await page.getByTestId('engine-badge').click();
  await expect(page.getByTestId('engine-backend')).toHaveText(s.backend ?? '');
  await expect(page.getByTestId('engine-candidates').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('engine-candidates')).toContainText('slower in the probe');
  await page.getByRole('button', { name: 'Close' }).click();

  // A reload reuses the measurement instead of probing again, and says when it was measured.
  await page.reload();
  await store.ready();
  const again = await store.status();
  expect(again.engine?.fromMemory).toBe(true);
  expect(again.backend).toBe(s.backend);
  expect(again.engine?.candidates[0]?.reason).toMatch(/\[measured \d{4}-\d\d-\d\d\]/);
});

test('the shopper can switch backend from the badge; the choice is remembered', async ({ page, store }) => {
  await store.open('/', '?pretrain=0');
  await store.ready();
  await page.getByTestId('engine-badge').click();
  await page.getByRole('button', { name: 'cpu', exact: true }).click();
  await expect(page.getByTestId('engine-backend')).toHaveText('cpu');
  await page.reload();
  await store.ready();
  expect((await store.status()).backend).toBe('cpu');
});

test('a lost WebGPU device moves the job to the next backend without losing it', async ({ page, store }) => {
  test.setTimeout(240_000);
  await store.open('/lab', '?backend=webgpu&pretrain=0');
  await store.ready();
  expect((await store.status()).backend).toBe('webgpu');
  const result = await page.evaluate(async () => {
    let lost = false;
    return window.HushCart.diagnostics.trainProbe({ users: 30, epochs: 3 }, (p) => {
      // Pull the device away once the first epoch is checkpointed.
      if (!lost && p.metrics?.epoch === 1) {
        lost = true;
        void window.HushCart.diagnostics.loseDevice();
      }
    });
  });
  expect(result.recoveredFrom).toEqual(['webgpu']);
  expect(result.backend).not.toBe('webgpu');
  expect(result.epochLoss).toHaveLength(3);
  expect(result.epochLoss[2]).toBeLessThan(result.epochLoss[0] as number);
  const s = await store.status();
  expect(s.backend).toBe(result.backend);
  expect(s.engine?.lost[0]?.reason).toMatch(/GPU device lost/);
  expect(s.engine?.candidates.find((c) => c.backend === 'webgpu')?.reason).toMatch(/device lost earlier/);
});

test('a long job can be cancelled from the Lab page while the UI stays usable', async ({ page, store }) => {
  await store.open('/lab', '?backend=cpu&pretrain=0');
  await store.ready();
  await page.getByRole('combobox', { name: 'Epochs' }).selectOption('20');
  await page.getByRole('combobox', { name: 'Users' }).selectOption('671');
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('progressbar', { name: 'Training progress', exact: true })).toBeVisible();
  // The main thread answers while the worker trains.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  expect(Date.now() - t0).toBeLessThan(2000);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByText('Training cancelled.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeEnabled();
});

test('a lost WebGPU device during a model training: it runs again on the next backend and is saved', async ({
  page,
  store,
}) => {
  test.setTimeout(300_000);
  await store.open('/', '?backend=webgpu&pretrain=0');
  await store.ready();
  expect((await store.status()).backend).toBe('webgpu');
  const training = page.evaluate(() => window.HushCart.retrain('recommender', { epochs: 1 }));
  await expect
    .poll(async () => (await store.status()).recommender.fraction, { intervals: [250], timeout: 120_000 })
    .toBeGreaterThan(0);
  expect(await page.evaluate(() => window.HushCart.diagnostics.loseDevice())).toBe(true);
  const state = await training;
  expect(state.phase).toBe('ready');
  expect(state.backend).not.toBe('webgpu');
  const s = await store.status();
  expect(s.engine?.lost[0]?.reason).toMatch(/GPU device lost/);
  expect(s.models.find((m) => m.id === 'bpr:movies')?.backend).toBe(state.backend);
  expect(await page.evaluate(() => window.HushCart.recommend({ limit: 5 }))).toHaveLength(5);
});
