/**
 * The service worker (made by vite-plugin-pwa / Workbox, see vite.config.ts): registered after first paint; its
 * state is an external store the UI reads: offline-ready once everything is cached, and a waiting update the
 * shopper can accept ("Reload to update").
 */
import { registerSW } from 'virtual:pwa-register';
import { createStore } from './engine-status-store';

export interface OfflineState {
  /** Everything the store needs is cached: it opens with the network off. */
  offlineReady: boolean;
  /** A new version is installed and waits; `update()` reloads into it. */
  updateWaiting: boolean;
  update: (() => Promise<void>) | null;
  error: string | null;
}

export const offlineStore = createStore<OfflineState>({
  offlineReady: false,
  updateWaiting: false,
  update: null,
  error: null,
});

export function startOffline(): void {
  if (!('serviceWorker' in navigator)) return;
  const update = registerSW({
    immediate: true,
    onOfflineReady: () => offlineStore.set({ ...offlineStore.get(), offlineReady: true }),
    onNeedRefresh: () => offlineStore.set({ ...offlineStore.get(), updateWaiting: true, update: () => update(true) }),
    onRegisteredSW: (_url, registration) => {
      // A worker already active from an earlier visit: the store is ready offline.
      if (registration?.active) offlineStore.set({ ...offlineStore.get(), offlineReady: true });
    },
    onRegisterError: (e: unknown) =>
      offlineStore.set({ ...offlineStore.get(), error: e instanceof Error ? e.message : String(e) }),
  });
}
