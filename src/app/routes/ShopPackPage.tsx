/**
 * For shop owners: their exports (Shopify or Merchant Center products, orders, reviews) in, a pack out, built in
 * this browser by the same code as `hushcart shop-pack` (a worker: the page stays responsive). Nothing is uploaded;
 * the report says what was read, what was dropped and why, k and epsilon, and what the pack holds.
 */
import { useEffect, useId, useRef, useState } from 'react';
import * as Comlink from 'comlink';
import { SHOP_PACK_DEFAULTS, slug, type ShopPackReport, type ShopPackWorkerApi } from '../../shop-pack/contract';
import { installErrorTransfer } from '../../shared/comlink-errors';
import { useApp } from '../context';

type State =
  | { kind: 'idle' }
  | { kind: 'building'; stage: string }
  | { kind: 'error'; message: string }
  | { kind: 'built'; url: string; blob: Blob; report: ShopPackReport };

function Files({
  label,
  hint,
  multiple,
  onChange,
}: {
  label: string;
  hint: string;
  multiple?: boolean;
  onChange: (f: File[]) => void;
}) {
  const id = useId();
  return (
    <p>
      <label htmlFor={id}>{label}</label>{' '}
      <input
        id={id}
        type="file"
        multiple={multiple}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange([...(e.currentTarget.files ?? [])])}
      />
      <br />
      <small id={`${id}-hint`} className="muted">
        {hint}
      </small>
    </p>
  );
}

