/**
 * The widget's custom elements, without React: `<hushcart-recs>`, `<hushcart-search>`, `<hushcart-photo-search>`
 * and `<hushcart-privacy>`. Each renders into its own shadow root, from the shared `window.HushCart` (one engine worker
 * and one database for every element of the page), with a loading, an empty and an error state of its own. Catalog
 * strings are set as text, never as markup.
 */
import { withoutConsent, type HushCartApi, type MerchRule, type RecommendedItem } from '../api/types';
import type { Arm, Attribution } from './attribution';
import { styleSheet } from './styles';
import { ELEMENT_ATTRIBUTES, EMPTY, selectEvent, TITLES, type ElementTag, type Kind } from './element-table';
import { formatPrice } from '../catalog/price';
import { safeLinkUrl } from '../shared/safe-url';
import { withListProperties } from './list-properties';

export interface WidgetHost {
  /** The API, once its chunk has loaded (rejects with why it cannot start). */
  api: Promise<HushCartApi>;
  /** What was shown where, for the attribution events. */
  attribution: Attribution;
  /** The shop's experiment: the list the control arm sees instead (`data-control`), or null without one. */
  control: Kind | null;
  /** This device's arm of the shop's experiment (null without one). */
  arm: Promise<Arm | null>;
}

/** Builds an element with text (never HTML) and attributes. */
function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  o: { text?: string; cls?: string; part?: string; attrs?: Record<string, string> } = {},
  ...children: (Node | null)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (o.text !== undefined) e.textContent = o.text;
  if (o.cls) e.className = o.cls;
  if (o.part) e.setAttribute('part', o.part);
  for (const [k, v] of Object.entries(o.attrs ?? {})) e.setAttribute(k, v);
  for (const c of children) if (c) e.append(c);
  return e;
}

// Not instanceof: in the isolated mode an error comes from the house frame's realm, whose Error is another.
const message = (e: unknown) =>
  typeof (e as { message?: unknown } | null)?.message === 'string' ? (e as Error).message : String(e);

abstract class HushCartElement extends HTMLElement {
  protected readonly root: ShadowRoot;
  private visible = false;
  private observer: IntersectionObserver | null = null;
  private unsubscribe: (() => void) | null = null;
  private renderTicket = 0;

  constructor(protected readonly host: WidgetHost) {
    super();
    this.root = this.attachShadow({ mode: 'open' });
    this.root.adoptedStyleSheets = [styleSheet()];
  }

  connectedCallback(): void {
    this.state('Loading…');
    // Lazy: rendered when it comes near the viewport.
    this.observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((e) => e.isIntersecting) || this.visible) return;
        this.visible = true;
        this.observer?.disconnect();
        void this.refresh();
        void this.host.api.then((api) => {
          if (this.isConnected && this.followsEvents) this.unsubscribe = api.subscribe(() => void this.refresh());
        });
      },
      { rootMargin: '200px' },
    );
    this.observer.observe(this);
  }

  disconnectedCallback(): void {
    this.observer?.disconnect();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.visible = false;
  }

  attributeChangedCallback(): void {
    if (this.visible) void this.refresh();
  }

  /** Whether it renders again after each recorded event (For you does; a photo search does not). */
  protected get followsEvents(): boolean {
    return true;
  }

  protected abstract render(api: HushCartApi): Promise<Node[]>;

  protected async refresh(): Promise<void> {
    const ticket = ++this.renderTicket;
    try {
      // Not api.ready(): that waits for the engine's backend probe, which nothing an element first shows needs.
      const api = await this.host.api;
      const nodes = await this.render(api);
      if (ticket === this.renderTicket) this.root.replaceChildren(...nodes);
    } catch (e) {
      if (ticket === this.renderTicket) this.state(message(e), true);
    }
  }

  protected state(text: string, error = false): void {
    this.root.replaceChildren(
      el('p', { text, cls: error ? 'state error' : 'state', attrs: error ? { role: 'alert' } : { role: 'status' } }),
    );
  }

  /** Cards for items: a click dispatches `hushcart-select` and follows the item's url unless the host cancels. */
  protected cards(api: HushCartApi, items: { itemId: string; reason?: string }[], label: string): HTMLElement {
    const list = el('ul', { cls: 'cards', attrs: { 'aria-label': label } });
    for (const { itemId, reason } of items) {
      const item = api.catalog.get(itemId);
      if (!item) continue;
      // Checked again where it becomes a link (the pack's loader already dropped any that is not http(s)).
      const url = item.url ? safeLinkUrl(item.url, location.href) : null;
      const picture = item.image && 'url' in item.image ? item.image.url : null;
      // In the host page's language (the schema's currency codes are well-formed, so Intl always formats them).
      const price = formatPrice(item, navigator.language);
      const card = el(
        'a',
        { cls: 'card', part: 'card', attrs: { href: url ?? '#', 'data-item-id': item.id } },
        picture
          ? el('img', { cls: 'image', part: 'image', attrs: { src: picture, alt: '', loading: 'lazy' } })
          : el('span', {
              cls: 'image placeholder',
              part: 'image',
              text: [...item.title][0] ?? '?',
              attrs: { 'aria-hidden': 'true' },
            }),
        el('span', { cls: 'item-title', part: 'title', text: item.title }),
        price ? el('span', { cls: 'price', part: 'price', text: price }) : null,
        reason ? el('span', { cls: 'reason', part: 'reason', text: reason }) : null,
      );
      card.addEventListener('click', (e) => {
        e.preventDefault();
        const go = this.dispatchEvent(selectEvent(item.id, url));
        this.host.attribution.emit('click', item.id);
        void api.track({ type: 'click', itemId: item.id }).catch(() => undefined);
        if (go && url && safeLinkUrl(url)) location.assign(url);
      });
      list.append(el('li', {}, card));
    }
    return list;
  }
}

