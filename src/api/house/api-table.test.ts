import { describe, expectTypeOf, it } from 'vitest';
import type { API_TABLE } from './api-table';
import type { HouseApi } from './types';

type Groups = typeof API_TABLE;
type Group = keyof Groups;
type Served<G extends Group> = keyof ReturnType<Groups[G]>;
/** Methods two groups both serve (the second would silently replace the first in the API object). */
type Overlap = { [G in Group]: { [H in Exclude<Group, G>]: Served<G> & Served<H> }[Exclude<Group, G>] }[Group];

describe('the API table', () => {
  it('serves every method of the API from exactly one group', () => {
    expectTypeOf<Overlap>().toEqualTypeOf<never>();
    expectTypeOf<{ [G in Group]: Served<G> }[Group] | 'version' | 'loaded'>().toEqualTypeOf<keyof HouseApi>();
  });
});
