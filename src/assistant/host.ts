/**
 * The shopping assistant's host in the engine: built on first use over the loaded catalog (and again after the
 * search index is), it answers a question, and its intents and answers are evaluated. `ports`: the catalog's packs,
 * the search index's lookups, similar items and review sentiment (AssistantPorts), wired in the engine.
 */
import type { Pack } from '../catalog/schema';
import { HushCartError } from '../errors';
import type { AskRequest, AskResponse } from './contract';
import { evaluateAssistant, type AssistantEvaluation } from './evaluate';
import { AssistantService, assistantItems, type AssistantPorts } from './service';

export interface AssistantHost {
  /** A question (and the item it is asked on) to a retrieval-based answer. */
  ask(request: AskRequest): Promise<AskResponse>;
  /** Intent accuracy on the held-out questions; answerability on the demo store's questions. */
  evaluate(): Promise<AssistantEvaluation>;
  /** The search index was built again: the assistant is built again on its next question. */
  reset(): void;
}

export interface AssistantHostPorts extends AssistantPorts {
  packs: () => Promise<Pack[]>;
  /** Whether the search index is built (the assistant reads it). */
  indexed: () => boolean;
}

export function assistantHost(ports: AssistantHostPorts): AssistantHost {
  let assistant: Promise<AssistantService> | null = null;
  const service = (): Promise<AssistantService> => {
    assistant ??= (async () => {
      const packs = await ports.packs();
      if (!ports.indexed())
        throw new HushCartError('api/not-ready', 'the assistant needs the search index: build it first');
      return new AssistantService(assistantItems(packs), ports);
    })();
    assistant.catch(() => (assistant = null));
    return assistant;
  };
  return {
    ask: async (request) => (await service()).ask(request),
    evaluate: async () => evaluateAssistant(await service()),
    reset: () => (assistant = null),
  };
}
