/**
 * The isolated mode on the shop's page: the widget's script came from another origin (the shop's own for HushCart),
 * so the shopper's data stays there. This module is all the page gets:
 * - one hidden frame of the widget's origin, the house: the store, the catalog, the engine worker (./hub.ts);
 * - each `<hushcart-*>` element, a frame of that origin that renders the list inside it (./element-frame.ts),
 *   sized to its content, themed by the element's `--hushcart-*` values;
 * - a narrow `window.HushCart` (IsolatedHushCartApi): track, consent, item, ready. Nothing that reads the history,
 *   the profile, the taste or a personal list.
 * Every message is checked both ways: here, that it comes from the widget's origin and from the frame it claims.
 */
import { API_VERSION, type IsolatedHushCartApi, type Item, type TrackEvent } from '../../api/types';
import { HushCartError, type ErrorCode } from '../../errors';
import { safeLinkUrl } from '../../shared/safe-url';
import { toPage } from '../attribution';
import type { WidgetOptions } from '../options';
import { CSS } from '../styles';
import { ELEMENT_ATTRIBUTES, ELEMENT_TAGS, KINDS, TITLES, type Kind } from '../element-table';
import { MARK, isOurs, type FrameRole, type FromFrame, type PageCall, type ToFrame } from './messages';

/** The theme values an element hands its frame: every `--hushcart-*` the widget's stylesheet reads. */
export const THEME_VARIABLES = [...new Set(CSS.match(/--hushcart-[a-z-]+/g) ?? [])];

const PROXY_CSS = `:host { display: block; } :host([hidden]) { display: none; }
iframe { display: block; width: 100%; height: 4em; border: 0; background: transparent; }
.error { color: #a4262c; }`;

/** Every attribute an element reads, on any kind of element (each frame's element reads its own). */
const OBSERVED: string[] = [...new Set(Object.values(ELEMENT_ATTRIBUTES).flat())];

const frameTitle = (tag: string, heading: string | null, kind: string | null): string => {
  if (heading) return heading;
  if (tag === 'hushcart-search') return 'Search this shop';
  if (tag === 'hushcart-photo-search') return 'Search by photo';
  if (tag === 'hushcart-privacy') return 'Your data on this device';
  return (KINDS as readonly string[]).includes(kind ?? '') ? TITLES[kind as Kind] : TITLES['for-you'];
};

