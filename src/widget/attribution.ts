/**
 * Measuring uplift without sending anything: the widget remembers which item it showed where (slot, position, the
 * device's experiment arm, the list's model), and when the shopper clicks a card, or the host reports an add to cart
 * or a purchase of a shown item with `track()`, it dispatches `hushcart-attribution` on `window` (and, with
 * `data-datalayer`, pushes the same to `window.dataLayer`). The shop's own analytics, already on its page, take it
 * from there; HushCart itself sends nothing.
 */
export type Arm = 'treatment' | 'control';

export interface Shown {
  slot: string;
  position: number;
  arm: Arm | null;
  /** What made the list: the slot's own model, or `control:<slot>` in the control arm. */
  model: string;
}

export interface AttributionDetail extends Shown {
  itemId: string;
  action: 'click' | 'add-to-cart' | 'purchase';
}

export class Attribution {
  private readonly shown = new Map<string, Shown>();

  constructor(private readonly dataLayer: boolean) {}

  /** The items of a list as shown, in order (an item shown again takes its latest place). */
  noteShown(itemIds: string[], list: Omit<Shown, 'position'>): void {
    itemIds.forEach((itemId, k) => this.shown.set(itemId, { ...list, position: k + 1 }));
  }

  /** Says that the shopper acted on a shown item (nothing for an item no list showed). */
  emit(action: AttributionDetail['action'], itemId: string): void {
    const shown = this.shown.get(itemId);
    if (!shown) return;
    const detail: AttributionDetail = { ...shown, itemId, action };
    dispatchEvent(new CustomEvent('hushcart-attribution', { detail }));
    if (this.dataLayer) {
      const w = window as unknown as { dataLayer?: unknown[] };
      (w.dataLayer ??= []).push({ event: 'hushcart-attribution', ...detail });
    }
  }
}
