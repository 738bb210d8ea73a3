/**
 * Builds the `HushCart` API object over the catalog, the on-device store and the engine, in the house (the engine
 * worker). A composition only: ./house/ opens the catalog and the store (open.ts), starts the engine
 * (engine-start.ts), the data feeds (feeds.ts), the models (model-board.ts, from the model table), the catalog's
 * pictures (pictures.ts) and the shopper's switches (shopper.ts); each group of methods (house/*-api.ts) is a
 * function of that house.
 */
import { watchViolations } from '../runtime/requests';
import { API_TABLE } from './house/api-table';
import { openHouse } from './house/open';
import { startEngine } from './house/engine-start';
import { startFeeds } from './house/feeds';
import { createModelBoard } from './house/model-board';
import { catalogPictures } from './house/pictures';
import { shopperState } from './house/shopper';
import { HISTORY, toShopperEvents, type House } from './house/context';
import type { HouseApi, HushCartOptions } from './house/types';
import { API_VERSION, withoutConsent, type HushCartStatus } from './types';

export type { CatalogInfo, HouseApi, HushCartOptions } from './house/types';
export { DEFAULT_RETENTION_DAYS } from './house/types';

export function createHushCart(options: HushCartOptions): HouseApi {
  const t0 = performance.now();
  const timings: HushCartStatus['timings'] = { catalogMs: null, engineReadyMs: null };
  const storesNothing = withoutConsent(options.consent ?? 'not-required');
  const loaded = openHouse(options, storesNothing, timings, t0);
  const rt = startEngine(options, loaded, timings, t0);
  const feeds = startFeeds(options, loaded, rt);
  const recentEvents = async () => (await (await loaded).log.all()).slice(-HISTORY);
  const shopperEvents = async () => toShopperEvents(await recentEvents());
  const models = createModelBoard({
    options,
    loaded,
    rt,
    feeds,
    shopperEvents,
    train: options.pretrain !== false && !storesNothing,
  });
  const pictures = catalogPictures(loaded, rt.engine, () => models.entries.embedder.ready);
  const shopper = shopperState(options, loaded);
  const house: House = {
    options,
    loaded,
    engine: rt.engine,
    rt,
    feeds,
    models,
    pictures,
    shopper,
    timings,
    recentEvents,
    shopperEvents,
  };
  watchViolations();
  const served = Object.values(API_TABLE).map((group) => group(house));
  return Object.assign({ version: API_VERSION, loaded }, ...served) as HouseApi;
}
