/**
 * A `<hushcart-*>` element on the shop's page in the isolated mode: a frame of the widget's origin in the page's
 * layout, as wide as the element and as tall as its content (the frame says its height), named by its heading, told
 * the element's attributes and `--hushcart-*` theme values; what the shopper picks is dispatched on the element.
 */
import { safeLinkUrl } from '../../shared/safe-url';
import type { AttributionDetail } from '../attribution';
import { CSS } from '../styles';
import { ELEMENT_ATTRIBUTES, KINDS, selectEvent, TITLES, type Kind } from '../element-table';
import { withListProperties } from '../list-properties';
import { MARK, type FrameRole, type FromFrame, type ToFrame } from './messages';

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

/** What an element frame's messages reach on the page. */
export interface Framed {
  /** The element's attributes and theme, to its frame (again when the page's theme changes). */
  send(): void;
  /** A message from this element's frame (its origin and window already checked). */
  receive(m: FromFrame): void;
}

export interface FramedContext {
  widgetOrigin: string;
  frameUrl: (role: FrameRole) => string;
  /** Why the widget refuses to run, or null: an element then says so instead of framing a list. */
  refused: () => Error | null;
  /** The elements by their frame's window (the page's message listener looks the sender up here). */
  frames: Map<Window, Framed>;
  sendAttribution: (detail: AttributionDetail) => void;
}

export function framedElementClass(ctx: FramedContext) {
  const { widgetOrigin, frames } = ctx;
  return class FramedElement extends withListProperties(HTMLElement) implements Framed {
    static observedAttributes = OBSERVED;
    private readonly frame = document.createElement('iframe');
    /** Whether the frame listens (its hello; a reloaded frame says it again): attributes sent before are lost. */
    private listening = false;

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(PROXY_CSS);
      root.adoptedStyleSheets = [sheet];
      const refused = ctx.refused();
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
      this.frame.src = ctx.frameUrl({ role: 'element', host: location.origin, tag, title: this.frame.title });
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

    receive(m: FromFrame): void {
      if (m.kind === 'hello') {
        this.listening = true;
        this.send();
      } else if (m.kind === 'size' && Number.isFinite(m.height) && m.height >= 0)
        this.frame.style.height = `${Math.ceil(Math.min(m.height, 20_000))}px`;
      else if (m.kind === 'select' && typeof m.itemId === 'string') {
        const url = typeof m.url === 'string' ? safeLinkUrl(m.url) : null;
        const go = this.dispatchEvent(selectEvent(m.itemId, url));
        if (go && url) location.assign(url);
      } else if (m.kind === 'attribution' && m.detail.action === 'click') ctx.sendAttribution(m.detail);
    }
  };
}
