/**
 * Which catalog the store shows, and how to open another: a shop's single-file pack read in this browser (never
 * uploaded), or back to the demo store. A pack that does not validate is shown with its message (the file, the
 * item and the field) and nothing changes.
 */
import { useId, useRef, useState } from 'react';
import { useApp } from '../context';

export function CatalogBanner() {
  const { catalogInUse, openCatalog } = useApp();
  const [busy, setBusy] = useState(false);
  if (catalogInUse.id === 'default') return null;
  return (
    <div className="catalog-banner" role="region" aria-label="Catalog in use" data-testid="catalog-banner">
      <p>
        You are browsing <strong>{catalogInUse.name}</strong> ({catalogInUse.source}). Its history, models and settings
        are kept apart from the demo store's, on this device.
      </p>
      {catalogInUse.warnings.map((w) => (
        <p key={w} className="catalog-warning" data-testid="catalog-warning">
          Left out of this catalog: {w}
        </p>
      ))}
      <button
        type="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          openCatalog().catch(() => setBusy(false));
        }}
      >
        {busy ? 'Opening the demo store…' : 'Back to the demo store'}
      </button>
    </div>
  );
}

export function OpenCatalogFile() {
  const { openCatalog } = useApp();
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const [state, setState] = useState<
    { kind: 'idle' } | { kind: 'opening'; name: string } | { kind: 'error'; message: string }
  >({ kind: 'idle' });
  const open = async (file: File) => {
    setState({ kind: 'opening', name: file.name });
    try {
      await openCatalog(file);
    } catch (e) {
      setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <div className="open-catalog">
      <label htmlFor={id}>Shop owners: open a catalog file</label>{' '}
      <input
        id={id}
        ref={input}
        type="file"
        accept=".json,application/json"
        data-testid="open-catalog-file"
        disabled={state.kind === 'opening'}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = ''; // the same file can be chosen again after a fix
          if (file) void open(file);
        }}
      />
      {state.kind === 'opening' && (
        <p role="status" aria-live="polite">
          Reading and checking {state.name} on this device…
        </p>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="catalog-error" data-testid="catalog-error">
          That catalog could not be opened, and nothing was changed: {state.message}
        </p>
      )}
    </div>
  );
}
