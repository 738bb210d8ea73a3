/** Typed settings, stored one key per setting so two tabs changing different settings never clash. */
import type { BackendPreference, RememberedSelection } from '../runtime/types';
import { isBackendName } from '../runtime/types';
import type { Database } from './db';

export interface Settings {
  /** 'auto' lets the engine choose; otherwise the backend the shopper asked for. */
  backend: BackendPreference;
  /** The engine's last full 'auto' measurement on this device, reused while the device looks the same. */
  engineSelection: RememberedSelection | null;
  /** false: the shopper paused recording; track() stores nothing until it is switched back on. */
  recording: boolean;
  /** This device's arm of the shop's on-device experiment, drawn once for its treatment share (percent). */
  experiment: { treatment: number; arm: 'treatment' | 'control' } | null;
  /** Days the shopper keeps their events, when shorter than the shop proposes (null: as the shop proposes). */
  retentionDays: number | null;
  /** Categories the shopper asked to see less of ("show me less of this"). */
  hiddenInterests: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  backend: 'auto',
  engineSelection: null,
  recording: true,
  experiment: null,
  retentionDays: null,
  hiddenInterests: [],
};

/** Checks a stored (or imported) value before use: a value written by another version of the app may not fit. */
export const SETTING_CHECKS: { [K in keyof Settings]: (v: unknown) => v is Settings[K] } = {
  recording: (v): v is boolean => typeof v === 'boolean',
  hiddenInterests: (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  retentionDays: (v): v is number | null => v === null || (Number.isInteger(v) && (v as number) >= 1),
  experiment: (v): v is Settings['experiment'] =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { treatment: unknown }).treatment === 'number' &&
    ((v as { arm: unknown }).arm === 'treatment' || (v as { arm: unknown }).arm === 'control'),
  backend: (v): v is Settings['backend'] => v === 'auto' || isBackendName(v),
  engineSelection: (v): v is RememberedSelection =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as RememberedSelection).fingerprint === 'string' &&
    isBackendName((v as RememberedSelection).chosen) &&
    Array.isArray((v as RememberedSelection).candidates) &&
    typeof (v as RememberedSelection).at === 'number',
};

export async function getSetting<K extends keyof Settings>(db: Database, key: K): Promise<Settings[K]> {
  const v: unknown = await db.get('settings', key);
  return SETTING_CHECKS[key](v) ? v : DEFAULT_SETTINGS[key];
}

export async function setSetting<K extends keyof Settings>(db: Database, key: K, value: Settings[K]): Promise<void> {
  await db.put('settings', value, key);
}
