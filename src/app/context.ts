/** React access to the HushCart API and the catalog it loaded. */
import { createContext, useContext } from 'react';
import type { HushCartApi } from '../api/types';
import type { Catalog } from '../catalog/catalog';

/** The catalog the store shows: 'default' (the demo store) or a shop's pack. */
export interface CatalogInUse {
  id: string;
  name: string;
  source: string;
  /** What loading the pack left out and why (shown in the catalog banner). */
  warnings: string[];
}

export interface AppContextValue {
  api: HushCartApi;
  catalog: Catalog;
  catalogInUse: CatalogInUse;
  /** Opens another catalog (a URL or a file); no argument: back to the demo store. */
  openCatalog: (source?: string | Blob) => Promise<void>;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp() outside <AppContext.Provider>');
  return v;
}
