/**
 * The isolated mode's messages, between the shop's page and the widget's frames (both ways by `postMessage`, each
 * side checking the other's origin and window). What crosses is only what the page already knows or the shopper
 * chose: the page's calls (track, consent, item), an element's attributes and theme, a frame's height, the item a
 * shopper selected, the clicked card's attribution, and the models' progress. Nothing that reads the history, the
 * profile or a personal list has a message.
 */
import type { AttributionDetail } from '../attribution';

/** Every message carries this mark, so a page's other messages (its own, other libraries') are told apart. */
export const MARK = 'hushcart-isolated';

/** The page's calls into the house (the narrow API: api/types.ts IsolatedHushCartApi). */
export const PAGE_CALLS = ['track', 'consent', 'item'] as const;
export type PageCall = (typeof PAGE_CALLS)[number];

/** Page -> a frame. */
export type ToFrame =
  | { mark: typeof MARK; kind: 'call'; id: number; method: PageCall; args: unknown[] }
  /** An element's attributes (kind, item-id, limit, …) and the page's `--hushcart-*` values, whenever they change. */
  | { mark: typeof MARK; kind: 'attrs'; attrs: Record<string, string>; theme: Record<string, string> };

/** A frame -> the page. */
export type FromFrame =
  /** The house has its catalog and store (`hushcart-ready`), or cannot start (why). */
  | { mark: typeof MARK; kind: 'ready'; version: string }
  | { mark: typeof MARK; kind: 'failed'; message: string }
  | { mark: typeof MARK; kind: 'reply'; id: number; ok: true; value: unknown }
  | { mark: typeof MARK; kind: 'reply'; id: number; ok: false; error: { code?: string; message: string } }
  /** A model's state changed (`hushcart-progress`): no data of the shopper's, only which model and how far. */
  | {
      mark: typeof MARK;
      kind: 'progress';
      detail: { model: string; phase: string; fraction: number | null; message: string | null };
    }
  /** An element frame is listening: the page sends it the element's attributes and theme. */
  | { mark: typeof MARK; kind: 'hello' }
  /** The element frame's content height, so the frame grows with it (no inner scrollbar). */
  | { mark: typeof MARK; kind: 'size'; height: number }
  /** The shopper picked a card: the item's id and link (`hushcart-select` on the page's element). */
  | { mark: typeof MARK; kind: 'select'; itemId: string; url: string | null }
  /** The shopper clicked a card: where it was shown (`hushcart-attribution`, clicks only in this mode). */
  | { mark: typeof MARK; kind: 'attribution'; detail: AttributionDetail };

/** What a frame is told in its address (the fragment: never sent to a server). */
export type FrameRole =
  { role: 'hub'; host: string; options: unknown } | { role: 'element'; host: string; tag: string; title: string };

/** Whether a message's data is one of ours (a first check; each side then checks the fields it reads). */
export const isOurs = (data: unknown): data is { mark: typeof MARK; kind: string } =>
  typeof data === 'object' && data !== null && (data as { mark?: unknown }).mark === MARK;
