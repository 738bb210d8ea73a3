/**
 * The search capability's host in the engine: the catalog indexed (or the index this device kept, loaded), a
 * query answered, and the known-item evaluation. `ports`: the loaded catalog (the packs and word vectors the
 * recommendation side read once), how much the shopper's profile likes each item (personalised order), and a note
 * that the index was built again (the assistant reads it).
 */
import type { Pack } from '../catalog/schema';
import type { BackendRuntime } from '../runtime/backend-runtime';
import type { ProgressCallback } from '../runtime/types';
import type { WordVectors } from '../shared/word-vectors';
import type { SearchIndexInfo, SearchRequest, SearchResponse } from './contract';
import { evaluateSearch, type SearchEvaluation } from './evaluate';
import { searchItems, type SearchService } from './service';

export interface SearchHost {
  /** Indexes the loaded catalog; `saved`: a keyword index this device kept. */
  build(saved?: Uint8Array): Promise<SearchIndexInfo & { bytes?: Uint8Array }>;
  /** Keyword + semantic search with typo tolerance, intent and facets; `affinity` personalises the order. */
  search(request: SearchRequest, affinity?: (itemIds: string[]) => number[]): Promise<SearchResponse>;
  /** Keyword, semantic and fused rankings per aisle and query kind. */
  evaluate(jobId: string, onProgress?: ProgressCallback): Promise<SearchEvaluation>;
}

export interface SearchPorts {
  catalog: () => Promise<{ packs: Pack[]; words: WordVectors | null }>;
  built: () => void;
}

export function searchHost(service: SearchService, rt: BackendRuntime, ports: SearchPorts): SearchHost {
  return {
    async build(saved) {
      const { packs, words } = await ports.catalog();
      ports.built();
      return service.build(searchItems(packs), words, saved);
    },
    search: async (request, affinity) => service.search(request, affinity),
    evaluate: async (jobId, onProgress) =>
      rt.job(jobId, async (signal) => {
        const { packs } = await ports.catalog();
        return evaluateSearch(service, searchItems(packs), {
          signal,
          onProgress: (fraction) => onProgress?.({ jobId, fraction, message: 'running the search queries' }),
        });
      }),
  };
}
