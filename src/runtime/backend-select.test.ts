import { describe, expect, it } from 'vitest';
import { chooseBackend, type ProbeOutcome } from './backend-select';

const swiftshaderGpu: ProbeOutcome = { backend: 'webgpu', software: true, device: 'google swiftshader', probeMs: 120 };
const swiftshaderGl: ProbeOutcome = { backend: 'webgl', software: true, device: 'ANGLE (SwiftShader)', probeMs: 24 };
const wasm: ProbeOutcome = { backend: 'wasm', probeMs: 2.5 };
const cpu: ProbeOutcome = { backend: 'cpu', probeMs: 76 };

describe('chooseBackend', () => {
  it('picks the fastest working backend and says why each other was passed over', () => {
    const s = chooseBackend([swiftshaderGpu, swiftshaderGl, wasm, cpu], 'auto');
    expect(s.chosen).toBe('wasm');
    const by = Object.fromEntries(s.candidates.map((c) => [c.backend, c]));
    expect(by.wasm?.reason).toMatch(/fastest in the probe: 2\.5 ms/);
    expect(by.webgpu?.reason).toMatch(/slower in the probe: 120 ms against 2\.5 ms for wasm \(software renderer/);
    expect(by.webgpu?.ok).toBe(true);
    expect(by.cpu?.reason).toMatch(/slower in the probe: 76 ms/);
  });

  it('prefers a real GPU when it is fastest', () => {
    const s = chooseBackend(
      [{ backend: 'webgpu', software: false, device: 'nvidia', probeMs: 0.4 }, swiftshaderGl, wasm, cpu],
      'auto',
    );
    expect(s.chosen).toBe('webgpu');
  });

  it('uses a forced backend that works and marks the others as not tried', () => {
    const s = chooseBackend(
      [
        swiftshaderGpu,
        { backend: 'webgl', skipped: true },
        { backend: 'wasm', skipped: true },
        { backend: 'cpu', skipped: true },
      ],
      'webgpu',
    );
    expect(s.chosen).toBe('webgpu');
    expect(s.candidates[0]?.reason).toMatch(/^requested/);
    expect(s.candidates[1]?.reason).toBe("not tried: 'webgpu' was requested");
  });

  it('falls back when the forced backend is unavailable, and says so', () => {
    const s = chooseBackend([{ backend: 'webgpu', failure: 'no WebGPU adapter' }, swiftshaderGl, wasm, cpu], 'webgpu');
    expect(s.chosen).toBe('wasm');
    expect(s.candidates[0]).toMatchObject({ ok: false, reason: 'requested, but unavailable: no WebGPU adapter' });
  });

  it('reports the only working backend as such, and null when none works', () => {
    const only = chooseBackend(
      [{ backend: 'webgpu', failure: 'x' }, { backend: 'webgl', failure: 'y' }, { backend: 'wasm', failure: 'z' }, cpu],
      'auto',
    );
    expect(only.chosen).toBe('cpu');
    expect(only.candidates[3]?.reason).toMatch(/the only backend that works here/);
    expect(chooseBackend([{ backend: 'cpu', failure: 'broken' }], 'auto').chosen).toBeNull();
  });

  it('never chooses a backend whose probe was wrong', () => {
    const s = chooseBackend([{ backend: 'webgl', failure: 'wrong results in the probe (max error 3)' }, cpu], 'webgl');
    expect(s.chosen).toBe('cpu');
  });
});
