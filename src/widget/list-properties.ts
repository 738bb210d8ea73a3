/**
 * The properties a `<hushcart-recs>` element reflects (`el.itemId = 'sku-9'` sets its attribute, and reading it reads
 * the attribute), the same on the element that renders the list (./elements.ts) and on the isolated mode's element
 * that frames it (./isolated/framed-element.ts).
 */
import { KINDS, type Kind } from './element-table';

/** The default and the bounds of `limit` (an attribute out of them reads as the default). */
export const LIMIT = { default: 8, min: 1, max: 50 } as const;

// A mixin's base must take any arguments (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ElementClass = abstract new (...args: any[]) => HTMLElement;

export function withListProperties<B extends ElementClass>(Base: B) {
  abstract class ListElement extends Base {
    get kind(): Kind {
      const k = this.getAttribute('kind');
      return (KINDS as readonly string[]).includes(k ?? '') ? (k as Kind) : 'for-you';
    }
    set kind(v: Kind) {
      this.setAttribute('kind', v);
    }
    get itemId(): string | null {
      return this.getAttribute('item-id');
    }
    set itemId(v: string | null) {
      this.reflect('item-id', v);
    }
    get limit(): number {
      const n = Number(this.getAttribute('limit') ?? LIMIT.default);
      return Number.isInteger(n) && n >= LIMIT.min && n <= LIMIT.max ? n : LIMIT.default;
    }
    set limit(v: number) {
      this.setAttribute('limit', String(v));
    }
    get aisle(): string | null {
      return this.getAttribute('aisle');
    }
    set aisle(v: string | null) {
      this.reflect('aisle', v);
    }
    private reflect(name: string, v: string | null): void {
      if (v === null) this.removeAttribute(name);
      else this.setAttribute(name, v);
    }
  }
  return ListElement;
}
