/**
 * The boundary between the page and the house (the engine worker, which owns the shopper's data, the catalog and
 * every capability): what the page sends to start a catalog, what the house reports back, and how a call's
 * callbacks (progress) cross. No tfjs, no IndexedDB: the page's client imports this and nothing of the house.
 */
import type { CatalogInfo, HushCartOptions } from '../api/hushcart';
import type { HushCartApi, PageMethod } from '../api/types';
import type { Pack } from '../catalog/schema';
import type { CspViolation, SeenRequest } from '../runtime/requests';

/** What the page decides for a catalog's house: every option that can cross (no functions, no engine). */
export type HouseOptions = Omit<
  HushCartOptions,
  'engine' | 'fetcher' | 'onModelState' | 'onStoreProblem' | 'onRecording' | 'onEngineStatus'
>;

/** What the house tells the page as it happens (a comlink proxy of the page's callbacks). */
export type HouseEvents = Required<
  Pick<HushCartOptions, 'onModelState' | 'onStoreProblem' | 'onRecording' | 'onEngineStatus'>
> & {
  /** Events were recorded (here or in another tab): lists that follow the shopper render again. */
  onChanged: () => void;
};

/** The read-only catalog the page renders: the packs as the house loaded and validated them (once). */
export interface Opened {
  packs: Pack[];
  info: CatalogInfo;
  /** The name every database of this house's begins with (deleting them all is the page's: consent(false)). */
  databases: string;
}

/** The house as the page's client sees it (comlink-exposed in the worker). */
export interface HouseRemote {
  /** Opens the catalog and the shopper's store in the worker; resolves with what the page renders. */
  start(options: HouseOptions, events: HouseEvents): Promise<Opened>;
  /** One API call, by its path (`recommend`, `diagnostics.evaluateVision`), with its callbacks wired (wireArgs). */
  call(path: string, args: unknown[], callbacks?: Callbacks): Promise<unknown>;
  /** What the worker's own realm fetched (the network monitor lists the page's and the worker's). */
  requests(): { requests: SeenRequest[]; violations: CspViolation[] };
}

/** The page's functions passed in one call, invoked by their index. */
export interface Callbacks {
  invoke(index: number, args: unknown[]): void;
}

/** The methods the house serves by path, and those the client answers on the page. */
export type RemoteMethod = Exclude<
  {
    [K in keyof HushCartApi]: HushCartApi[K] extends (...a: never[]) => Promise<unknown> ? K : never;
  }[keyof HushCartApi],
  PageMethod
>;

const MARK = '__hushcartCallback';
type Marker = { [MARK]: number };

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * A call's arguments made cloneable: each function (an argument, or a property of an options object) becomes a
 * marker with its index in `fns`, which travel as one proxy.
 */
export function wireArgs(args: readonly unknown[]): { args: unknown[]; fns: ((...a: unknown[]) => unknown)[] } {
  const fns: ((...a: unknown[]) => unknown)[] = [];
  const mark = (f: (...a: unknown[]) => unknown): Marker => ({ [MARK]: fns.push(f) - 1 });
  const wired = args.map((a) => {
    if (typeof a === 'function') return mark(a as (...x: unknown[]) => unknown);
    if (!isPlain(a) || !Object.values(a).some((v) => typeof v === 'function')) return a;
    return Object.fromEntries(
      Object.entries(a).map(([k, v]) => [k, typeof v === 'function' ? mark(v as (...x: unknown[]) => unknown) : v]),
    );
  });
  return { args: wired, fns };
}

/** The house's side of wireArgs: each marker becomes a function that calls the page's. */
export function unwireArgs(args: readonly unknown[], callbacks: Callbacks | undefined): unknown[] {
  const isMarker = (v: unknown): v is Marker => isPlain(v) && typeof v[MARK] === 'number';
  const fn =
    (m: Marker) =>
    (...a: unknown[]) => {
      // A progress report the page no longer hears (it closed) is not the house's failure.
      void Promise.resolve(callbacks?.invoke(m[MARK], a)).catch(() => undefined);
    };
  return args.map((a) => {
    if (isMarker(a)) return fn(a);
    if (!isPlain(a) || !Object.values(a).some(isMarker)) return a;
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, isMarker(v) ? fn(v) : v]));
  });
}
