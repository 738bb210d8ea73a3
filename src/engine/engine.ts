/**
 * The engine: owns tfjs, the active backend and every tensor. `createEngine()` builds the runtime
 * (../runtime/backend-runtime.ts: backend choice, a lost GPU device, jobs) and one host per capability
 * (`src/<capability>/host.ts`), and wires the ports between capabilities here, in one place: search asks the
 * recommender how much the shopper likes each item; the assistant reads the search index, the recommender's similar
 * items and the sentiment model; the recommender weighs items by review sentiment and compares them by their
 * pictures once those models serve. ./house.ts runs it in the engine worker; unit tests call it in-thread.
 */
import type { Engine } from './types';
import { setBackendLostCheck } from '../runtime/device-loss';
import { watchViolations } from '../runtime/requests';
import { BackendRuntime } from '../runtime/backend-runtime';
import { runtimeHost } from '../runtime/host';
import { HushCartError } from '../errors';
import { gunzip, isGzip } from '../catalog/fetch';
import { checkImport } from '../store/profile';
import { RecommendService } from '../recommend/service';
import { recommendHosts } from '../recommend/host';
import { SentimentService } from '../sentiment/service';
import { sentimentHost } from '../sentiment/host';
import { VisionService } from '../vision/service';
import { visionHost } from '../vision/host';
import { SearchService } from '../search/service';
import { searchHost } from '../search/host';
import { assistantHost } from '../assistant/host';

export function createEngine(): Engine {
  watchViolations();
  const rt = new BackendRuntime();
  setBackendLostCheck(() => rt.deviceLost);
  const recommendations = new RecommendService();
  const sentimentModel = new SentimentService();
  const vision = new VisionService();
  const searching = new SearchService();

  const { recommend, sequential } = recommendHosts(recommendations, rt);
  const scoreTexts = async (texts: string[]) => (await sentimentModel.analyze(texts)).map((r) => r.score);
  const assistant = assistantHost({
    packs: async () => (await recommendations.catalog()).packs,
    indexed: () => searching.ready,
    lookup: (words, o) => searching.lookup(words, o),
    knows: (t) => searching.knows(t),
    similar: async (itemId, limit) =>
      recommendations
        .recommend({ slot: 'similar', itemId, events: [], limit, diversity: 0, exclude: [] })
        .map((r) => r.itemId),
    sentiment: async (texts) => {
      try {
        return await scoreTexts(texts);
      } catch {
        return null; // not trained yet: the answers quote without sentiment
      }
    },
  });
  const search = searchHost(searching, rt, {
    catalog: () => recommendations.catalog(),
    built: () => assistant.reset(), // it reads the index: built again on its next question
  });
  return {
    runtime: {
      ...runtimeHost(rt),
      async checkModelsFile(bytes, catalogId) {
        const plain = isGzip(bytes) ? await gunzip(bytes) : bytes;
        // Events are refused below, so no item is looked up.
        const checked = await checkImport(new Blob([plain as BlobPart]), { catalogId, hasItem: () => true });
        if (checked.events.length)
          throw new HushCartError(
            'store/invalid-import',
            `a models file carries no shopper data, and this one has ${checked.events.length} events: ship the file that exportModels() writes`,
          );
        return checked.models;
      },
    },
    recommend,
    sequential,
    // The recommender weighs items by their reviews' sentiment once a sentiment model serves.
    sentiment: sentimentHost(sentimentModel, rt, { served: () => recommendations.useSentiment(scoreTexts) }),
    // Items with pictures are compared by how they look in the recommender too (their pack's item space).
    vision: visionHost(vision, rt, {
      imageVectors: (c) => recommendations.useImageVectors(c.itemIds, c.embeddings, c.dims),
    }),
    search: {
      ...search,
      // Personalised: the recommender's affinity for each candidate.
      search: (request, events) =>
        search.search(request, events ? (itemIds) => recommendations.affinity(events, itemIds) : undefined),
    },
    assistant: { ask: assistant.ask, evaluate: assistant.evaluate },
  };
}
