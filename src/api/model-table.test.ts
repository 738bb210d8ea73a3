import { describe, expect, expectTypeOf, it } from 'vitest';
import { Catalog } from '../catalog/catalog';
import type { Pack } from '../catalog/schema';
import { MODEL_TABLE, modelDefinition } from './model-table';
import type { ModelState } from './model-lifecycle';
import { MODEL_NAMES, type HushCartStatus, type ModelName } from './types';

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
  it('is the one list of models: the names, their order and the status fields agree with it', () => {
    expect(MODEL_TABLE.map((m) => m.name)).toEqual([...MODEL_NAMES]);
    // Type-level: a status field per model, each a model state (a model added to MODEL_NAMES without its field, or
    // a field of another type, fails the typecheck).
    expectTypeOf<Pick<HushCartStatus, ModelName>>().toEqualTypeOf<Record<ModelName, ModelState>>();
    expectTypeOf<(typeof MODEL_TABLE)[number]['name']>().toEqualTypeOf<ModelName>();
  });

  it('trains the review model unasked only for a catalog with reviews; every other model always', () => {
    const sentiment = modelDefinition('sentiment');
    expect(sentiment.trainsUnasked?.(new Catalog([pack(undefined)]))).toBe(false);
    expect(sentiment.trainsUnasked?.(new Catalog([pack([{ itemId: 'a', text: 'Bright.' }] as Pack['reviews'])]))).toBe(
      true,
    );
    expect(MODEL_TABLE.filter((m) => m.trainsUnasked).map((m) => m.name)).toEqual(['sentiment']);
  });
});
