/**
 * The engine badge: shows the active backend; opens a dialog with every backend considered, why it was
 * chosen or passed over, and a control to pick one (remembered on this device).
 */
import { useRef, useState } from 'react';
import { BACKENDS, type BackendPreference } from '../../engine/types';
import { useApp } from '../context';
import { useEngineState } from '../hooks';
import { notify } from '../notifications';

export function EngineBadge() {
  const { api } = useApp();
  const { status, error } = useEngineState();
  const dialog = useRef<HTMLDialogElement>(null);
  const [switching, setSwitching] = useState(false);
  const label = error ? 'engine error' : status?.backend ? status.backend : 'starting…';

  const choose = async (p: BackendPreference) => {
    setSwitching(true);
    try {
      const s = await api.setBackend(p);
      notify(`Engine now runs on ${s.backend ?? 'nothing'}`);
    } catch (e) {
      notify(`Could not switch backend: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setSwitching(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={`badge ${error ? 'badge-error' : status ? 'badge-ok' : 'badge-wait'}`}
        data-testid="engine-badge"
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
        title="Where your recommendations are computed"
      >
        <span aria-hidden="true">◆ </span>
        <span className="visually-hidden">Engine: </span>
        {label}
      </button>
      <dialog ref={dialog} className="engine-dialog" aria-labelledby="engine-title">
        <h2 id="engine-title">On-device engine</h2>
        {error && <p className="error">{error}</p>}
        {!status && !error && <p>The engine is starting: testing which backend is fastest on this device…</p>}
        {status && (
          <>
            <p>
              Running on <strong data-testid="engine-backend">{status.backend}</strong> (tfjs {status.tfjsVersion}
              ), chosen in {Math.round(status.selectionMs)} ms. Preference: {status.preference}.
            </p>
            <table className="table" data-testid="engine-candidates">
              <caption className="visually-hidden">Backends considered</caption>
              <thead>
                <tr>
                  <th scope="col">Backend</th>
                  <th scope="col">Works</th>
                  <th scope="col">Probe</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {status.candidates.map((c) => (
                  <tr key={c.backend} className={c.backend === status.backend ? 'chosen' : undefined}>
                    <th scope="row">{c.backend}</th>
                    <td>{c.ok ? 'yes' : 'no'}</td>
                    <td>{c.probeMs !== undefined ? `${c.probeMs.toFixed(1)} ms` : '–'}</td>
                    <td>{c.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {status.lost.length > 0 && (
              <ul>
                {status.lost.map((l) => (
                  <li key={l.at}>
                    {l.backend}: {l.reason} at {new Date(l.at).toLocaleTimeString()}; work moved to the next backend.
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        <fieldset disabled={switching}>
          <legend>Run the engine on</legend>
          <div className="row">
            {(['auto', ...BACKENDS] as const).map((b) => (
              <button key={b} type="button" aria-pressed={status?.preference === b} onClick={() => void choose(b)}>
                {b}
              </button>
            ))}
          </div>
        </fieldset>
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </>
  );
}
