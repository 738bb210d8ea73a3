/**
 * My data, the shopper in control: everything stored on this device with sizes and dates, export to one file,
 * import back with a preview before anything changes, delete by category (with a confirming second step), and a
 * switch that pauses recording (every page says so while paused).
 */
import { useCallback, useEffect, useId, useState, useSyncExternalStore } from 'react';
import {
  withoutConsent,
  type ConsentState,
  type ImportResult,
  type Interest,
  type NetworkReport,
  type StorageReport,
} from '../../api/types';
import { useApp } from '../context';
import { recordingStore } from '../engine-status-store';
import { notify } from '../notifications';
import { useOffline } from './UpdatePrompt';

const size = (bytes: number) =>
  bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`;
const when = (ts: number | null) => (ts === null ? '—' : new Date(ts).toLocaleString());
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function useRecording(): boolean {
  return useSyncExternalStore(recordingStore.subscribe, recordingStore.get);
}

/** Shown on every page while recording is paused. */
export function PausedBanner() {
  const { api } = useApp();
  const recording = useRecording();
  if (recording) return null;
  return (
    <div className="banner paused" role="status" data-testid="recording-paused">
      <span>Recording is paused: nothing you do here is stored.</span>{' '}
      <button type="button" onClick={() => void api.setRecording(true).catch((e) => notify(message(e), 'error'))}>
        Resume recording
      </button>
    </div>
  );
}

function useStorage(): [StorageReport | null, () => void] {
  const { api } = useApp();
  const [report, setReport] = useState<StorageReport | null>(null);
  const refresh = useCallback(() => {
    api.storage().then(setReport, (e: unknown) => notify(`Could not read what is stored: ${message(e)}`, 'error'));
  }, [api]);
  useEffect(() => {
    refresh();
    return api.subscribe(refresh);
  }, [api, refresh]);
  return [report, refresh];
}

export function MyDataControls() {
  const [report, refresh] = useStorage();
  return (
    <>
      <RecordingSwitch />
      <RetentionPanel report={report} onChange={refresh} />
      <InterestsPanel />
      <StoragePanel report={report} onChange={refresh} />
      <ExportPanel />
      <ImportPanel onChange={refresh} />
      <DeletePanel onChange={refresh} />
      <NetworkPanel />
    </>
  );
}

/** The shopper's consent as the page gave it (status().consent), read as the page opens. */
function useConsent(): ConsentState | null {
  const { api } = useApp();
  const [consent, setConsent] = useState<ConsentState | null>(null);
  useEffect(() => {
    let live = true;
    api.status().then(
      (s) => live && setConsent(s.consent),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api]);
  return consent;
}

function RecordingSwitch() {
  const { api } = useApp();
  const saved = useRecording();
  // Shown at once, while the setting is written (a checkbox must follow the click).
  const [asked, setAsked] = useState<boolean | null>(null);
  const recording = asked ?? saved;
  const id = useId();
  const consent = useConsent();
  const storesNothing = withoutConsent(consent);
  const toggle = (on: boolean) => {
    setAsked(on);
    api
      .setRecording(on)
      .catch((err: unknown) => notify(message(err), 'error'))
      .finally(() => setAsked(null));
  };
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Recording</h2>
      <label className="switch">
        <input
          type="checkbox"
          checked={recording}
          data-testid="recording-switch"
          disabled={storesNothing}
          onChange={(e) => toggle(e.currentTarget.checked)}
        />{' '}
        Record my activity on this device (views, ratings, cart, reviews, searches, questions)
      </label>
      <p className="muted small">
        {recording
          ? 'Your activity shapes your recommendations, here only.'
          : 'Paused: nothing is recorded; recommendations use what was recorded before.'}
      </p>
      <p className="muted small" data-testid="consent-state" data-consent={consent ?? ''}>
        {consent === 'pending'
          ? 'Consent: waiting for your answer to this site’s consent banner. Nothing is stored or learned until you accept.'
          : consent === 'denied'
            ? 'Consent: you declined. Nothing is stored or learned about you on this site.'
            : consent === 'granted'
              ? 'Consent: you accepted this site’s consent banner.'
              : consent === 'not-required'
                ? 'Consent: this site asks for none; what is stored is yours to see, export and delete here.'
                : ''}
      </p>
    </section>
  );
}

/** What the shopper's lists lean to, by category, each removable ("show me less of this"). */
function InterestsPanel() {
  const { api, catalog } = useApp();
  const id = useId();
  const [list, setList] = useState<Interest[] | null>(null);
  useEffect(() => {
    const read = () =>
      void api
        .interests()
        .then(setList, (e: unknown) => notify(`Could not read your interests: ${message(e)}`, 'error'));
    read();
    return api.subscribe(read);
  }, [api]);
  if (!list) return null;
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Your interests</h2>
      {list.length ? (
        <ul className="interests" data-testid="interests">
          {list.map((i) => (
            <li key={i.category}>
              <strong>{i.category}</strong>{' '}
              {i.hidden ? (
                <span className="muted">(shown less)</span>
              ) : (
                <span className="muted">
                  {Math.round(i.weight * 100)}%, from {i.itemIds.map((x) => catalog.get(x)?.title ?? x).join(', ')}
                </span>
              )}{' '}
              <button
                type="button"
                onClick={() =>
                  void api.setInterest(i.category, !i.hidden).catch((e: unknown) => notify(message(e), 'error'))
                }
              >
                {i.hidden ? `Show ${i.category} as before` : `Show me less of ${i.category}`}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Nothing yet: what you view, rate and buy shapes this list.</p>
      )}
    </section>
  );
}

/** How long activity is kept: the shop's proposal, or a shorter choice of the shopper's (older events deleted). */
function RetentionPanel({ report, onChange }: { report: StorageReport | null; onChange: () => void }) {
  const { api } = useApp();
  const id = useId();
  if (!report) return null;
  const { days, shopDays } = report.retention;
  const choices = [7, 30, 90, 365].filter((d) => d < shopDays).concat(shopDays);
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>How long it is kept</h2>
      <label htmlFor={id}>Keep my activity for</label>{' '}
      <select
        id={id}
        data-testid="retention"
        value={days}
        onChange={(e) => {
          const chosen = Number(e.currentTarget.value);
          api
            .setRetention(chosen === shopDays ? null : chosen)
            .then((n) => n && notify(`${n} older ${n === 1 ? 'event was' : 'events were'} deleted.`, 'info'))
            .catch((err: unknown) => notify(message(err), 'error'))
            .finally(onChange);
        }}
      >
        {choices.map((d) => (
          <option key={d} value={d}>
            {d === shopDays ? `${d} days (as proposed)` : `${d} days`}
          </option>
        ))}
      </select>
      <p className="muted small">Older activity is deleted from this device when the store opens.</p>
    </section>
  );
}

function StoragePanel({ report, onChange }: { report: StorageReport | null; onChange: () => void }) {
  const { api } = useApp();
  const id = useId();
  if (!report)
    return (
      <section className="panel" aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>Stored on this device</h2>
        <p aria-busy="true">Reading what is stored…</p>
      </section>
    );
  const e = report.events;
  const rows: [string, string, string, string][] = [
    [
      'Your activity',
      `${e.count} events${
        e.count
          ? ` (${Object.entries(e.byType)
              .map(([t, n]) => `${n} ${t}`)
              .join(', ')})`
          : ''
      }`,
      size(e.bytes),
      e.count ? `${when(e.oldest)} to ${when(e.newest)}` : '—',
    ],
    ...report.models.map((m): [string, string, string, string] => [
      `Model ${m.id}`,
      `${m.kind}, trained here`,
      size(m.bytes),
      when(m.createdAt),
    ]),
    ...report.generalModels.map((m): [string, string, string, string] => [
      `Model ${m.id}`,
      `${m.kind}, shared by every catalog on this device`,
      size(m.bytes),
      when(m.createdAt),
    ]),
    ...report.caches.map((c): [string, string, string, string] => [
      `Cache ${c.key}`,
      'computed here',
      size(c.bytes),
      when(c.createdAt),
    ]),
    ...report.settings.map((s): [string, string, string, string] => [`Setting ${s.key}`, '', size(s.bytes), '—']),
  ];
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="storage">
      <h2 id={`${id}-h`}>Stored on this device</h2>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Details</th>
            <th scope="col">Size</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([what, details, bytes, date]) => (
            <tr key={what}>
              <td>{what}</td>
              <td>{details}</td>
              <td>{bytes}</td>
              <td>{date}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.notKept.length > 0 && <NotKeptPanel report={report} onChange={onChange} />}
      <OfflineLine />
      <p className="muted small" data-testid="storage-estimate">
        {report.estimate
          ? `The browser counts ${size(report.estimate.usage)} used by this site, of ${size(report.estimate.quota)} allowed.`
          : 'This browser does not say how much this site stores.'}{' '}
        {report.persisted === true
          ? 'It keeps this data even when space runs low.'
          : 'It may clear this data when space runs low.'}
      </p>
      {report.persisted !== true && (
        <button
          type="button"
          onClick={() =>
            void api
              .requestPersistentStorage()
              .then((granted) => {
                notify(
                  granted
                    ? 'The browser will keep your data when space runs low.'
                    : 'The browser declined to promise it (browsers decide this themselves, often by how much you use a site).',
                );
                onChange();
              })
              .catch((err) => notify(message(err), 'error'))
          }
        >
          Ask the browser to keep it
        </button>
      )}
    </section>
  );
}

/** What could not be kept when the browser's storage for the site ran out, and what the shopper can do about it. */
function NotKeptPanel({ report, onChange }: { report: StorageReport; onChange: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const run = (work: () => Promise<string>) => {
    setBusy(true);
    work()
      .then((done) => notify(done))
      .catch((err) => notify(message(err), 'error'))
      .finally(() => {
        setBusy(false);
        onChange();
      });
  };
  return (
    <div className="not-kept" role="status" data-testid="not-kept">
      <h3>Not everything could be kept</h3>
      <p>
        This browser gave the site less space than HushCart needed (its estimate below may not show a limit like this
        one). Your activity and settings are kept first; these gave way or did not fit:
      </p>
      <ul>
        {report.notKept.map((n) => (
          <li key={n.key}>
            <strong>{n.what}</strong>: {n.why}.
          </li>
        ))}
      </ul>
      <div className="row">
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const left = await api.retrySaving();
              return left ? `${left} still could not be saved: free space on this device first.` : 'Saved.';
            })
          }
        >
          Try saving again
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() =>
            run(async () => {
              await api.deleteData('caches');
              await api.deleteData('models');
              return 'Deleted the models and caches kept here: they are computed again when needed.';
            })
          }
        >
          Free space: delete models and caches
        </button>
      </div>
    </div>
  );
}

function ExportPanel() {
  const { api, catalogInUse } = useApp();
  const [models, setModels] = useState(false);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const download = async () => {
    setBusy(true);
    try {
      const blob = await api.exportData({ models });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `hushcart-${catalogInUse.id}-${new Date().toISOString().slice(0, 10)}.json`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      notify(`Exported ${size(blob.size)} to a file on this device.`);
    } catch (e) {
      notify(`Export failed: ${message(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Export</h2>
      <p>One JSON file with your activity and settings, to keep or to carry to another browser.</p>
      <label>
        <input type="checkbox" checked={models} onChange={(e) => setModels(e.currentTarget.checked)} /> Include the
        trained models (larger; the other browser then need not train them)
      </label>{' '}
      <button type="button" onClick={() => void download()} disabled={busy}>
        {busy ? 'Exporting…' : 'Export my data'}
      </button>
    </section>
  );
}

