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
import { toPage } from '../attribution';
import type { WidgetOptions } from '../options';
import { ELEMENT_TAGS } from '../element-table';
import { isOurs, type FrameRole, type FromFrame } from './messages';
import { pageApi } from './page-api';
import { framedElementClass, type Framed } from './framed-element';
import type { IsolatedHushCartApi } from '../../api/types';

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
  const page = pageApi(hub, widgetOrigin, refused);
  (window as unknown as { HushCart: IsolatedHushCartApi }).HushCart = page.api;

  // The elements: each a frame, told its attributes and theme; it tells its height and what the shopper picked.
  const frames = new Map<Window, Framed>();
  const FramedElement = framedElementClass({
    widgetOrigin,
    frameUrl,
    refused: page.refused,
    frames,
    sendAttribution,
  });

  addEventListener('message', (e: MessageEvent) => {
    if (e.origin !== widgetOrigin || !isOurs(e.data) || !e.source) return;
    const m = e.data as FromFrame;
    if (e.source === hub.contentWindow) page.fromHub(m);
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
