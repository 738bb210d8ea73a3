/** The assistant's plain types: what `HushCart.ask` takes and returns. No tfjs, no DOM. */
import { z } from '../shared/zod';
import { options } from '../shared/args';

export const ASSISTANT_INTENTS = [
  'similar',
  'product-question',
  'opinions',
  'compare',
  'price-range',
  'unsupported',
] as const;
export type AssistantIntent = (typeof ASSISTANT_INTENTS)[number];

export interface AskRequest {
  question: string;
  /** The item the shopper is looking at ("is this coffee bitter?" on its page). */
  itemId?: string;
}

export interface Evidence {
  itemId: string;
  /** 'review': a sentence quoted from its reviews; 'fact': what the catalog says of it (price, year, category). */
  kind: 'review' | 'fact';
  /** A sentence quoted from the item's reviews, or a fact from the catalog. */
  text: string;
  /** P(positive) of a quoted review sentence, when the sentiment model is ready. */
  sentiment?: number;
}

export interface AskResponse {
  /** What the question was taken to be, with the classifier's confidence (null: not understood). */
  intent: { name: AssistantIntent; confidence: number } | null;
  /** Whether the answer comes from the catalog; false: the assistant says it does not know, and why. */
  known: boolean;
  answer: string;
  items: string[];
  evidence: Evidence[];
}

/** A question longer than this is cut (what the assistant reads of it). */
export const MAX_QUESTION_CHARS = 500;

/** `ask()`'s arguments as the house checks them first (the item is looked up in the catalog after). */
export const AskArgs = z.tuple([
  z
    .string({ error: 'ask needs the question as a non-empty string' })
    .refine((q) => q.trim() !== '', { error: 'ask needs the question as a non-empty string' }),
  options({ itemId: z.string({ error: 'itemId must be a string' }).optional() }, 'ask'),
]);
