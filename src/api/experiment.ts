/**
 * The shop's on-device experiment: each device is in the treatment arm (HushCart's lists) with the shop's
 * percentage, else in the control arm (a non-personal list the shop names), drawn once with the platform's
 * cryptographic generator and kept in the device's own settings: stable across visits, drawn again when the shop
 * changes the percentage or the shopper deletes their data. Nothing about it is sent: the arm travels only in the
 * page's own attribution events.
 */
import { HushCartError } from '../errors';
import type { Database } from '../store/db';
import { getSetting, setSetting, type Settings } from '../store/settings';

export type Experiment = NonNullable<Settings['experiment']>;

/** A uniform draw in [0, 100) from crypto.getRandomValues. */
const percentile = (): number => ((crypto.getRandomValues(new Uint32Array(1))[0] as number) / 2 ** 32) * 100;

export async function experimentArm(
  db: Database,
  treatment: number,
  draw: () => number = percentile,
): Promise<Experiment> {
  if (!(Number.isFinite(treatment) && treatment >= 0 && treatment <= 100))
    throw new HushCartError(
      'api/invalid-argument',
      `the experiment's treatment share must be 0 to 100 (got ${treatment})`,
    );
  const kept = await getSetting(db, 'experiment');
  if (kept && kept.treatment === treatment) return kept;
  const arm: Experiment = { treatment, arm: draw() < treatment ? 'treatment' : 'control' };
  await setSetting(db, 'experiment', arm);
  return arm;
}
