/**
 * One element's frame in the isolated mode: the element itself (./elements.ts, the same code as on a shop's page in
 * the same-origin mode), over the API the house frame beside it lends (./hub.ts). The shop's page tells it the
 * element's attributes and theme; it tells the page its height, the item a shopper picked and the click's
 * attribution, and nothing else.
 */
import { Attribution } from '../attribution';
import { defineElements } from '../elements';
import { MARK, isOurs, type FrameRole, type FromFrame, type ToFrame } from './messages';
import type { Hub, HubWindow } from './hub';

// No inner scrollbar ever: the frame grows with its content instead (its height is sent to the page). The body's
// padding is room for a card's focus ring (3px, offset 2px) inside the frame.
const FRAME_CSS = `html { overflow: hidden; }
html, body { margin: 0; padding: 0; background: transparent; }
body { padding: 5px; }`;

const ATTRIBUTE = /^[a-z][a-z0-9-]{0,40}$/;
const THEME = /^--hushcart-[a-z-]{1,40}$/;

/** The house frame beside this one (same origin: reachable), once it has started. */
function findHub(): Promise<Hub> {
  const since = Date.now();
  return new Promise((resolve, reject) => {
    const look = () => {
      for (let k = 0; k < parent.frames.length; k++) {
        try {
          const hub = (parent.frames[k] as HubWindow).__hushcartHub;
          if (hub) return resolve(hub);
        } catch {
          // a frame of another origin
        }
      }
      if (Date.now() - since > 60_000) reject(new Error('HushCart: the house frame did not start on this page'));
      else setTimeout(look, 20);
    };
    look();
  });
}

export function serveElement(role: Extract<FrameRole, { role: 'element' }>): void {
  const post = (m: FromFrame) => parent.postMessage(m, role.host);
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(FRAME_CSS);
  document.adoptedStyleSheets = [sheet];
  document.title = role.title;

  let element: HTMLElement | null = null;
  let attrs: Record<string, string> | null = null;
  const apply = () => {
    if (!element || !attrs) return;
    for (const a of [...element.attributes]) if (!(a.name in attrs)) element.removeAttribute(a.name);
    for (const [k, v] of Object.entries(attrs)) if (element.getAttribute(k) !== v) element.setAttribute(k, v);
  };

  addEventListener('message', (e: MessageEvent) => {
    if (e.source !== parent || e.origin !== role.host || !isOurs(e.data)) return;
    const m = e.data as ToFrame;
    if (m.kind !== 'attrs' || typeof m.attrs !== 'object' || typeof m.theme !== 'object') return;
    attrs = Object.fromEntries(
      Object.entries(m.attrs).filter(([k, v]) => ATTRIBUTE.test(k) && typeof v === 'string' && v.length <= 10_000),
    );
    for (const [k, v] of Object.entries(m.theme))
      if (THEME.test(k) && typeof v === 'string' && v.length <= 200) document.documentElement.style.setProperty(k, v);
    if (element) apply();
    else void start();
  });

  post({ mark: MARK, kind: 'hello' });

  // The shopper picked a card: the page decides where to go (its hushcart-select), not this frame.
  document.addEventListener('hushcart-select', (e) => {
    e.preventDefault();
    const { itemId, url } = (e as CustomEvent<{ itemId: string; url: string | null }>).detail;
    post({ mark: MARK, kind: 'select', itemId, url });
  });

  let hub: Promise<Hub> | null = null;
  const start = async () => {
    hub ??= findHub();
    let h: Hub;
    try {
      h = await hub;
    } catch (e) {
      document.body.textContent = e instanceof Error ? e.message : String(e);
      return;
    }
    if (element) return;
    defineElements({
      api: h.api,
      // Clicks only: telling the page that an item it sold had been in a personal list would tell it that list.
      attribution: new Attribution((detail) => {
        if (detail.action === 'click') post({ mark: MARK, kind: 'attribution', detail });
      }),
      control: h.control,
      arm: h.arm,
    });
    element = document.createElement(role.tag);
    apply();
    document.body.append(element);
  };

  // The frame's height follows its content.
  new ResizeObserver(() =>
    post({ mark: MARK, kind: 'size', height: Math.ceil(document.documentElement.getBoundingClientRect().height) }),
  ).observe(document.documentElement);
  // Leaving: the element stops following the house's events (its subscription lives in the house frame).
  addEventListener('pagehide', () => element?.remove());
}
