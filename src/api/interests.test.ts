import { describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog';
import type { Pack } from '../catalog/schema';
import type { StoredEvent } from '../store/schema';
import { interestsOf, lessOf } from './interests';

const pack: Pack = {
  id: 'shop',
  name: 'Shop',
  baseUrl: 'https://shop.example/pack.json',
  aisles: [{ id: 'home', name: 'Home' }],
  items: [
    { id: 'lamp1', aisle: 'home', title: 'Brass Lamp', category: 'Lamps' },
    { id: 'lamp2', aisle: 'home', title: 'Paper Lamp', category: 'Lamps' },
    { id: 'rug', aisle: 'home', title: 'Wool Rug', category: 'Rugs' },
    { id: 'vase', aisle: 'home', title: 'Vase' },
  ],
};
const catalog = new Catalog([pack]);
let n = 0;
const ev = (type: string, itemId: string, value?: number): StoredEvent =>
  ({ id: `e${n++}`, ts: n, type, itemId, ...(value !== undefined ? { value } : {}) }) as StoredEvent;

describe("the shopper's interests", () => {
  it('weighs categories by what the shopper did, with the items behind each; hidden ones last', () => {
    const events = [
      ev('view', 'lamp1'),
      ev('purchase', 'lamp2'),
      ev('view', 'rug'),
      ev('rate', 'rug', 1),
      ev('view', 'vase'),
    ];
    // Lamps: 0.5 + 4; the rug: 0.5 - 3 (a one-star rating): not an interest; the vase has no category.
    expect(interestsOf(events, catalog, [])).toEqual([
      { category: 'Lamps', weight: 1, itemIds: ['lamp2', 'lamp1'], hidden: false },
    ]);
    expect(
      interestsOf([...events, ev('purchase', 'rug')], catalog, ['Lamps']).map((i) => [i.category, i.hidden]),
    ).toEqual([
      ['Rugs', false],
      ['Lamps', true],
    ]);
    expect(interestsOf([], catalog, ['Rugs'])).toEqual([{ category: 'Rugs', weight: 0, itemIds: [], hidden: true }]);
  });

  it('"show me less" becomes a strong bury of the category in every list', () => {
    expect(lessOf(['Lamps'])).toEqual([{ action: 'bury', category: 'Lamps', factor: 0.05 }]);
  });
});
