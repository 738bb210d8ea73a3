/** Review sentiment: of any text, and of an item's reviews. */
import { HushCartError } from '../../errors';
import { ItemSentimentArgs, SentimentArgs } from '../../sentiment/contract';
import { parseArgs } from '../../shared/args';
import type { Methods } from './context';

export const sentimentApi: Methods<'sentiment' | 'itemSentiment'> = (h) => ({
  async sentiment(text) {
    const asked = parseArgs(SentimentArgs, text);
    const many = Array.isArray(asked);
    const texts = many ? asked : [asked];
    const state = await h.models.entries.sentiment.ready;
    if (state.phase !== 'ready')
      throw new HushCartError('api/not-ready', `the sentiment model is ${state.phase}: ${state.message}`);
    const results = await h.engine.sentiment.analyze(texts);
    // One overload returns one result, the other the array; the implementation serves both.
    return (many ? results : results[0]) as never;
  },
  async itemSentiment(asked) {
    const itemIds = parseArgs(ItemSentimentArgs, asked);
    await h.models.entries.sentiment.ready;
    await h.feeds.interactions;
    return h.engine.recommend.itemSentiment(itemIds);
  },
});
