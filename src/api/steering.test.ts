import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog';
import type { Pack } from '../catalog/schema';
import { steeringOf } from './steering';

const pack: Pack = {
  id: 'shop',
  name: 'Shop',
  baseUrl: 'https://shop.example/pack.json',
  aisles: [{ id: 'home', name: 'Home' }],
  items: [
    { id: 'lamp', aisle: 'home', title: 'Lamp', category: 'Lamps' },
    { id: 'rug', aisle: 'home', title: 'Rug', category: 'Rugs' },
  ],
};
const catalog = new Catalog([pack]);

describe("recommend()'s filters and rules", () => {
  it('passes what is valid and nothing when nothing is asked', () => {
    expect(steeringOf({}, catalog)).toBeNull();
    expect(
      steeringOf(
        {
          minPrice: 5,
          maxPrice: 50,
          category: 'Lamps',
          includeUnavailable: true,
          rules: [{ action: 'pin', itemId: 'rug', position: 1 }],
        },
        catalog,
      ),
    ).toEqual({
      minPrice: 5,
      maxPrice: 50,
      category: 'Lamps',
      includeUnavailable: true,
      rules: [{ action: 'pin', itemId: 'rug', position: 1 }],
    });
  });

  it('says which option is wrong and why', () => {
    const wrong = (o: Parameters<typeof steeringOf>[0]) => () => steeringOf(o, catalog);
    expect(wrong({ minPrice: -1 })).toThrow('minPrice must be a number of at least 0');
    expect(wrong({ minPrice: 9, maxPrice: 3 })).toThrow('minPrice (9) is above maxPrice (3)');
    expect(wrong({ category: 'Sofas' })).toThrow("no item of the catalog has the category 'Sofas'");
    expect(wrong({ rules: [{ action: 'pin', itemId: 'rug' }] })).toThrow(
      'rules[0]: a pin names an itemId and a position',
    );
    expect(wrong({ rules: [{ action: 'boost', category: 'Lamps' }] })).toThrow(
      'rules[0]: boost and bury take a factor',
    );
    expect(wrong({ rules: [{ action: 'exclude', itemId: 'sofa' }] })).toThrow("rules[0].itemId: no item 'sofa'");
  });
});