/**
 * `<hushcart-recs kind="for-you|similar|fbt|next" item-id="…" limit="8" aisle="…" category="…" min-price="…"
 * max-price="…">`
 */
export class RecsElement extends withListProperties(HushCartElement) {
  static observedAttributes = [...ELEMENT_ATTRIBUTES['hushcart-recs']];

  protected async render(api: HushCartApi): Promise<Node[]> {
    const kind = this.kind;
    const heading = this.getAttribute('heading') ?? TITLES[kind];
    if ((kind === 'similar' || kind === 'fbt') && !this.itemId)
      return [el('p', { cls: 'state error', text: `<hushcart-recs kind="${kind}"> needs an item-id attribute` })];
    const price = (name: string) => {
      const v = this.getAttribute(name);
      return v === null || v.trim() === '' ? undefined : Number(v);
    };
    const [minPrice, maxPrice] = [price('min-price'), price('max-price')];
    // This element's own rules (JSON, as in the pack: pin, boost, bury, exclude), checked by recommend() like a call's.
    let rules: MerchRule[] = [];
    const rulesAttribute = this.getAttribute('rules');
    if (rulesAttribute !== null && rulesAttribute.trim() !== '') {
      try {
        rules = JSON.parse(rulesAttribute) as MerchRule[];
      } catch (e) {
        return [
          el('p', {
            cls: 'state error',
            text: `<hushcart-recs rules> is not JSON (${e instanceof Error ? e.message : String(e)}): write it as in the pack, e.g. [{"action":"bury","category":"Lamps"}]`,
          }),
        ];
      }
    }
    // The shop's experiment: a device in the control arm sees the shop's non-personal list instead (popular where
    // it is empty), in the category of the item on screen when there is one.
    const arm = await this.host.arm;
    const control = arm === 'control' ? (this.host.control as Kind) : null;
    const category =
      this.getAttribute('category') ?? (control && this.itemId ? api.catalog.get(this.itemId)?.category : null);
    const recs: RecommendedItem[] = await api.recommend({
      slot: control ?? kind,
      limit: this.limit,
      ...(this.itemId && !control ? { itemId: this.itemId } : {}),
      ...(control ? { fallback: ['popular'] as const } : {}),
      ...(rules.length || (control && this.itemId)
        ? {
            rules: [...rules, ...(control && this.itemId ? [{ action: 'exclude' as const, itemId: this.itemId }] : [])],
          }
        : {}),
      ...(this.aisle ? { aisle: this.aisle } : {}),
      ...(category ? { category } : {}),
      ...(minPrice !== undefined ? { minPrice } : {}),
      ...(maxPrice !== undefined ? { maxPrice } : {}),
    });
    this.host.attribution.noteShown(
      recs.map((r) => r.itemId),
      { slot: kind, arm, model: control ? `control:${control}` : kind },
    );
    const title = el('p', { cls: 'title', part: 'heading', text: heading });
    if (!recs.length) return [title, el('p', { cls: 'state', text: EMPTY[kind] })];
    return [
      title,
      this.cards(
        api,
        recs.map((r) => ({ itemId: r.itemId, reason: r.reasons[0] ?? '' })),
        heading,
      ),
    ];
  }
}

/** `<hushcart-photo-search limit="8">`: a shopper's photo, read on the device, to the items that look like it. */
export class PhotoSearchElement extends HushCartElement {
  static observedAttributes = [...ELEMENT_ATTRIBUTES['hushcart-photo-search']];
  private results: Node | null = null;

  protected override get followsEvents(): boolean {
    return false;
  }

