/** React access to the HushCart API and the catalog it loaded. */
import { createContext, useContext } from 'react';
import type { HushCartApi } from '../api/types';
import type { Catalog } from '../catalog/catalog';

export interface AppContextValue {
  api: HushCartApi;
  catalog: Catalog;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp() outside <AppContext.Provider>');
  return v;
}
