/** The shopper's events: recording them (track), reading them back, the cart, and following their changes. */
import { HushCartError } from '../../errors';
import { cartFromEvents } from '../../store/cart';
import { MAX_TEXT_LENGTH } from '../../store/events';
import { EVENT_TYPES } from '../../store/schema';
import type { TrackEvent } from '../types';
import type { Methods } from './context';

export const eventsApi: Methods<'track' | 'events' | 'cart' | 'subscribe'> = (h) => ({
  async track(event: TrackEvent) {
    const { catalog, log } = await h.loaded;
    h.shopper.refuseWithoutConsent();
    if (!h.shopper.recording)
      throw new HushCartError(
        'store/paused',
        'recording is paused: nothing is stored until you switch it back on (My data, or HushCart.setRecording(true))',
      );
    if (typeof event !== 'object' || event === null)
      throw new HushCartError(
        'store/invalid-event',
        `invalid event: expected an object like {type: 'view', itemId: '...'}; types are ${EVENT_TYPES.join(', ')}`,
      );
    if (typeof event.itemId === 'string' && !catalog.get(event.itemId))
      throw new HushCartError('store/invalid-event', `invalid event: 'itemId' '${event.itemId}' is not in the catalog`);
    h.pictures.needed(catalog, event.itemId);
    // A review counts as feedback by what it says: the sentiment model's P(positive) becomes its value.
    if (
      event.type === 'review' &&
      event.value === undefined &&
      typeof event.text === 'string' &&
      event.text.trim() &&
      event.text.length <= MAX_TEXT_LENGTH &&
      h.models.entries.sentiment.state.phase === 'ready'
    ) {
      const [r] = await h.engine.sentiment.analyze([event.text]);
      if (r) {
        const stored = await log.record({ ...event, value: Math.round(r.score * 1000) / 1000 });
        h.models.poke();
        return stored;
      }
    }
    const stored = await log.record(event);
    h.models.poke();
    return stored;
  },
  async events({ limit = 100, type } = {}) {
    const { log } = await h.loaded;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000)
      throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100000');
    if (type !== undefined && !EVENT_TYPES.includes(type))
      throw new HushCartError(
        'api/invalid-argument',
        `unknown event type '${String(type)}'; types are ${EVENT_TYPES.join(', ')}`,
      );
    return log.list(type ? { limit, type } : { limit });
  },
  async cart() {
    const { log } = await h.loaded;
    return cartFromEvents(await log.all({ fresh: true }));
  },
  subscribe(listener) {
    let unsub: (() => void) | null = null;
    let cancelled = false;
    h.loaded.then(
      ({ log }) => {
        if (!cancelled) unsub = log.subscribe(() => listener());
      },
      () => undefined, // a catalog that failed to open has no events to follow
    );
    return () => {
      cancelled = true;
      unsub?.();
    };
  },
});