function ImportPanel({ onChange }: { onChange: () => void }) {
  const { api } = useApp();
  const id = useId();
  const [state, setState] = useState<
    | { kind: 'idle' }
    | { kind: 'checking' }
    | { kind: 'preview'; file: File; result: ImportResult }
    | { kind: 'error'; message: string }
  >({ kind: 'idle' });
  const check = async (file: File) => {
    setState({ kind: 'checking' });
    try {
      setState({ kind: 'preview', file, result: await api.importData(file, { dryRun: true }) });
    } catch (e) {
      setState({ kind: 'error', message: message(e) });
    }
  };
  const apply = async (file: File, mode: 'replace' | 'merge') => {
    try {
      const r = await api.importData(file, { mode });
      notify(`Imported ${r.events} events, ${r.settings} settings and ${r.models} models.`);
      setState({ kind: 'idle' });
      onChange();
    } catch (e) {
      setState({ kind: 'error', message: message(e) });
    }
  };
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Import</h2>
      <label htmlFor={`${id}-file`}>Import a HushCart export file</label>{' '}
      <input
        id={`${id}-file`}
        type="file"
        accept=".json,application/json"
        data-testid="import-file"
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void check(file);
        }}
      />
      {state.kind === 'checking' && <p role="status">Checking the file on this device…</p>}
      {state.kind === 'error' && (
        <p role="alert" className="catalog-error" data-testid="import-error">
          Nothing was changed. {state.message}
        </p>
      )}
      {state.kind === 'preview' && (
        <div data-testid="import-preview" role="region" aria-label="What the file holds">
          <p>
            {state.file.name} (export version {state.result.preview.version}, made{' '}
            {when(state.result.preview.exportedAt)}, catalog {state.result.preview.catalog.id}) holds{' '}
            {state.result.preview.events} events
            {state.result.preview.events
              ? ` from ${when(state.result.preview.oldest)} to ${when(state.result.preview.newest)}`
              : ''}
            , {state.result.preview.settings} settings and {state.result.preview.models} models.{' '}
            {state.result.preview.duplicates} of its events are already here.
          </p>
          <button type="button" onClick={() => void apply(state.file, 'merge')}>
            Merge: add what is new
          </button>{' '}
          <button type="button" onClick={() => void apply(state.file, 'replace')}>
            Replace my data with it
          </button>{' '}
          <button type="button" onClick={() => setState({ kind: 'idle' })}>
            Cancel
          </button>
        </div>
      )}
    </section>
  );
}

