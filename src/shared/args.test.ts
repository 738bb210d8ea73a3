import { describe, expect, it } from 'vitest';
import { parseArgs } from './args';
import { RecommendArgs } from '../recommend/contract';
import { SearchArgs } from '../search/contract';
import { AskArgs } from '../assistant/contract';
import { ImageSearchOptions } from '../vision/contract';
import { ItemSentimentArgs, SentimentArgs } from '../sentiment/contract';
import { HushCartError } from '../errors';

const refused = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HushCartError);
    expect((e as HushCartError).code).toBe('api/invalid-argument');
    return (e as Error).message;
  }
  throw new Error('accepted');
};

describe("the capabilities' argument schemas", () => {
  it('fill the defaults when the options are left out, and keep the keys they do not name', () => {
    expect(parseArgs(RecommendArgs, undefined)).toEqual({ slot: 'for-you', limit: 10, diversity: 0 });
    expect(parseArgs(RecommendArgs, { slot: 'similar', itemId: 'a', category: 'Lamps' })).toEqual({
      slot: 'similar',
      limit: 10,
      diversity: 0,
      itemId: 'a',
      category: 'Lamps',
    });
    expect(parseArgs(SearchArgs, ['lamp', undefined])).toEqual(['lamp', { limit: 20 }]);
    expect(parseArgs(ImageSearchOptions, {})).toEqual({ limit: 12 });
    expect(parseArgs(SentimentArgs, ['good', 'bad'])).toEqual(['good', 'bad']);
  });

  it('refuse bad arguments with one sentence each', () => {
    expect(refused(() => parseArgs(RecommendArgs, { slot: 'nope' }))).toBe(
      "unknown slot 'nope'; slots are for-you, similar, fbt, next, trending, recent, new",
    );
    for (const limit of [0, 51, 2.5, '10', Infinity])
      expect(refused(() => parseArgs(RecommendArgs, { limit }))).toBe('limit must be an integer from 1 to 50');
    expect(refused(() => parseArgs(RecommendArgs, { diversity: 2 }))).toBe('diversity must be a number from 0 to 1');
    expect(refused(() => parseArgs(RecommendArgs, 'for-you'))).toBe("recommend's options must be an object");
    expect(refused(() => parseArgs(SearchArgs, [42, {}]))).toBe('search needs the query as a string');
    expect(refused(() => parseArgs(SearchArgs, ['lamp', { limit: 101 }]))).toBe(
      'limit must be an integer from 1 to 100',
    );
    expect(refused(() => parseArgs(AskArgs, ['   ', undefined]))).toBe('ask needs the question as a non-empty string');
    expect(refused(() => parseArgs(SentimentArgs, []))).toBe(
      'sentiment needs a string or an array of 1 to 10000 strings',
    );
    expect(refused(() => parseArgs(SentimentArgs, ['a', 3]))).toBe(
      'sentiment needs a string or an array of 1 to 10000 strings',
    );
    expect(refused(() => parseArgs(ItemSentimentArgs, 'a'))).toBe('itemSentiment needs an array of item ids');
    expect(refused(() => parseArgs(ItemSentimentArgs, ['a', 1]))).toBe('itemSentiment needs an array of item ids');
  });
});
