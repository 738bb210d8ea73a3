/**
 * Backend choice as a pure function of what was detected and measured, so the rules are unit-tested apart
 * from any browser. Rule: among backends that initialised and computed a correct probe, pick the fastest
 * probe; a forced backend is used when it works, else the engine falls back by the same rule and says why.
 */
import type { BackendName, BackendPreference, CandidateReport } from './types';

export interface ProbeOutcome {
  backend: BackendName;
  /** Why the backend could not be used at all (not present, init failed, wrong numbers). */
  failure?: string;
  software?: boolean;
  device?: string;
  probeMs?: number;
  initMs?: number;
  /** Not probed because another backend was forced. */
  skipped?: boolean;
}

export interface Selection {
  chosen: BackendName | null;
  candidates: CandidateReport[];
}

const ms = (v: number | undefined) => (v === undefined ? '?' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);

function describeDevice(p: ProbeOutcome): string {
  const parts: string[] = [];
  if (p.software) parts.push('software renderer: emulates the GPU on the CPU');
  if (p.device) parts.push(p.device);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

export function chooseBackend(outcomes: ProbeOutcome[], preference: BackendPreference): Selection {
  const working = outcomes.filter((o) => !o.failure && !o.skipped && o.probeMs !== undefined);
  const forced = preference === 'auto' ? undefined : outcomes.find((o) => o.backend === preference);
  const forcedOk = forced && working.includes(forced) ? forced : undefined;
  const fastest = [...working].sort((a, b) => (a.probeMs ?? Infinity) - (b.probeMs ?? Infinity))[0];
  const chosen = forcedOk ?? fastest;

  const candidates = outcomes.map((o): CandidateReport => {
    const base: CandidateReport = { backend: o.backend, ok: !o.failure && !o.skipped, reason: '' };
    if (o.software !== undefined) base.software = o.software;
    if (o.device !== undefined) base.device = o.device;
    if (o.probeMs !== undefined) base.probeMs = o.probeMs;
    if (o.initMs !== undefined) base.initMs = o.initMs;
    const dev = describeDevice(o);
    if (o.failure) {
      const requested = forced === o ? `requested, but ` : '';
      base.reason = `${requested}unavailable: ${o.failure}`;
    } else if (o.skipped) {
      base.reason = `not tried: '${preference}' was requested`;
    } else if (o === chosen) {
      base.reason =
        o === forcedOk
          ? `requested (probe ${ms(o.probeMs)})${dev}`
          : working.length === 1
            ? `the only backend that works here (probe ${ms(o.probeMs)})${dev}`
            : `fastest in the probe: ${ms(o.probeMs)}${dev}`;
    } else if (chosen) {
      base.reason = forcedOk
        ? `works (probe ${ms(o.probeMs)}), but '${forcedOk.backend}' was requested${dev}`
        : `slower in the probe: ${ms(o.probeMs)} against ${ms(chosen.probeMs)} for ${chosen.backend}${dev}`;
    }
    return base;
  });
  return { chosen: chosen?.backend ?? null, candidates };
}
