/**
 * The Lab's export for shop owners: the models trained in this browser for the catalog in use, as a file to ship
 * beside the pack (named by its manifest's `models`), so that visitors' first visits load them instead of training.
 */
import { useState } from 'react';
import { useApp } from '../context';
import { notify } from '../notifications';

export function ShipModelsPanel() {
  const { api, catalogInUse } = useApp();
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    try {
      const blob = await api.exportModels();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${catalogInUse.id}-models.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    } catch (e) {
      notify(`Could not export the models: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="ship-h" className="panel">
      <h2 id="ship-h">Ship the trained models with a catalog</h2>
      <p className="muted">
        For shop owners: the models trained in this browser for this catalog (and the shared review and picture models),
        without any of your activity. Put the file beside your pack and name it in the manifest (
        <code>&quot;models&quot;: &quot;models.json&quot;</code>): visitors then load them instead of training, as long
        as the pack&apos;s data is unchanged.
      </p>
      <button type="button" onClick={() => void download()} disabled={busy} data-testid="export-models">
        {busy ? 'Exporting…' : 'Export models for a shop'}
      </button>
    </section>
  );
}
