/**
 * The shopper's own switches as the house keeps them: consent (without it nothing is stored or learned), whether
 * events are recorded, what they asked to see less of, how long events are kept, and the shop experiment's arm.
 * Each is read once as the house opens, then kept here as it changes.
 */
import { HushCartError } from '../../errors';
import { getSetting, setSetting } from '../../store/settings';
import { experimentArm } from '../experiment';
import { expireEvents } from '../my-data';
import { withoutConsent, type ConsentState, type HushCartStatus } from '../types';
import { DEFAULT_RETENTION_DAYS, type HushCartOptions, type Loaded } from './types';

export interface ShopperState {
  consent: ConsentState;
  /** Pending or declined consent: the store is in memory and nothing is recorded or trained. */
  storesNothing: boolean;
  /** Whether track() stores events (the shopper can pause it). */
  readonly recording: boolean;
  setRecording(on: boolean): void;
  /** Throws when the shopper has not consented (what to do, said). */
  refuseWithoutConsent(): void;
  /** What the shopper asked to see less of (read once the store is open). */
  hiddenInterests(): Promise<string[]>;
  setInterest(category: string, hidden: boolean): Promise<void>;
  retentionDays: number;
  experiment(): Promise<HushCartStatus['experiment']>;
}

export function shopperState(options: HushCartOptions, loaded: Promise<Loaded>): ShopperState {
  const consent = options.consent ?? 'not-required';
  const storesNothing = withoutConsent(consent);
  let recording = true;
  const setRecording = (on: boolean) => {
    recording = on;
    options.onRecording?.(on);
  };
  void loaded
    .then(async ({ db }) => setRecording(storesNothing ? false : await getSetting(db, 'recording')))
    .catch(() => undefined);
  // Events older than the retention are deleted as HushCart starts on a page (and when the shopper shortens it).
  const retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
  void expireEvents(loaded, retentionDays).catch(() => undefined);
  let hidden: string[] = [];
  const interestsRead = loaded.then(async ({ db }) => (hidden = await getSetting(db, 'hiddenInterests')));
  interestsRead.catch(() => undefined);
  const arm =
    options.experiment === undefined ? null : loaded.then(({ db }) => experimentArm(db, options.experiment as number));
  arm?.catch(() => undefined);
  return {
    consent,
    storesNothing,
    get recording() {
      return recording;
    },
    setRecording,
    refuseWithoutConsent() {
      if (storesNothing)
        throw new HushCartError(
          'store/no-consent',
          consent === 'pending'
            ? 'waiting for your consent: nothing is stored or learned until you accept (HushCart.consent(true))'
            : 'you declined: nothing is stored or learned on this site (HushCart.consent(true) if you change your mind)',
        );
    },
    async hiddenInterests() {
      await interestsRead.catch(() => undefined);
      return hidden;
    },
    async setInterest(category, hide) {
      const { db, log } = await loaded;
      await interestsRead.catch(() => undefined);
      hidden = hide ? [...new Set([...hidden, category])] : hidden.filter((c) => c !== category);
      await setSetting(db, 'hiddenInterests', hidden);
      log.changed(); // every list that follows the shopper's activity renders again
    },
    retentionDays,
    experiment: async () => (arm ? await arm.catch(() => null) : null),
  };
}
