/**
 * Measuring uplift without sending anything: the widget remembers which item it showed where (slot, position, the
 * device's experiment arm, the list's model), and when the shopper clicks a card, or the host reports an add to cart
 * or a purchase of a shown item with `track()`, it dispatches `hushcart-attribution` on `window` (and, with
 * `data-datalayer`, pushes the same to `window.dataLayer`). The shop's own analytics, already on its page, take it
 * from there; HushCart itself sends nothing.
 */
export type Arm = 'treatment' | 'control';

/**
 * This device's arm of the shop's experiment, read once from the house's status (null without an experiment, or if
 * the store cannot say). The same-origin widget and the isolated mode's house frame both ask it so.
 */
export function deviceArm(
  api: Promise<{ status(): Promise<{ experiment: { arm: Arm } | null }> }>,
  experiment: number | undefined,
): Promise<Arm | null> {
  if (experiment === undefined) return Promise.resolve(null);
  return api
    .then((a) => a.status())
    .then(
      (s) => s.experiment?.arm ?? null,
      () => null,
    );
}

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

  /** `send`: where a detail goes (the page's window by default; the host page's, from a frame: isolated/frame.ts). */
  constructor(private readonly send: (detail: AttributionDetail) => void) {}

  /** The items of a list as shown, in order (an item shown again takes its latest place). */
  noteShown(itemIds: string[], list: Omit<Shown, 'position'>): void {
    itemIds.forEach((itemId, k) => this.shown.set(itemId, { ...list, position: k + 1 }));
  }

  /** Says that the shopper acted on a shown item (nothing for an item no list showed). */
  emit(action: AttributionDetail['action'], itemId: string): void {
    const shown = this.shown.get(itemId);
    if (!shown) return;
    this.send({ ...shown, itemId, action });
  }
}

/** On the shop's page: `hushcart-attribution` on `window`, and with `data-datalayer` the same in `window.dataLayer`. */
export const toPage =
  (dataLayer: boolean) =>
  (detail: AttributionDetail): void => {
    dispatchEvent(new CustomEvent('hushcart-attribution', { detail }));
    if (dataLayer) {
      const w = window as unknown as { dataLayer?: unknown[] };
      (w.dataLayer ??= []).push({ event: 'hushcart-attribution', ...detail });
    }
  };