function Report({ r }: { r: ShopPackReport }) {
  return (
    <div data-testid="shop-pack-report">
      <h3>What was read</h3>
      <ul>
        {r.read.map((f) => (
          <li key={f.file}>
            {f.file}: {f.format}, {f.rows.toLocaleString()} rows
          </li>
        ))}
        <li>
          {r.products.toLocaleString()} products; {r.orderLines.toLocaleString()} order lines in{' '}
          {r.orders.toLocaleString()} orders from {r.customers.toLocaleString()} customers
        </li>
      </ul>
      <h3>What was dropped</h3>
      {r.dropped.length ? (
        <ul>
          {r.dropped.map((d) => (
            <li key={d.reason}>
              {d.count.toLocaleString()} × {d.reason} (for example {d.example})
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing.</p>
      )}
      <h3>Privacy</h3>
      <p>
        Each count in the pack comes from at least <strong>k = {r.k}</strong> customers and carries Laplace noise;{' '}
        epsilon per kind of count:{' '}
        {Object.entries(r.epsilon)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}
        . A customer adds to at most {r.maxItems} item counts and {r.maxPairs} pair counts of each kind.
      </p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Kind of count</th>
              <th scope="col">Counted</th>
              <th scope="col">Released</th>
            </tr>
          </thead>
          <tbody>
            {r.released.map((s) => (
              <tr key={s.kind}>
                <td>{s.kind}</td>
                <td>{s.counted.toLocaleString()}</td>
                <td>{s.released.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {r.cost && (
        <p>
          What privacy costs here (held-out last order of {r.cost.customers} customers): NDCG@10{' '}
          {r.cost.pack.ndcg10.toFixed(4)} from this pack, {r.cost.raw.ndcg10.toFixed(4)} from the raw order lines,{' '}
          {r.cost.popular.ndcg10.toFixed(4)} by popularity alone.
        </p>
      )}
      {r.vectors && (
        <p data-testid="shop-pack-vectors">
          Item vectors for {r.vectors.items} of {r.vectors.catalogItems} products ({r.vectors.method}); k {r.vectors.k},{' '}
          {r.vectors.epsilon === null
            ? 'not differentially private'
            : `epsilon ${r.vectors.epsilon} (the pairs' budgets)`}
          {r.vectors.metrics &&
            `; NDCG@10 ${r.vectors.metrics.ndcg10.toFixed(4)} on the held-out last order of ${r.vectors.metrics.customers} customers`}
          . Products without one are placed by their content.
        </p>
      )}
      <h3>What the pack holds</h3>
      <ul>
        {r.files.map((f) => (
          <li key={f.name}>
            {f.name}: {f.contains}
          </li>
        ))}
      </ul>
      <p data-testid="shop-pack-statement">
        <strong>{r.statement}</strong>
      </p>
    </div>
  );
}

/** The built pack: its download, opening it here, and its privacy report. */
function BuiltPack({ built }: { built: Extract<State, { kind: 'built' }> }) {
  const { openCatalog } = useApp();
  return (
    <section className="panel" aria-labelledby="shop-pack-built">
      <h2 id="shop-pack-built">Your pack</h2>
      <p>
        <a href={built.url} download="pack.json" className="button" data-testid="shop-pack-download">
          Download pack.json
        </a>{' '}
        <button
          type="button"
          onClick={() => void openCatalog(new File([built.blob], 'pack.json', { type: 'application/json' }))}
        >
          Open it in this store
        </button>
      </p>
      <p className="muted">
        Serve pack.json on your site and point the widget at it (see the shop owners&rsquo; guide). Its items and counts
        are inline: one file.
      </p>
      <Report r={built.report} />
    </section>
  );
}

/** The export files a pack is built from, each its own file input. */
function ExportFiles(p: {
  onProducts: (f: File[]) => void;
  onOrders: (f: File[]) => void;
  onReviews: (f: File[]) => void;
  onVectors: (f: File[]) => void;
}) {
  return (
    <>
      <Files
        label="Products"
        multiple
        hint="Shopify product CSV, Google Merchant Center feed (TSV or XML), a CSV with id and title, or JSON Lines."
        onChange={p.onProducts}
      />
      <Files
        label="Orders (optional)"
        multiple
        hint="Shopify orders export, or a CSV with order, customer, product (or sku) and time."
        onChange={p.onOrders}
      />
      <Files label="Reviews (optional)" hint="A CSV with product, text and rating." onChange={p.onReviews} />
      <Files
        label="Item vectors (optional)"
        hint="Trained in your warehouse (Spark ALS item factors): JSON Lines with id and features, or a CSV of id,features. Without them, vectors come from the released pairs."
        onChange={p.onVectors}
      />
    </>
  );
}

export function ShopPackPage() {
  const [products, setProducts] = useState<File[]>([]);
  const [orders, setOrders] = useState<File[]>([]);
  const [reviews, setReviews] = useState<File[]>([]);
  const [vectors, setVectors] = useState<File[]>([]);
  const [name, setName] = useState('My shop');
  const [k, setK] = useState<number>(SHOP_PACK_DEFAULTS.k);
  const [epsilon, setEpsilon] = useState<number>(SHOP_PACK_DEFAULTS.epsilon);
  const [currency, setCurrency] = useState('USD');
  const [evaluate, setEvaluate] = useState(false);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const worker = useRef<Worker | null>(null);
  const ids = { name: useId(), k: useId(), epsilon: useId(), currency: useId(), evaluate: useId() };
  useEffect(
    () => () => {
      worker.current?.terminate();
      if (state.kind === 'built') URL.revokeObjectURL(state.url);
    },
    // The object URL of the last pack is revoked when the page is left.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const build = async () => {
    if (!products.length) return setState({ kind: 'error', message: 'choose at least one products file' });
    setState({ kind: 'building', stage: 'starting' });
    worker.current?.terminate();
    const w = new Worker(new URL('../../shop-pack/worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    installErrorTransfer(); // the builder's errors arrive with their code and message
    const api = Comlink.wrap<ShopPackWorkerApi>(w);
    try {
      const id = slug(name, 'shop');
      const result = await api.build(
        {
          products,
          orders,
          ...(reviews[0] ? { reviews: reviews[0] } : {}),
          ...(vectors[0] ? { itemVectors: vectors[0] } : {}),
          id,
          name,
          k,
          epsilon,
          currency,
          evaluate,
        },
        Comlink.proxy((stage: string) => setState({ kind: 'building', stage })),
      );
      const blob = new Blob([result.pack], { type: 'application/json' });
      setState({ kind: 'built', url: URL.createObjectURL(blob), blob, report: result.report });
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      w.terminate();
      if (worker.current === w) worker.current = null;
    }
  };

  const busy = state.kind === 'building';
  return (
    <div className="page shop-pack" data-testid="shop-pack-page">
      <h1>Build your shop&rsquo;s pack</h1>
      <p>
        Drop your exports: the pack is built here, in this browser, and nothing is uploaded. It carries counts that many
        of your customers support, with noise, and never a customer&rsquo;s row: no email, name, address, order number
        or order time. The command line does the same for large exports:{' '}
        <code>npx hushcart shop-pack --products products.csv --orders orders.csv --out pack</code>.
      </p>
      <form
        className="panel"
        onSubmit={(e) => {
          e.preventDefault();
          void build();
        }}
      >
        <ExportFiles onProducts={setProducts} onOrders={setOrders} onReviews={setReviews} onVectors={setVectors} />
        <p>
          <label htmlFor={ids.name}>Shop name</label>{' '}
          <input id={ids.name} value={name} maxLength={80} required onChange={(e) => setName(e.currentTarget.value)} />{' '}
          <label htmlFor={ids.currency}>Currency of unmarked prices</label>{' '}
          <input
            id={ids.currency}
            value={currency}
            size={4}
            pattern="[A-Za-z]{3}"
            onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          />
        </p>
        <p>
          <label htmlFor={ids.k}>k: customers a count needs</label>{' '}
          <input
            id={ids.k}
            type="number"
            min={2}
            max={1000}
            step={1}
            value={k}
            onChange={(e) => setK(Number(e.currentTarget.value))}
          />{' '}
          <label htmlFor={ids.epsilon}>epsilon per kind of count</label>{' '}
          <input
            id={ids.epsilon}
            type="number"
            min={0.05}
            max={10}
            step={0.05}
            value={epsilon}
            onChange={(e) => setEpsilon(Number(e.currentTarget.value))}
          />
        </p>
        <p>
          <input
            id={ids.evaluate}
            type="checkbox"
            checked={evaluate}
            onChange={(e) => setEvaluate(e.currentTarget.checked)}
          />{' '}
          <label htmlFor={ids.evaluate}>Also measure what privacy costs (slower)</label>
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Building…' : 'Build the pack'}
        </button>
      </form>
      {state.kind === 'building' && (
        <div className="progress" role="status" aria-live="polite">
          <progress aria-label="Building the pack" />
          <span>{state.stage}…</span>
        </div>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="catalog-error" data-testid="shop-pack-error">
          The pack could not be built: {state.message}
        </p>
      )}
      {state.kind === 'built' && <BuiltPack built={state} />}
    </div>
  );
}
