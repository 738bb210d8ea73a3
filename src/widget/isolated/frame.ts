/**
 * The entry of `frame.html`, a page of the widget's own origin framed by the shop's page in the isolated mode. Its
 * address says which frame it is: the house (./hub.ts) or one element (./element-frame.ts), and the shop page's
 * origin, the only one it talks to. A frame whose parent is not of that origin (where the browser can say) refuses to
 * start.
 */
import { z } from '../../shared/zod';
import { ELEMENT_TAGS, type FrameRole } from './messages';

const RoleSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('hub'), host: z.url(), options: z.unknown() }),
  z.object({ role: z.literal('element'), host: z.url(), tag: z.enum(ELEMENT_TAGS), title: z.string().max(200) }),
]);

function readRole(): FrameRole {
  const role = RoleSchema.parse(JSON.parse(decodeURIComponent(location.hash.slice(1))));
  const host = new URL(role.host).origin;
  const parentOrigin = location.ancestorOrigins?.[0];
  if (parent === window) throw new Error('HushCart: this page is a frame of a shop page, not a page of its own');
  if (parentOrigin !== undefined && parentOrigin !== host)
    throw new Error(`HushCart: framed by ${parentOrigin}, not by the page that asked (${host})`);
  return { ...role, host };
}

try {
  const role = readRole();
  if (role.role === 'hub') void import('./hub').then((m) => m.serveHub(role));
  else void import('./element-frame').then((m) => m.serveElement(role));
} catch (e) {
  document.body.textContent = e instanceof Error ? e.message : String(e);
}