export function startIsolated(script: URL, read: () => WidgetOptions): void {
  const widgetOrigin = script.origin;
  const frameUrl = (role: FrameRole) => new URL(`frame.html#${encodeURIComponent(JSON.stringify(role))}`, script).href;
  let options: WidgetOptions | null = null;
  let refused: Error | null = null;
  try {
    options = read();
  } catch (e) {
    refused = e instanceof Error ? e : new Error(String(e));
    console.error(refused.message);
  }
  const sendAttribution = toPage(options?.dataLayer ?? false);

  // The house: one hidden frame for every element of the page (one worker, one database).
  const hub = document.createElement('iframe');
  if (options) {
    hub.hidden = true;
    hub.tabIndex = -1;
    hub.title = 'HushCart';
    hub.setAttribute('aria-hidden', 'true');
    hub.src = frameUrl({ role: 'hub', host: location.origin, options });
    (document.body ?? document.documentElement).append(hub);
  }

  // The narrow API: calls wait until the house has its catalog and store, then go one message each.
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
  (window as unknown as { HushCart: IsolatedHushCartApi }).HushCart = api;

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

  // The elements: each a frame, told its attributes and theme; it tells its height and what the shopper picked.
  const frames = new Map<Window, FramedElement>();
  class FramedElement extends HTMLElement {
    static observedAttributes = OBSERVED;
    private readonly frame = document.createElement('iframe');
    /** Whether the frame listens (its hello; a reloaded frame says it again): attributes sent before are lost. */
    private listening = false;

    // The properties the same-origin elements reflect (`el.itemId = 'sku-9'`), here too: each sets its attribute.
    get kind(): string {
      return this.getAttribute('kind') ?? 'for-you';
    }
    set kind(v: string) {
      this.setAttribute('kind', v);
    }
    get itemId(): string | null {
      return this.getAttribute('item-id');
    }
    set itemId(v: string | null) {
      if (v === null) this.removeAttribute('item-id');
      else this.setAttribute('item-id', v);
    }
    get limit(): number {
      const n = Number(this.getAttribute('limit') ?? 8);
      return Number.isInteger(n) && n >= 1 && n <= 50 ? n : 8;
    }
    set limit(v: number) {
      this.setAttribute('limit', String(v));
    }
    get aisle(): string | null {
      return this.getAttribute('aisle');
    }
    set aisle(v: string | null) {
      if (v === null) this.removeAttribute('aisle');
      else this.setAttribute('aisle', v);
    }

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(PROXY_CSS);
      root.adoptedStyleSheets = [sheet];
      if (refused) {
        const p = document.createElement('p');
        p.className = 'error';
        p.setAttribute('role', 'alert');
        p.textContent = refused.message;
        root.append(p);
        return;
      }
      const tag = this.localName;
      this.frame.title = frameTitle(tag, this.getAttribute('heading'), this.getAttribute('kind'));
      this.frame.src = frameUrl({ role: 'element', host: location.origin, tag, title: this.frame.title });
      root.append(this.frame);
    }

    connectedCallback(): void {
      if (this.frame.contentWindow) frames.set(this.frame.contentWindow, this);
    }

    disconnectedCallback(): void {
      if (this.frame.contentWindow) frames.delete(this.frame.contentWindow);
    }

    attributeChangedCallback(): void {
      this.frame.title = frameTitle(this.localName, this.getAttribute('heading'), this.getAttribute('kind'));
      this.send();
    }

    /** The element's attributes and theme, to its frame (again when the page's theme changes). */
    send(): void {
      const target = this.frame.contentWindow;
      if (!target || !this.listening) return;
      const style = getComputedStyle(this);
      const theme: Record<string, string> = {};
      for (const name of THEME_VARIABLES) {
        const v = style.getPropertyValue(name).trim();
        if (v) theme[name] = v;
      }
      const attrs: Record<string, string> = {};
      for (const a of this.attributes) if (OBSERVED.includes(a.name)) attrs[a.name] = a.value;
      const message: ToFrame = { mark: MARK, kind: 'attrs', attrs, theme };
      target.postMessage(message, widgetOrigin);
    }

    /** A message from this element's frame. */
    receive(m: FromFrame): void {
      if (m.kind === 'hello') {
        this.listening = true;
        this.send();
      } else if (m.kind === 'size' && Number.isFinite(m.height) && m.height >= 0)
        this.frame.style.height = `${Math.ceil(Math.min(m.height, 20_000))}px`;
      else if (m.kind === 'select' && typeof m.itemId === 'string') {
        const url = typeof m.url === 'string' ? safeLinkUrl(m.url) : null;
        const go = this.dispatchEvent(
          new CustomEvent('hushcart-select', {
            bubbles: true,
            composed: true,
            cancelable: true,
            detail: { itemId: m.itemId, url },
          }),
        );
        if (go && url) location.assign(url);
      } else if (m.kind === 'attribution' && m.detail.action === 'click') sendAttribution(m.detail);
    }
  }

  addEventListener('message', (e: MessageEvent) => {
    if (e.origin !== widgetOrigin || !isOurs(e.data) || !e.source) return;
    const m = e.data as FromFrame;
    if (e.source === hub.contentWindow) fromHub(m);
    else frames.get(e.source as Window)?.receive(m);
  });
  for (const tag of ELEMENT_TAGS)
    if (!customElements.get(tag)) customElements.define(tag, class extends FramedElement {});
  // The page's theme may change without an element's attribute changing (a dark-mode class on <html>, a stylesheet
  // swapped): each frame is told its element's values again.
  const retheme = () => {
    for (const element of new Set(frames.values())) element.send();
  };
  new MutationObserver(retheme).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['class', 'style', 'data-theme'],
    subtree: false,
  });
  if (document.body)
    new MutationObserver(retheme).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', retheme);
}
