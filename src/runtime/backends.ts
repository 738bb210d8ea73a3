/**
 * Detects and probes the tfjs backends in this browser (or worker): is the API there, is the adapter a
 * software one, does the backend initialise, does a 256x256 matmul give the right numbers and how fast.
 * The choice itself is ./backend-select.ts.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ProbeOutcome } from './backend-select';
import { registerKernels } from './kernels';
import { mulberry32 } from './random';
import type { BackendName } from './types';

const SOFTWARE_RE = /swiftshader|llvmpipe|softpipe|software|basic render|lavapipe/i;
const PROBE_SIZE = 256;
/** Stop timing a probe after this long: one slow software rep tells enough. */
const PROBE_BUDGET_MS = 300;

let wasmConfigured = false;
export function configureWasm(paths: Record<string, string> | undefined): void {
  if (wasmConfigured) return;
  // Threaded wasm hangs in a minified build (its pthread workers come from a stringified function) and has
  // no second core to use on small machines anyway.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (paths) setWasmPaths(paths);
  wasmConfigured = true;
}

interface Detection {
  failure?: string;
  software?: boolean;
  device?: string;
}

async function detectWebGpu(): Promise<Detection> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return { failure: 'WebGPU is not exposed by this browser (navigator.gpu is missing)' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { failure: `requestAdapter failed: ${String(e)}` };
  }
  if (!adapter) return { failure: 'no WebGPU adapter (no usable GPU, or WebGPU is blocked here)' };
  const info = adapter.info;
  const desc = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ');
  const fallback = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { software: fallback || SOFTWARE_RE.test(desc), device: desc || 'unnamed adapter' };
}

function detectWebGl(): Detection {
  if (typeof OffscreenCanvas === 'undefined') return { failure: 'OffscreenCanvas is missing' };
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return { failure: 'WebGL2 is not available (disabled, or no GPU driver)' };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { software: SOFTWARE_RE.test(renderer), device: renderer };
}

function detectWasm(): Detection {
  return typeof WebAssembly === 'object' ? {} : { failure: 'WebAssembly is not available' };
}

export async function detect(backend: BackendName): Promise<Detection> {
  switch (backend) {
    case 'webgpu':
      return detectWebGpu();
    case 'webgl':
      return detectWebGl();
    case 'wasm':
      return detectWasm();
    case 'cpu':
      return {};
  }
}

/** Bump when the probe changes, so remembered selections are measured again. */
const PROBE_VERSION = 1;

/** Identifies this browser and its adapters: while it is unchanged, an earlier selection still holds. */
export async function deviceFingerprint(): Promise<string> {
  const [gpu, gl, wasm] = await Promise.all([detect('webgpu'), detect('webgl'), detect('wasm')]);
  const d = (x: Detection) => x.failure ?? x.device ?? 'ok';
  return [`probe${PROBE_VERSION}`, globalThis.navigator?.userAgent ?? 'node', d(gpu), d(gl), d(wasm)].join(' | ');
}

/** Makes `backend` the active tfjs backend; returns a failure reason, or null on success. */
export async function activate(backend: BackendName): Promise<string | null> {
  try {
    if (tf.getBackend() === backend) return null;
    const ok = await tf.setBackend(backend);
    if (!ok) return `tfjs could not initialise '${backend}'`;
    await tf.ready();
    registerKernels(backend);
    return null;
  } catch (e) {
    return `initialisation failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

export function seededMatrix(n: number, seed: number): Float32Array {
  const rand = mulberry32(seed);
  const a = new Float32Array(n * n);
  for (let i = 0; i < a.length; i++) a[i] = rand() * 2 - 1;
  return a;
}

/** Times `reps` n x n matmuls on the active backend (after one warm-up) and checks row 0 against float64. */
export async function timeMatmul(
  n: number,
  reps: number,
  budgetMs = Infinity,
): Promise<{ medianMs: number; maxAbsError: number; reps: number }> {
  const av = seededMatrix(n, 1);
  const bv = seededMatrix(n, 2);
  const a = tf.tensor2d(av, [n, n]);
  const b = tf.tensor2d(bv, [n, n]);
  try {
    const warm = tf.matMul(a, b);
    const out = await warm.data();
    warm.dispose();
    let maxAbsError = 0;
    for (let j = 0; j < n; j++) {
      let ref = 0;
      for (let k = 0; k < n; k++) ref += (av[k] as number) * (bv[k * n + j] as number);
      maxAbsError = Math.max(maxAbsError, Math.abs(ref - (out[j] as number)));
    }
    const times: number[] = [];
    const started = performance.now();
    while (times.length < reps && (times.length === 0 || performance.now() - started < budgetMs)) {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      times.push(performance.now() - t0);
      c.dispose();
    }
    times.sort((x, y) => x - y);
    return { medianMs: times[Math.floor(times.length / 2)] as number, maxAbsError, reps: times.length };
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** Detects, initialises and probes one backend. Leaves it active when it works. */
export async function probe(backend: BackendName): Promise<ProbeOutcome> {
  const d = await detect(backend);
  const outcome: ProbeOutcome = { backend };
  if (d.software !== undefined) outcome.software = d.software;
  if (d.device !== undefined) outcome.device = d.device;
  if (d.failure) return { ...outcome, failure: d.failure };
  const t0 = performance.now();
  const failure = await activate(backend);
  outcome.initMs = performance.now() - t0;
  if (failure) return { ...outcome, failure };
  try {
    const r = await timeMatmul(PROBE_SIZE, 3, PROBE_BUDGET_MS);
    // Sums of 256 products of U(-1,1) values: float32 error is ~1e-4; a broken backend is far off.
    if (!(r.maxAbsError < 0.05))
      return { ...outcome, failure: `wrong results in the probe (max error ${r.maxAbsError})` };
    outcome.probeMs = r.medianMs;
    return outcome;
  } catch (e) {
    return { ...outcome, failure: `probe failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The WebGPU device of the active backend, if it is webgpu. */
export function webgpuDevice(): GPUDevice | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as unknown as { device?: GPUDevice };
  return b.device ?? null;
}
