/** Home: what HushCart is, and the four aisles with a first look at each. */
import { Link } from 'react-router-dom';
import { useApp } from '../context';
import { ProductCard } from '../components/ProductCard';
import { ForYou, UpNext } from '../components/Recommendations';
import { ModelProgressBanner } from '../components/ModelPanel';

export function HomePage() {
  const { catalog } = useApp();
  return (
    <div className="page">
      <section className="hero">
        <h1>Shop with recommendations that never leave your device</h1>
        <p>
          HushCart learns what you like inside this browser. Your views, ratings and cart are kept in this browser's
          storage, and the models run on your own hardware. No account, no tracking, nothing sent.
        </p>
      </section>
      <ModelProgressBanner />
      <ForYou />
      <UpNext title="Up next" />
      {catalog.aisles.map((a) => (
        <section key={a.id} className="aisle-preview" aria-labelledby={`aisle-${a.id}`}>
          <div className="section-head">
            <h2 id={`aisle-${a.id}`}>{a.name}</h2>
            <Link to={`/aisle/${a.id}`} className="more">
              All {a.count.toLocaleString()} in {a.name} →
            </Link>
          </div>
          {a.description && <p className="muted">{a.description}</p>}
          <div className="strip">
            {catalog.list({ aisle: a.id, limit: 6 }).items.map((it) => (
              <ProductCard key={it.id} item={it} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
