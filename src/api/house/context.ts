/**
 * The house as its API methods see it: the open catalog and store, the engine, the data feeds, the models, the
 * catalog's pictures and the shopper's switches. createHushCart builds one; each group of methods (./*-api.ts) is
 * a function of it.
 */
import type { Engine } from '../../engine/types';
import type { ShopperEvent } from '../../recommend/contract';
import type { StoredEvent } from '../../store/schema';
import type { HushCartStatus } from '../types';
import type { EngineHandle } from './engine-start';
import type { Feeds } from './feeds';
import type { ModelBoard } from './model-board';
import type { CatalogPictures } from './pictures';
import type { ShopperState } from './shopper';
import type { HouseApi, HushCartOptions, Loaded } from './types';

export interface House {
  options: HushCartOptions;
  loaded: Promise<Loaded>;
  engine: Engine;
  rt: EngineHandle;
  feeds: Feeds;
  models: ModelBoard;
  pictures: CatalogPictures;
  shopper: ShopperState;
  timings: HushCartStatus['timings'];
  /** The shopper's latest events, oldest first: what the models read (recommend, taste, BPR retraining). */
  recentEvents(): Promise<StoredEvent[]>;
  shopperEvents(): Promise<ShopperEvent[]>;
}

/** A group of the API's methods, built over the house. */
export type Methods<K extends keyof HouseApi> = (h: House) => Pick<HouseApi, K>;

/** Events the models read at most (the newest). */
export const HISTORY = 5000;

/** What the engine needs of stored events (no ids, times or texts cross to the engine). */
export function toShopperEvents(events: readonly StoredEvent[]): ShopperEvent[] {
  return events.map((e) => ({
    type: e.type,
    ...(e.itemId ? { itemId: e.itemId } : {}),
    ...(e.value !== undefined ? { value: e.value } : {}),
  }));
}
