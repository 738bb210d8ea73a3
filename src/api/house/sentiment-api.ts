/** Review sentiment: of any text, and of an item's reviews. */
import { HushCartError } from '../../errors';
import type { Methods } from './context';

export const sentimentApi: Methods<'sentiment' | 'itemSentiment'> = (h) => ({
  async sentiment(text) {
    const many = Array.isArray(text);
    const texts: unknown[] = many ? text : [text];
    if (texts.length === 0 || texts.length > 10_000 || !texts.every((t) => typeof t === 'string'))
      throw new HushCartError('api/invalid-argument', 'sentiment needs a string or an array of 1 to 10000 strings');
    const state = await h.models.entries.sentiment.ready;
    if (state.phase !== 'ready')
      throw new HushCartError('api/not-ready', `the sentiment model is ${state.phase}: ${state.message}`);
    const results = await h.engine.sentiment.analyze(texts as string[]);
    // One overload returns one result, the other the array; the implementation serves both.
    return (many ? results : results[0]) as never;
  },
  async itemSentiment(itemIds) {
    if (!Array.isArray(itemIds) || !itemIds.every((t) => typeof t === 'string'))
      throw new HushCartError('api/invalid-argument', 'itemSentiment needs an array of item ids');
    await h.models.entries.sentiment.ready;
    await h.feeds.interactions;
    return h.engine.recommend.itemSentiment(itemIds);
  },
});
