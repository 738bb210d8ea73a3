/**
 * The house's frame in the isolated mode: the widget's API over the shop's catalog, in databases of the widget's own
 * origin (one worker for every element of the page). It serves the shop page's narrow calls (track, consent, item),
 * forwards the models' progress, and lends the API to the element frames beside it: frames of the same origin reach
 * each other directly, and the shop's page, of another origin, cannot.
 */
import { z } from '../../shared/zod';
import { RECOMMEND_SLOTS, type HushCartApi, type TrackEvent } from '../../api/types';
import { deviceArm, type Arm } from '../attribution';
import { HushCartError } from '../../errors';
import { BACKENDS, BOUNDS, type WidgetOptions } from '../options';
import { startWidget } from '../start';
import { MARK, PAGE_CALLS, isOurs, type FrameRole, type FromFrame } from './messages';

/** What the house frame lends the element frames of its page. */
export interface Hub {
  api: Promise<HushCartApi>;
  control: WidgetOptions['control'];
  arm: Promise<Arm | null>;
}
export type HubWindow = Window & { __hushcartHub?: Hub };

/** The script tag's options as the shop page read them (options.ts), checked again: the address is anyone's to write. */
const OptionsSchema = z.object({
  catalog: z.url(),
  train: z.boolean(),
  consent: z.literal('pending').optional(),
  experiment: z.number().min(BOUNDS.experiment.min).max(BOUNDS.experiment.max).optional(),
  retentionDays: z.number().int().min(BOUNDS.retentionDays.min).optional(),
  backend: z.enum(BACKENDS).optional(),
  control: z.enum(RECOMMEND_SLOTS).nullable(),
  dataLayer: z.boolean(),
}) satisfies z.ZodType<WidgetOptions>;

const CallSchema = z.object({
  mark: z.literal(MARK),
  kind: z.literal('call'),
  id: z.number().int(),
  method: z.enum(PAGE_CALLS),
  args: z.array(z.unknown()).max(4),
});

export function serveHub(role: Extract<FrameRole, { role: 'hub' }>): void {
  const post = (m: FromFrame) => parent.postMessage(m, role.host);
  const parsed = OptionsSchema.safeParse(role.options);
  if (!parsed.success) {
    post({
      mark: MARK,
      kind: 'failed',
      message: `HushCart: the widget's options are not valid (${parsed.error.message})`,
    });
    return;
  }
  const options = parsed.data;
  // The frame's own address: the widget's folder (its data/ beside frame.html).
  const api = startWidget(new URL(location.href), options);
  const arm = deviceArm(Promise.resolve(api), options.experiment);
  (window as HubWindow).__hushcartHub = { api: Promise.resolve(api), control: options.control, arm };

  // The models' progress: which model, which phase, how far (startWidget says it on this frame's window).
  addEventListener('hushcart-progress', (e) => {
    const d = (e as CustomEvent<{ model: string; phase: string; fraction?: number; message?: string }>).detail;
    post({
      mark: MARK,
      kind: 'progress',
      detail: { model: d.model, phase: d.phase, fraction: d.fraction ?? null, message: d.message ?? null },
    });
  });

  const answer = async (method: (typeof PAGE_CALLS)[number], args: unknown[]): Promise<unknown> => {
    if (method === 'track') {
      await api.track(args[0] as TrackEvent); // checked there, as any caller's
      return null; // the stored event stays here
    }
    if (method === 'consent') return api.consent(z.boolean().parse(args[0]));
    return api.catalog.get(z.string().max(1000).parse(args[0]));
  };
  addEventListener('message', (e: MessageEvent) => {
    if (e.source !== parent || e.origin !== role.host || !isOurs(e.data)) return;
    const call = CallSchema.safeParse(e.data);
    if (!call.success) return;
    const { id, method, args } = call.data;
    answer(method, args).then(
      (value) => post({ mark: MARK, kind: 'reply', id, ok: true, value: value ?? null }),
      (err: unknown) => post({ mark: MARK, kind: 'reply', id, ok: false, error: HushCartError.from(err).toJSON() }),
    );
  });

  api.ready({ engine: false }).then(
    () => post({ mark: MARK, kind: 'ready', version: api.version }),
    (e: unknown) => post({ mark: MARK, kind: 'failed', message: HushCartError.from(e).message }),
  );
}