  protected async render(api: HushCartApi): Promise<Node[]> {
    const capability = (await api.status()).capabilities['photo-search'];
    if (!capability.available && !capability.loading)
      return [
        el('p', { cls: 'state', text: `Search by photo is not available for this shop: ${capability.reason ?? ''}` }),
      ];
    const input = el('input', { attrs: { type: 'file', accept: 'image/*' } });
    const label = el('label', { cls: 'row' }, el('span', { text: 'Find items like a photo' }), input);
    const out = el('div', { attrs: { 'aria-live': 'polite' } });
    if (this.results) out.append(this.results);
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return;
      out.replaceChildren(el('p', { cls: 'state', text: 'Reading your photo on this device…' }));
      const limit = Number(this.getAttribute('limit') ?? 8) || 8;
      api.searchImage(file, { limit }).then(
        (r) => {
          this.results = el(
            'div',
            {},
            el('p', { cls: 'state', text: `Looks like: ${r.category} (${Math.round(r.confidence * 100)}%)` }),
            this.cards(
              api,
              r.results.map((m) => ({ itemId: m.itemId })),
              'Items that look like your photo',
            ),
          );
          out.replaceChildren(this.results);
        },
        (e: unknown) =>
          out.replaceChildren(el('p', { cls: 'state error', text: message(e), attrs: { role: 'alert' } })),
      );
    });
    return [
      el('p', { cls: 'title', part: 'heading', text: 'Search by photo' }),
      el('p', { cls: 'state', text: 'Your photo is read on this device and never uploaded or stored.' }),
      label,
      out,
    ];
  }
}

/** `<hushcart-search limit="8" placeholder="…">`: search the shop's catalog as you type, on the device. */
export class SearchElement extends HushCartElement {
  static observedAttributes = [...ELEMENT_ATTRIBUTES['hushcart-search']];
  private query = '';

  protected override get followsEvents(): boolean {
    return false;
  }

