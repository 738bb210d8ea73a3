/** A pack with no interactions, scored by its item space alone, for recommender tests. */
import { buildMatrix } from '../shared/interactions';
import type { ItemSpace } from '../recommend/item-space';
import type { PackData } from '../recommend/recommender';

export function contentPack(packId: string, itemIds: string[], space: ItemSpace): PackData {
  return {
    packId,
    kind: 'content',
    itemIds,
    aisleOf: itemIds.map(() => packId),
    matrix: buildMatrix([], [], 0, itemIds.length),
    space,
  };
}
