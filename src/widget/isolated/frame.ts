/**
 * The entry of `frame.html`, a page of the widget's own origin framed by the shop's page in the isolated mode. Its
 * address says which frame it is: the house (./hub.ts) or one element (./element-frame.ts), and the shop page's
 * origin, the only one it talks to. A frame whose parent is not of that origin (where the browser can say) refuses to
 * start. An element's code is imported with this entry (six of a page's seven frames are elements: one module graph,
 * fetched at once); the house's loads only in its frame.
 */
import { ELEMENT_TAGS } from '../element-table';
import { serveElement } from './element-frame';
import type { FrameRole } from './messages';

/**
 * The role in the address, checked by hand: zod (87 kB) would load in every element's frame for four fields (the
 * house frame checks its options with it, ./hub.ts).
 */
function readRole(): FrameRole {
  const raw = JSON.parse(decodeURIComponent(location.hash.slice(1))) as Record<string, unknown>;
  const text = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;
  if (!text(raw.host, 2000)) throw new Error('HushCart: this frame was not told its page');
  const host = new URL(raw.host).origin;
  const parentOrigin = location.ancestorOrigins?.[0];
  if (parent === window) throw new Error('HushCart: this page is a frame of a shop page, not a page of its own');
  if (parentOrigin !== undefined && parentOrigin !== host)
    throw new Error(`HushCart: framed by ${parentOrigin}, not by the page that asked (${host})`);
  if (raw.role === 'hub') return { role: 'hub', host, options: raw.options };
  if (raw.role === 'element' && (ELEMENT_TAGS as unknown[]).includes(raw.tag) && text(raw.title))
    return { role: 'element', host, tag: raw.tag as string, title: raw.title };
  throw new Error('HushCart: this frame was not told what it is');
}

try {
  const role = readRole();
  if (role.role === 'hub') void import('./hub').then((m) => m.serveHub(role));
  else serveElement(role);
} catch (e) {
  document.body.textContent = e instanceof Error ? e.message : String(e);
}
