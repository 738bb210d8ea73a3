/**
 * The narrow `window.HushCart` of the isolated mode (IsolatedHushCartApi): track, consent, item, ready. Calls made
 * before the house frame has its catalog and store queue; then each goes as one message, answered by its id.
 */
import { API_VERSION, type IsolatedHushCartApi, type Item, type TrackEvent } from '../../api/types';
import { HushCartError, type ErrorCode } from '../../errors';
import { MARK, type FromFrame, type PageCall, type ToFrame } from './messages';

export interface PageApi {
  api: IsolatedHushCartApi;
  /** A message from the house frame (its origin and window already checked). */
  fromHub(m: FromFrame): void;
  /** Why the widget refuses to run (its options were bad, or the house failed), or null. */
  refused(): Error | null;
}

export function pageApi(hub: HTMLIFrameElement, widgetOrigin: string, refusedAtStart: Error | null): PageApi {
  let refused = refusedAtStart;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let queue: ToFrame[] | null = [];
  let resolveReady: () => void = () => undefined;
  let rejectReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => undefined); // said where it is asked for
  if (refused) rejectReady(refused);
  const call = (method: PageCall, args: unknown[]): Promise<unknown> => {
    if (refused) return Promise.reject(refused);
    const id = ++nextId;
    const message: ToFrame = { mark: MARK, kind: 'call', id, method, args };
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      if (queue) queue.push(message);
      else hub.contentWindow?.postMessage(message, widgetOrigin);
    });
  };
  const api: IsolatedHushCartApi = Object.freeze({
    version: API_VERSION,
    isolated: true as const,
    ready: () => ready,
    track: (event: TrackEvent) => call('track', [event]).then(() => undefined),
    consent: (granted: boolean) => call('consent', [granted]).then(() => undefined),
    item: (id: string) => call('item', [id]) as Promise<Item | null>,
  });

  const fromHub = (m: FromFrame) => {
    if (m.kind === 'ready') {
      const waiting = queue ?? [];
      queue = null;
      for (const q of waiting) hub.contentWindow?.postMessage(q, widgetOrigin);
      resolveReady();
      dispatchEvent(new CustomEvent('hushcart-ready', { detail: { version: API_VERSION, isolated: true } }));
    } else if (m.kind === 'failed') {
      refused = new Error(m.message);
      rejectReady(refused);
      for (const p of pending.values()) p.reject(refused);
      pending.clear();
      console.error(m.message);
    } else if (m.kind === 'reply') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (!p) return;
      if (m.ok) p.resolve(m.value);
      else
        p.reject(
          m.error.code ? new HushCartError(m.error.code as ErrorCode, m.error.message) : new Error(m.error.message),
        );
    } else if (m.kind === 'progress') dispatchEvent(new CustomEvent('hushcart-progress', { detail: m.detail }));
  };
  return { api, fromHub, refused: () => refused };
}