type Deletable = 'events' | 'models' | 'caches' | 'everything';
const DELETE_LABELS: Record<Deletable, string> = {
  events: 'your activity',
  models: 'the trained models',
  caches: 'the caches',
  everything: 'everything',
};

function DeletePanel({ onChange }: { onChange: () => void }) {
  const { api } = useApp();
  const id = useId();
  const [confirming, setConfirming] = useState<Deletable | null>(null);
  const remove = async (what: Deletable) => {
    try {
      await api.deleteData(what === 'everything' ? undefined : what);
      notify(
        `Deleted ${DELETE_LABELS[what]} from this device.${
          what === 'models' || what === 'everything' ? ' Models are trained again on your next visit.' : ''
        }`,
      );
      onChange();
    } catch (e) {
      notify(`Delete failed: ${message(e)}`, 'error');
    } finally {
      setConfirming(null);
    }
  };
  return (
    <section className="panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Delete</h2>
      {confirming ? (
        <p role="alert">
          Delete {DELETE_LABELS[confirming]} from this device? This cannot be undone.{' '}
          <button type="button" className="danger" onClick={() => void remove(confirming)}>
            Yes, delete {DELETE_LABELS[confirming]}
          </button>{' '}
          <button type="button" onClick={() => setConfirming(null)}>
            Keep it
          </button>
        </p>
      ) : (
        <p>
          {(Object.keys(DELETE_LABELS) as Deletable[]).map((what) => (
            <button key={what} type="button" onClick={() => setConfirming(what)}>
              Delete {DELETE_LABELS[what]}
            </button>
          ))}
        </p>
      )}
    </section>
  );
}

