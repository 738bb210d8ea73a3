/** The store app: waits for the catalog and store, then routes. The engine starts in the background. */
import { useEffect, useState } from 'react';
import { HashRouter, Route, Routes } from 'react-router-dom';
import { PhotoSearchPage } from './routes/PhotoSearchPage';
import type { StoreSession } from '../api/types';
import type { Catalog } from '../catalog/catalog';
import { AppContext, type CatalogInUse } from './context';
import { Layout } from './components/Layout';
import { AboutPage } from './routes/AboutPage';
import { AislePage } from './routes/AislePage';
import { CartPage } from './routes/CartPage';
import { HomePage } from './routes/HomePage';
import { LabPage } from './routes/LabPage';
import { MyDataPage } from './routes/MyDataPage';
import { NotFoundPage } from './routes/NotFoundPage';
import { ProductPage } from './routes/ProductPage';
import { SearchPage } from './routes/SearchPage';
import { AskPage } from './routes/AskPage';
import { ShopPackPage } from './routes/ShopPackPage';

type LoadState =
  { kind: 'loading' } | { kind: 'ready'; catalog: Catalog; info: CatalogInUse } | { kind: 'error'; message: string };

export function App({
  api,
  openCatalog,
}: {
  api: StoreSession;
  openCatalog: (source?: string | Blob) => Promise<void>;
}) {
  const [state, setState] = useState<LoadState>({ kind: 'loading' });
  useEffect(() => {
    api.loaded.then(
      ({ catalog, info }) => setState({ kind: 'ready', catalog, info }),
      (e: unknown) => setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  }, [api]);

  if (state.kind === 'loading')
    return (
      <div className="boot" aria-busy="true">
        <p className="brand">HushCart</p>
        <p>Opening the store on your device…</p>
        <progress aria-label="Loading the catalog" />
      </div>
    );
  if (state.kind === 'error')
    return (
      <div className="boot boot-error" role="alert">
        <p className="brand">HushCart</p>
        <h1>The store could not open</h1>
        <p>{state.message}</p>
        <button type="button" onClick={() => location.reload()}>
          Try again
        </button>{' '}
        {new URLSearchParams(location.search).has('catalog') && (
          <a href={location.pathname}>Open the demo store instead</a>
        )}
      </div>
    );
  return (
    <AppContext.Provider value={{ api, catalog: state.catalog, catalogInUse: state.info, openCatalog }}>
      <HashRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HomePage />} />
            <Route path="aisle/:aisleId" element={<AislePage />} />
            <Route path="item/:itemId" element={<ProductPage />} />
            <Route path="cart" element={<CartPage />} />
            <Route path="photo" element={<PhotoSearchPage />} />
            <Route path="search" element={<SearchPage />} />
            <Route path="ask" element={<AskPage />} />
            <Route path="lab" element={<LabPage />} />
            <Route path="my-data" element={<MyDataPage />} />
            <Route path="about" element={<AboutPage />} />
            <Route path="shop-pack" element={<ShopPackPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </HashRouter>
    </AppContext.Provider>
  );
}
