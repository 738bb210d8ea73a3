import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog';
import type { Pack } from '../catalog/schema';
import { MODEL_TABLE, modelDefinition } from './model-table';

const pack = (reviews: Pack['reviews']): Pack =>
  ({
    format: 'hushcart-pack',
    version: 1,
    id: 'shop',
    name: 'Shop',
    baseUrl: 'http://localhost/shop/',
    aisles: [{ id: 'shop', name: 'Shop' }],
    items: [{ id: 'a', aisle: 'shop', title: 'A lamp' }],
    ...(reviews ? { reviews } : {}),
  }) as Pack;

describe('the model table', () => {
  it('trains the review model unasked only for a catalog with reviews; every other model always', () => {
    const sentiment = modelDefinition('sentiment');
    expect(sentiment.trainsUnasked?.(new Catalog([pack(undefined)]))).toBe(false);
    expect(sentiment.trainsUnasked?.(new Catalog([pack([{ itemId: 'a', text: 'Bright.' }] as Pack['reviews'])]))).toBe(
      true,
    );
    expect(MODEL_TABLE.filter((m) => m.trainsUnasked).map((m) => m.name)).toEqual(['sentiment']);
  });
});
