/**
 * The shop-pack builder's part of the public surface, for the page that builds a pack in the shop owner's browser
 * (app/routes/ShopPackPage.tsx) and its worker (./worker.ts): plain types, no parser, no tfjs.
 */
import type { AggregateKind, VectorCard } from '../catalog/schema';

/** What one kind of count came to: how many were counted, how many passed the k rule and the noise. */
export interface CountedSizes {
  kind: AggregateKind;
  counted: number;
  released: number;
}

export interface RankingQuality {
  ndcg10: number;
  hr10: number;
}

/** What privacy costs on the shop's own orders (held-out last order per customer). */
export interface PrivacyCost {
  customers: number;
  raw: RankingQuality;
  pack: RankingQuality;
  popular: RankingQuality;
  /** The item vectors computed from the released pairs, alone (popularity for items without one). */
  vectors?: RankingQuality;
}

/** A model shipped with a pack (trained by the app on the shop's side), as the report lists it. */
export interface ShippedModelCard {
  id: string;
  kind: string;
  recipe?: string;
  /** The day it was trained (YYYY-MM-DD). */
  trainedAt: string;
  /** The data hash it is stamped with: a visit to a pack with other data trains instead of loading it. */
  dataHash: string;
  metrics: Record<string, number>;
  bytes: number;
}

export interface ShopPackReport {
  read: { file: string; format: string; rows: number }[];
  dropped: { reason: string; count: number; example: string }[];
  products: number;
  orderLines: number;
  orders: number;
  customers: number;
  k: number;
  epsilon: Record<AggregateKind, number>;
  delta?: number;
  maxItems: number;
  maxPairs: number;
  released: CountedSizes[];
  files: { name: string; bytes: number; contains: string }[];
  cost?: PrivacyCost;
  /** The model card of the pack's item vectors, when it has any. */
  vectors?: VectorCard;
  /** The cards of the models shipped with the pack (--models). */
  models?: ShippedModelCard[];
  publicData: boolean;
  statement: string;
}

/** What the shop page asks its worker to build (the files stay in the browser). */
export interface ShopPackRequest {
  products: File[];
  orders: File[];
  reviews?: File;
  /** Item vectors trained elsewhere (./item-vectors.ts). */
  itemVectors?: File;
  id: string;
  name: string;
  k: number;
  epsilon: number;
  currency: string;
  evaluate: boolean;
}

/** The built pack as one self-contained file (its parts inline), and its report. */
export interface ShopPackDownload {
  pack: string;
  report: ShopPackReport;
}

export interface ShopPackWorkerApi {
  build(request: ShopPackRequest, onProgress: (stage: string) => void): Promise<ShopPackDownload>;
}

/** The defaults a shop starts from (the command line's too). */
/** A name as an id (a pack's, an aisle's): lower case, ASCII letters and digits joined by '-', at most 40. */
export const slug = (s: string, empty = 'other'): string =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || empty;

export const SHOP_PACK_DEFAULTS = { k: 5, epsilon: 1 } as const;
