/** "A new version is ready": shown when the service worker has installed an update that waits for the shopper. */
import { useSyncExternalStore } from 'react';
import { offlineStore } from '../sw-update';

export function useOffline() {
  return useSyncExternalStore(offlineStore.subscribe, offlineStore.get);
}

export function UpdatePrompt() {
  const { updateWaiting, update } = useOffline();
  if (!updateWaiting || !update) return null;
  return (
    <div className="banner" role="status" data-testid="update-prompt">
      <span>A new version of HushCart is ready. Your data stays as it is.</span>{' '}
      <button type="button" onClick={() => void update()}>
        Reload to update
      </button>
    </div>
  );
}
