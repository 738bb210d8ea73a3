/** Page frame: skip link, header with aisles, cart and the engine badge, and the routed page. */
import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router-dom';
import { useApp } from '../context';
import { useCart } from '../hooks';
import { Notifications } from '../notifications';
import { CatalogBanner, OpenCatalogFile } from './CatalogControl';
import { PausedBanner } from './MyDataControls';
import { UpdatePrompt } from './UpdatePrompt';
import { EngineBadge } from './EngineBadge';
import { SearchBox } from './SearchBox';

export function Layout() {
  const { catalog } = useApp();
  const cart = useCart();
  const count = cart.reduce((s, l) => s + l.quantity, 0);
  const { pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstPath = useRef(pathname);
  // On navigation (not on first load), move focus to the new page so keyboard and screen-reader users start
  // at its content.
  useEffect(() => {
    if (pathname === firstPath.current) return;
    firstPath.current = '';
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [pathname]);
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => (e.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand" aria-label="HushCart home">
          HushCart
        </Link>
        <nav aria-label="Aisles" className="aisles-nav">
          {catalog.aisles.map((a) => (
            <NavLink key={a.id} to={`/aisle/${a.id}`}>
              {a.name}
            </NavLink>
          ))}
        </nav>
        <SearchBox />
        <div className="top-right">
          <NavLink to="/ask">Ask</NavLink>
          <NavLink to="/photo">Search by photo</NavLink>
          <NavLink to="/my-data">My data</NavLink>
          <NavLink to="/lab">Lab</NavLink>
          <EngineBadge />
          <NavLink to="/cart" className="cart-link" aria-label={`Cart, ${count} ${count === 1 ? 'item' : 'items'}`}>
            Cart{' '}
            <span className="count" data-testid="cart-count">
              {count}
            </span>
          </NavLink>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <UpdatePrompt />
        <PausedBanner />
        <CatalogBanner />
        <Outlet />
      </main>
      <footer className="foot">
        <p>
          Everything you do here stays in this browser: recommendations are computed on your device.{' '}
          <Link to="/my-data">See what is stored</Link> · <Link to="/about">Data credits</Link> ·{' '}
          <Link to="/shop-pack">For shops: build your pack</Link>
        </p>
        <OpenCatalogFile />
      </footer>
      <Notifications />
    </>
  );
}
