/**
 * The lists: recommend() (every slot, steered by the call's rules and the shopper's "less of this"), taste segments,
 * and the interests the shopper can hide.
 */
import { HushCartError } from '../../errors';
import { cartFromEvents } from '../../store/cart';
import { interestsOf, lessOf } from '../interests';
import { reasonText } from '../reasons';
import { steeringOf } from '../steering';
import { RecommendArgs } from '../../recommend/contract';
import { parseArgs } from '../../shared/args';
import { toShopperEvents, type Methods } from './context';

export const recommendApi: Methods<'recommend' | 'taste' | 'interests' | 'setInterest'> = (h) => ({
  async recommend(o = {}) {
    const { catalog } = await h.loaded;
    const { slot, limit, diversity } = parseArgs(RecommendArgs, o);
    if (o.aisle !== undefined && !catalog.aisle(o.aisle))
      throw new HushCartError(
        'api/invalid-argument',
        `no aisle '${o.aisle}'; aisles are: ${catalog.aisles.map((a) => a.id).join(', ')}`,
      );
    h.pictures.needed(catalog, o.itemId);
    if (o.itemId !== undefined && !catalog.get(o.itemId))
      throw new HushCartError('api/invalid-argument', `no item '${o.itemId}' in the catalog`);
    const asked = steeringOf(o, catalog);
    const hidden = await h.shopper.hiddenInterests();
    // The shopper's "show me less of this" joins the call's rules in every list.
    const steering = hidden.length ? { ...asked, rules: [...lessOf(hidden), ...(asked?.rules ?? [])] } : asked;
    await h.feeds.interactions;
    const events = await h.recentEvents();
    const cartLines = cartFromEvents(events); // other event types do not touch the cart
    const exclude = [
      ...cartLines.map((l) => l.itemId),
      ...events.filter((e) => e.type === 'purchase').map((e) => e.itemId ?? ''),
    ];
    const recs = await h.engine.recommend.recommend({
      slot,
      events: toShopperEvents(events),
      limit,
      diversity,
      exclude,
      ...(o.itemId ? { itemId: o.itemId } : {}),
      ...(o.aisle ? { aisle: o.aisle } : {}),
      ...(steering ? { steering } : {}),
    });
    return recs.map((r) => ({
      itemId: r.itemId,
      score: r.score,
      reasons: r.reasons.map((x) => reasonText(x, catalog, r.itemId)),
    }));
  },
  async taste() {
    const state = await h.models.entries.recommender.ready;
    if (state.phase !== 'ready')
      throw new HushCartError(
        'api/not-ready',
        `taste segments need the trained recommender, which is ${state.phase}: ${state.message}`,
      );
    return h.engine.recommend.taste(toShopperEvents(await h.recentEvents()));
  },
  async interests() {
    const { catalog } = await h.loaded;
    const hidden = await h.shopper.hiddenInterests();
    return interestsOf(await h.recentEvents(), catalog, hidden);
  },
  async setInterest(category, hidden) {
    if (typeof category !== 'string' || typeof hidden !== 'boolean')
      throw new HushCartError('api/invalid-argument', 'setInterest needs a category and true (show less) or false');
    await h.shopper.setInterest(category, hidden);
  },
});
