/** Typed settings, stored one key per setting so two tabs changing different settings never clash. */
import type { BackendPreference } from '../engine/types';
import { isBackendName } from '../engine/types';
import type { Database } from './db';

export interface Settings {
  /** 'auto' lets the engine choose; otherwise the backend the shopper asked for. */
  backend: BackendPreference;
}

export const DEFAULT_SETTINGS: Settings = { backend: 'auto' };

/** Checks a stored value before use: a value written by another version of the app may not fit. */
const VALID: { [K in keyof Settings]: (v: unknown) => v is Settings[K] } = {
  backend: (v): v is Settings['backend'] => v === 'auto' || isBackendName(v),
};

export async function getSetting<K extends keyof Settings>(db: Database, key: K): Promise<Settings[K]> {
  const v: unknown = await db.get('settings', key);
  return VALID[key](v) ? v : DEFAULT_SETTINGS[key];
}

export async function setSetting<K extends keyof Settings>(db: Database, key: K, value: Settings[K]): Promise<void> {
  await db.put('settings', value, key);
}