/** The network monitor: every request the page and the engine made, as the browser recorded them. */
function NetworkPanel() {
  const { api } = useApp();
  const id = useId();
  const [report, setReport] = useState<NetworkReport | null>(null);
  const refresh = useCallback(() => {
    api.network().then(setReport, (e: unknown) => notify(`Could not read the requests: ${message(e)}`, 'error'));
  }, [api]);
  useEffect(refresh, [refresh]);
  const shown = report?.requests.slice(-200) ?? [];
  return (
    <section className="panel" aria-labelledby={`${id}-h`} data-testid="network">
      <h2 id={`${id}-h`}>What was sent over the network</h2>
      <p className="muted small">
        Every request this page and its engine worker made since the page opened, as the browser itself recorded them
        (resource timing), and every request the page&apos;s Content-Security-Policy blocked. Requests carry files to
        you (the app, the catalog, the models&apos; training data); none carries your activity.
      </p>
      {report ? (
        <>
          <p data-testid="network-summary" className={report.foreign ? 'catalog-error' : ''}>
            {report.foreign
              ? `${report.foreign} request(s) went, or tried to go, to another origin than ${report.origin}.`
              : `${report.requests.length} requests, all to this site's own origin (${report.origin}); ${
                  report.violations.length
                    ? `${report.violations.length} attempt(s) the policy blocked, none of them a request elsewhere`
                    : 'nothing blocked'
                }.`}
          </p>
          <button type="button" onClick={refresh}>
            Refresh
          </button>
          <table className="table">
            <caption className="muted">
              {shown.length < report.requests.length ? `The last ${shown.length} of ` : ''}
              {report.requests.length} requests, oldest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">From</th>
                <th scope="col">Kind</th>
                <th scope="col">Bytes</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r, k) => (
                <tr key={k} className={r.foreign ? 'catalog-error' : ''}>
                  <td className="url">{r.url.startsWith(report.origin) ? r.url.slice(report.origin.length) : r.url}</td>
                  <td>{r.realm}</td>
                  <td>{r.initiator}</td>
                  <td>{size(r.bytes)}</td>
                </tr>
              ))}
              {report.violations.map((v, k) => (
                <tr key={`v${k}`} className="catalog-error">
                  <td className="url">blocked: {v.blocked}</td>
                  <td>{v.realm}</td>
                  <td>{v.directive}</td>
                  <td>0 B</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p aria-busy="true">Reading the browser&apos;s records…</p>
      )}
    </section>
  );
}

function OfflineLine() {
  const { offlineReady, error } = useOffline();
  return (
    <p className="muted small" data-testid="offline-state">
      {error
        ? `Offline use is unavailable here: ${error}`
        : offlineReady
          ? 'The store is saved for offline use: it opens and recommends with the network off.'
          : 'Saving the store for offline use…'}
    </p>
  );
}
