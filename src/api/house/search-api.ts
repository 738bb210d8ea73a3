/** Search (keyword and semantic over the catalog's index) and the shopping assistant's answers. */
import { HushCartError } from '../../errors';
import { MAX_QUESTION_CHARS } from '../../assistant/contract';
import { MAX_QUERY_CHARS } from '../../search/contract';
import type { Methods } from './context';

export const searchApi: Methods<'search' | 'ask'> = (h) => ({
  async search(query, o = {}) {
    if (typeof query !== 'string')
      throw new HushCartError('api/invalid-argument', 'search needs the query as a string');
    const limit = o.limit ?? 20;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new HushCartError('api/invalid-argument', 'limit must be an integer from 1 to 100');
    const { catalog } = await h.loaded;
    if (o.aisle !== undefined && !catalog.aisle(o.aisle))
      throw new HushCartError(
        'api/invalid-argument',
        `no aisle '${o.aisle}'; aisles are: ${catalog.aisles.map((a) => a.id).join(', ')}`,
      );
    await h.feeds.search;
    const personalised = o.personalised === true;
    return h.engine.search.search(
      {
        // Past MAX_QUERY_CHARS nothing more is read (the engine searches the first MAX_QUERY_WORDS words).
        query: query.slice(0, MAX_QUERY_CHARS),
        limit,
        personalised,
        ...(o.aisle ? { aisle: o.aisle } : {}),
        ...(o.category ? { category: o.category } : {}),
      },
      personalised ? await h.shopperEvents() : undefined,
    );
  },
  async ask(question, o = {}) {
    if (typeof question !== 'string' || !question.trim())
      throw new HushCartError('api/invalid-argument', 'ask needs the question as a non-empty string');
    const { catalog, log } = await h.loaded;
    if (o.itemId !== undefined && !catalog.get(o.itemId))
      throw new HushCartError('api/invalid-argument', `no item '${o.itemId}' in the catalog`);
    await h.feeds.search;
    const text = question.slice(0, MAX_QUESTION_CHARS);
    const r = await h.engine.assistant.ask({ question: text, ...(o.itemId ? { itemId: o.itemId } : {}) });
    // Kept on this device like a search (and not at all while recording is paused).
    if (h.shopper.recording)
      await log.record({ type: 'question', text, ...(o.itemId ? { itemId: o.itemId } : {}) }).catch(() => undefined);
    return r;
  },
});