  protected async render(api: HushCartApi): Promise<Node[]> {
    const input = el('input', {
      attrs: {
        type: 'search',
        'aria-label': 'Search this shop',
        placeholder: this.getAttribute('placeholder') ?? 'Search this shop',
        maxlength: '1000',
        autocomplete: 'off',
      },
    });
    input.value = this.query;
    const out = el('div', { attrs: { 'aria-live': 'polite' } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let ticket = 0;
    const run = () => {
      const q = input.value;
      this.query = q;
      const mine = ++ticket;
      if (!q.trim()) return out.replaceChildren();
      const limit = Number(this.getAttribute('limit') ?? 8) || 8;
      api.search(q, { limit }).then(
        (r) => {
          if (mine !== ticket) return;
          out.replaceChildren(
            el('p', {
              cls: 'state',
              text: r.results.length
                ? `${r.total} matches${r.corrected ? ` for “${r.corrected}”` : ''}`
                : 'Nothing in this shop matches.',
            }),
            this.cards(
              api,
              r.results.map((x) => ({ itemId: x.itemId })),
              'Search results',
            ),
          );
        },
        (e: unknown) =>
          out.replaceChildren(el('p', { cls: 'state error', text: message(e), attrs: { role: 'alert' } })),
      );
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    if (this.query) run();
    return [input, out];
  }
}

/** `<hushcart-privacy>`: what is stored on this device, export, delete, pause recording, how long it is kept. */
export class PrivacyElement extends HushCartElement {
  private confirming = false;

  protected async render(api: HushCartApi): Promise<Node[]> {
    const [s, { storedInMemory, consent }, interests] = await Promise.all([
      api.storage(),
      api.status(),
      api.interests(),
    ]);
    const storesNothing = withoutConsent(consent);
    const byType = Object.entries(s.events.byType)
      .map(([t, n]) => `${n} ${t}`)
      .join(', ');
    const facts = el(
      'ul',
      { cls: 'facts' },
      el('li', {
        text: s.events.count
          ? `${s.events.count} events (${byType}), in this browser only.`
          : 'No activity stored yet.',
      }),
      el('li', { text: `${s.models.length + s.generalModels.length} models trained on this device.` }),
      el('li', { text: 'Nothing is ever sent to the shop or anyone else: recommendations are computed here.' }),
    );
    // How long activity is kept: the shop's proposal, or shorter if the shopper says so.
    const keep = el(
      'select',
      { attrs: { 'aria-label': 'Keep my activity for' } },
      ...[7, 30, 90, 365]
        .filter((d) => d < s.retention.shopDays)
        .concat(s.retention.shopDays)
        .map((d) =>
          el('option', {
            text: d === s.retention.shopDays ? `${d} days (the shop's choice)` : `${d} days`,
            attrs: { value: String(d) },
          }),
        ),
    );
    keep.value = String(s.retention.days);
    keep.addEventListener('change', () => {
      const days = Number(keep.value);
      void api.setRetention(days === s.retention.shopDays ? null : days).then(() => this.refresh());
    });
    // What the shopper's lists lean to, each removable.
    const leanings = interests.length
      ? el(
          'ul',
          { cls: 'interests' },
          ...interests.slice(0, 5).map((i) => {
            const less = el('button', {
              text: i.hidden ? `Show ${i.category} as before` : `Show me less of ${i.category}`,
              attrs: { type: 'button' },
            });
            less.addEventListener(
              'click',
              () => void api.setInterest(i.category, !i.hidden).then(() => this.refresh()),
            );
            return el(
              'li',
              {},
              el('span', {
                text: i.hidden ? `${i.category} (shown less) ` : `${i.category}: ${Math.round(i.weight * 100)}% `,
              }),
              less,
            );
          }),
        )
      : null;
    const pause = el('input', { attrs: { type: 'checkbox' } });
    pause.checked = s.recording;
    pause.disabled = storesNothing; // nothing is recorded until the shopper agrees (the shop's consent banner)
    pause.addEventListener('change', () => void api.setRecording(pause.checked).then(() => this.refresh()));
    const exportButton = el('button', { text: 'Export my data', attrs: { type: 'button' } });
    exportButton.addEventListener('click', () => {
      void api.exportData().then((blob) => {
        const a = el('a', { attrs: { href: URL.createObjectURL(blob), download: 'hushcart-data.json' } });
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      });
    });
    const del = el('button', {
      text: this.confirming ? 'Really delete everything stored here?' : 'Delete my data',
      cls: this.confirming ? 'primary' : '',
      attrs: { type: 'button' },
    });
    del.addEventListener('click', () => {
      if (!this.confirming) {
        this.confirming = true;
        void this.refresh();
        return;
      }
      this.confirming = false;
      void api.deleteData().then(() => this.refresh());
    });
    const memory = storesNothing
      ? el('p', {
          cls: 'state',
          attrs: { 'data-consent': consent },
          text:
            consent === 'pending'
              ? 'Waiting for your consent on this site: nothing is stored or learned about you until you accept, and the lists here are not personal.'
              : 'You declined: nothing is stored or learned about you on this site, and the lists here are not personal.',
        })
      : storedInMemory
        ? el('p', {
            cls: 'state',
            attrs: { 'data-memory': 'true' },
            text: 'This browser does not let this page store anything, so nothing will be kept: your activity shapes what you see on this page only, and is gone when you leave.',
          })
        : null;
    // Storage ran out: what gave way or did not fit (events come first), and a way to free the rest.
    const notKept = s.notKept.length
      ? el(
          'div',
          { cls: 'state', attrs: { role: 'status', 'data-not-kept': String(s.notKept.length) } },
          el('p', {
            text: 'This browser gave the site too little space to keep everything. Your activity is kept first; not kept:',
          }),
          el('ul', {}, ...s.notKept.map((n) => el('li', { text: `${n.what}: ${n.why}.` }))),
        )
      : null;
    const free = el('button', { text: 'Free space (delete models and caches)', attrs: { type: 'button' } });
    free.addEventListener('click', () => {
      void Promise.all([api.deleteData('caches'), api.deleteData('models')]).then(() => this.refresh());
    });
    return [
      el('p', { cls: 'title', part: 'heading', text: 'Your data on this device' }),
      ...(memory ? [memory] : []),
      ...(notKept ? [notKept, el('div', { cls: 'row' }, free)] : []),
      facts,
      ...(leanings ? [el('p', { text: 'Your interests, from your activity here:' }), leanings] : []),
      el('label', { cls: 'row' }, pause, el('span', { text: 'Record my activity on this device' })),
      el('label', { cls: 'row' }, el('span', { text: 'Keep my activity for' }), keep),
      el('div', { cls: 'row' }, exportButton, del),
    ];
  }
}

/** Registers the elements (once per page, whatever else defined them). */
export function defineElements(host: WidgetHost): void {
  const define = (name: string, c: new (h: WidgetHost) => HTMLElement) => {
    if (customElements.get(name)) return;
    customElements.define(
      name,
      class extends (c as unknown as new (h: WidgetHost) => HTMLElement) {
        constructor() {
          super(host);
        }
      },
    );
  };
  const classes: Record<ElementTag, new (h: WidgetHost) => HTMLElement> = {
    'hushcart-recs': RecsElement,
    'hushcart-search': SearchElement,
    'hushcart-photo-search': PhotoSearchElement,
    'hushcart-privacy': PrivacyElement,
  };
  for (const [tag, c] of Object.entries(classes)) define(tag, c);
}
