/** Search (keyword and semantic over the catalog's index) and the shopping assistant's answers. */
import { HushCartError } from '../../errors';
import { AskArgs, MAX_QUESTION_CHARS } from '../../assistant/contract';
import { parseArgs } from '../../shared/args';
import { MAX_QUERY_CHARS, SearchArgs } from '../../search/contract';
import type { Methods } from './context';

export const searchApi: Methods<'search' | 'ask'> = (h) => ({
  async search(asked, options) {
    const [query, o] = parseArgs(SearchArgs, [asked, options]);
    const limit = o.limit;
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
  async ask(asked, options) {
    const [question, o] = parseArgs(AskArgs, [asked, options]);
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
