/**
 * Starts the house's worker as soon as the page's script runs, before the UI's own modules evaluate: the worker boots
 * and reads the catalog while the page is still starting (about 70 ms sooner on the store). Imported first by the
 * store's entry and by the widget's loader; `startHushCart` takes this worker for its first catalog.
 */
let early: Worker | null = null;

export const newHouseWorker = (): Worker =>
  new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'hushcart-engine' });

/** The worker started early (once), or a new one. */
export function takeHouseWorker(): Worker {
  const w = early ?? newHouseWorker();
  early = null;
  return w;
}

// Not in Node (the tests run the house in-thread), nor on a page of another origin than this script's: there the
// house lives in a frame of the script's origin (the widget's isolated mode), and a worker could not start anyway.
early =
  typeof Worker === 'undefined' ||
  (typeof window !== 'undefined' && new URL(import.meta.url).origin !== location.origin)
    ? null
    : newHouseWorker();
