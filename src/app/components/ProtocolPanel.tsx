/**
 * The Lab's quality protocol (docs/models.md "Quality protocol"): the sequential recipe judged over seeds, with
 * For you's weights cross-fitted and the peers beside it. The full protocol takes hours on a 2-core CPU; the
 * defaults here are a lighter run of the same code.
 */
import { useCallback, useRef, useState } from 'react';
import type { ProgressCallback, ProtocolReport, ProtocolRequest } from '../../api/types';
import { PROTOCOL_DEFAULTS, type TestProtocol } from '../../recommend/contract';
import { useApp } from '../context';
import { JobProgress } from './JobControls';
import { useJob } from './use-job';

const TEST_LABELS: Record<TestProtocol, string> = {
  'leave-last-out': "each user's last rating held out",
  'leave-last-5-out': 'the last 5, each from its own history',
  'ties-shuffled': 'the last rating, ratings at the same second shuffled',
};

const seedsOf = (start: number, n: number) => Array.from({ length: n }, (_, k) => start + k);

export function ProtocolPanel() {
  const { api } = useApp();
  const [validationSeeds, setValidationSeeds] = useState(1);
  const [testSeeds, setTestSeeds] = useState(2);
  const [peer, setPeer] = useState(false);
  const [ease, setEase] = useState(true);
  const [tests, setTests] = useState<TestProtocol[]>(['leave-last-out']);
  const job = useRef<string | null>(null);
  const run = useCallback(
    (p: ProgressCallback) => {
      const request: ProtocolRequest = {
        validationSeeds: seedsOf(PROTOCOL_DEFAULTS.validationSeeds[0] as number, validationSeeds),
        testSeeds: seedsOf(PROTOCOL_DEFAULTS.testSeeds[0] as number, testSeeds),
        peer,
        ease,
        protocols: tests,
      };
      job.current = `protocol-${Date.now().toString(36)}`;
      return api.diagnostics.runProtocol(request, p, job.current);
    },
    [api, validationSeeds, testSeeds, peer, ease, tests],
  );
  const { result, progress, start } = useJob(run, 'The quality protocol');
  const busy = !!progress;
  const toggle = (t: TestProtocol) =>
    setTests((now) => (now.includes(t) ? now.filter((x) => x !== t) : [...now, t].sort()));
  return (
    <section aria-labelledby="protocol-h" className="panel">
      <h2 id="protocol-h">Quality protocol</h2>
      <p className="muted">
        The store's sequential recipe trained once per validation seed (validated on each user's last 5 training
        ratings), its epoch count read from the mean curve; For you's weights chosen on a coarse grid, cross-fitted over
        users; then trained afresh per test seed and scored beside the peers, with paired 95% intervals. The full
        protocol (3 validation and 5 test seeds, every test, SASRec-CE) takes hours here; each seed adds minutes.
      </p>
      <fieldset disabled={busy}>
        <legend>Run</legend>
        <SeedCount label="Validation seeds" max={3} value={validationSeeds} set={setValidationSeeds} />{' '}
        <SeedCount label="Test seeds" max={5} value={testSeeds} set={setTestSeeds} />
        {(Object.keys(TEST_LABELS) as TestProtocol[]).map((t) => (
          <label key={t} className="block">
            <input type="checkbox" checked={tests.includes(t)} onChange={() => toggle(t)} /> {t}: {TEST_LABELS[t]}
          </label>
        ))}
        <label className="block">
          <input type="checkbox" checked={ease} onChange={(e) => setEase(e.target.checked)} /> EASE beside it
        </label>
        <label className="block">
          <input type="checkbox" checked={peer} onChange={(e) => setPeer(e.target.checked)} /> SASRec-CE beside it (up
          to 200 epochs per seed: the longest part by far)
        </label>
      </fieldset>
      <button type="button" className="primary" onClick={() => void start()} disabled={busy || tests.length === 0}>
        Run the protocol
      </button>{' '}
      {busy && (
        <button type="button" onClick={() => job.current && void api.diagnostics.cancel(job.current)}>
          Cancel
        </button>
      )}
      <JobProgress progress={progress} label="Protocol progress" />
      {result && <ProtocolResult report={result} />}
    </section>
  );
}

/** How many seeds, from 1 to `max` (what is typed is kept within). */
function SeedCount({
  label,
  max,
  value,
  set,
}: {
  label: string;
  max: number;
  value: number;
  set: (n: number) => void;
}) {
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        min={1}
        max={max}
        value={value}
        onChange={(e) => set(Math.min(max, Math.max(1, Math.round(Number(e.target.value)) || 1)))}
      />
    </label>
  );
}

const spread = (s: { mean: number; sd: number }) => `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}`;

export function ProtocolResult({ report }: { report: ProtocolReport }) {
  return (
    <div data-testid="protocol-report">
      {report.validation.curves.map((c) => (
        <p key={c.model}>
          {c.model === 'peer' ? 'SASRec-CE' : 'The recipe'}: {c.epochs} epochs
          {c.fixed
            ? ' (given)'
            : `, the peak of the mean validation curve over ${c.seeds.length} seed${c.seeds.length === 1 ? '' : 's'} (` +
              c.mean.map((p) => `${p.epoch}: ${p.score.toFixed(4)}`).join(', ') +
              `; ${report.validation.queries.toLocaleString('en')} validation queries)`}
          .
        </p>
      ))}
      <p>
        For you's weights (item-kNN / BPR-MF / sequential): {report.blend.chosen.join(' / ')}
        {report.blend.inSample === null
          ? ' (given, not chosen on validation).'
          : `; validation NDCG@10 ${report.blend.inSample.toFixed(4)} where chosen, ${(report.blend.crossFitted ?? 0).toFixed(4)} cross-fitted (each half's choice scored on the other half).`}
      </p>
      {report.tests.map((t) => (
        <div key={t.protocol} className="table-wrap">
          <table className="table" data-testid={`protocol-${t.protocol}`}>
            <caption>{t.protocol}</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">NDCG@10 (mean ± sd)</th>
                <th scope="col">per seed</th>
                <th scope="col">HR@10</th>
                <th scope="col">Users / queries</th>
              </tr>
            </thead>
            <tbody>
              {t.rows.map((r) => (
                <tr key={r.model}>
                  <th scope="row">{r.model}</th>
                  <td>{spread(r.ndcg10)}</td>
                  <td>{r.ndcg10.values.map((v) => v.toFixed(4)).join(', ')}</td>
                  <td>{spread(r.hr10)}</td>
                  <td>
                    {r.users} / {r.queries}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ul>
            {t.intervals.map((i) => (
              <li key={`${i.model}/${i.against}`}>
                {i.model} / {i.against}: {i.ratio.toFixed(3)}, 95% interval {i.low.toFixed(3)} to {i.high.toFixed(3)}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
