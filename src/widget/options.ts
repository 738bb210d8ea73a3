/**
 * The script tag's `data-*` attributes, read and checked once: the same options start the widget on the shop's page
 * (same-origin mode) and in the frame that holds the house (isolated mode, src/widget/isolated/), where they
 * arrive in the frame's address and are checked again (isolated/messages.ts).
 */
import { RECOMMEND_SLOTS, type RecommendSlot } from '../api/types';
import type { BackendPreference } from '../engine/types';

export const BACKENDS = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const satisfies readonly BackendPreference[];

/** The bounds of the numeric options: the loader checks them here, the house frame again with its schema. */
export const BOUNDS = { experiment: { min: 0, max: 100 }, retentionDays: { min: 1 } } as const;

/** What the widget starts with (the catalog's URL absolute: it is resolved against the shop's page). */
export interface WidgetOptions {
  catalog: string;
  train: boolean;
  consent?: 'pending';
  experiment?: number;
  retentionDays?: number;
  backend?: (typeof BACKENDS)[number];
  /** The list the control arm of the shop's experiment sees (null without an experiment). */
  control: RecommendSlot | null;
  /** `data-datalayer`: attribution events are pushed to `window.dataLayer` too. */
  dataLayer: boolean;
}

/** The options a script tag asks for, or an error that says which attribute is wrong and how to write it. */
export function readScriptOptions(data: DOMStringMap, pageUrl: string): WidgetOptions {
  const catalog = data.catalog;
  if (!catalog)
    throw new Error(
      'HushCart: the script tag needs data-catalog, the URL of your catalog pack (e.g. data-catalog="/shop/pack.json")',
    );
  /** `data-backend="wasm"`: the compute backend for this page (auto, webgpu, webgl, wasm, cpu; default auto). */
  const backend = data.backend;
  if (backend !== undefined && !(BACKENDS as readonly string[]).includes(backend))
    throw new Error(`HushCart: data-backend is one of ${BACKENDS.join(', ')} (got '${backend}')`);
  /** `data-retention="30"`: the days the shop proposes a shopper's events be kept (default 90). */
  const retention = data.retention === undefined ? undefined : Number(data.retention);
  if (retention !== undefined && !(Number.isInteger(retention) && retention >= BOUNDS.retentionDays.min))
    throw new Error(
      `HushCart: data-retention is the number of days events are kept, a whole number of at least 1 (got '${data.retention}')`,
    );
  /** `data-consent="required"`: nothing stored or learned until the page calls `HushCart.consent(true)`. */
  const consent = data.consent;
  if (consent !== undefined && consent !== 'required')
    throw new Error(`HushCart: data-consent is 'required' or left out (got '${consent}')`);
  /** `data-experiment="50"`: the share of devices in the treatment arm; `data-control`: the control arm's list. */
  const experiment = data.experiment === undefined ? undefined : Number(data.experiment);
  if (experiment !== undefined && !(experiment >= BOUNDS.experiment.min && experiment <= BOUNDS.experiment.max))
    throw new Error(
      `HushCart: data-experiment is the share of devices in the treatment arm, ${BOUNDS.experiment.min} to ${BOUNDS.experiment.max} (got '${data.experiment}')`,
    );
  const control = (data.control ?? 'trending') as RecommendSlot;
  return {
    catalog: new URL(catalog, pageUrl).href,
    train: data.train !== 'off',
    ...(consent === 'required' ? { consent: 'pending' as const } : {}),
    ...(experiment !== undefined ? { experiment } : {}),
    ...(retention !== undefined ? { retentionDays: retention } : {}),
    ...(backend ? { backend: backend as (typeof BACKENDS)[number] } : {}),
    control: experiment === undefined ? null : RECOMMEND_SLOTS.includes(control) ? control : 'trending',
    dataLayer: data.datalayer !== undefined,
  };
}
