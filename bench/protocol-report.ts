/**
 * The section "Recommendation quality protocol" from every protocol run kept in results/protocol/ (one JSON file per
 * run: bench/protocol.bench.ts in the browser, bench/node/protocol.run.ts in Node, the same code on tfjs-wasm). Runs on
 * the same test protocol share their users, so any two rows are compared by the paired bootstrap over users.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pairedBootstrapRatio } from '../src/eval/bootstrap';
import { seedSpread, type ProtocolReport, type ProtocolRow } from '../src/recommend/protocol-config';
import type { SequentialConfig } from '../src/recommend/sequential-config';
import { RESULTS_DIR, table, writeSection } from './sections';

export const PROTOCOL_DIR = join(RESULTS_DIR, 'protocol');

export interface ProtocolRun {
  /** What the run's recipe is called in the tables (e.g. "full", "SASRec-CE"). */
  label: string;
  /** Where it ran: "Node 20, tfjs-wasm" or the browser's version. */
  where: string;
  measured: string;
  report: ProtocolReport;
}

export function saveRun(run: ProtocolRun): void {
  mkdirSync(PROTOCOL_DIR, { recursive: true });
  const file = join(PROTOCOL_DIR, `${run.label.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}.json`);
  writeFileSync(file, JSON.stringify(run) + '\n');
}

/**
 * Runs of one recipe over other test seeds (parallel processes) as one run over all their seeds: each row's values
 * joined, each user's score the mean over every seed. The first run's validation and weights are kept (the runs
 * must share them: the same epochs and weights given, or chosen alike).
 */
export function joinSeeds(runs: ProtocolRun[]): ProtocolRun {
  const [first, ...rest] = runs;
  if (!first) throw new Error('no runs to join');
  if (rest.some((r) => r.report.blend.chosen.join() !== first.report.blend.chosen.join()))
    throw new Error(`runs of '${first.label}' served other For you weights: not one run`);
  const seeds = (r: ProtocolRow) => r.ndcg10.values.length;
  const tests = first.report.tests.map((t) => ({
    ...t,
    intervals: [],
    rows: t.rows.map((row) => {
      const same = runs.map((r) => {
        const match = r.report.tests.find((x) => x.protocol === t.protocol)?.rows.find((x) => x.model === row.model);
        if (!match) throw new Error(`a run of '${first.label}' has no row '${row.model}' in ${t.protocol}`);
        return match;
      });
      const n = same.reduce((a, r) => a + seeds(r), 0);
      return {
        ...row,
        ndcg10: seedSpread(same.flatMap((r) => r.ndcg10.values)),
        hr10: seedSpread(same.flatMap((r) => r.hr10.values)),
        perUser: row.perUser.map((_, u) => same.reduce((a, r) => a + (r.perUser[u] as number) * seeds(r), 0) / n),
      };
    }),
  }));
  return {
    ...first,
    measured: runs
      .map((r) => r.measured)
      .sort()
      .at(-1) as string,
    report: { ...first.report, tests, seconds: runs.reduce((a, r) => a + r.report.seconds, 0) },
  };
}

export function savedRuns(): ProtocolRun[] {
  if (!existsSync(PROTOCOL_DIR)) return [];
  return readdirSync(PROTOCOL_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(PROTOCOL_DIR, f), 'utf8')) as ProtocolRun);
}

export const describeRecipe = (c: SequentialConfig): string =>
  [
    c.loss === 'full' ? 'full cross-entropy' : `sampled softmax (${c.negatives})`,
    `${c.blocks} block${c.blocks === 1 ? '' : 's'}${c.peerLayers ? " (SASRec-CE's layers)" : ''}`,
    ...((c.ensemble ?? 1) > 1 ? [`${c.ensemble} models averaged`] : []),
    `${c.windows ?? 'all'} windows${c.windows === 'recency' ? ` (decay ${c.recencyDecay ?? 0.5})` : ''}`,
    `lr ${c.learningRate}, batch ${c.batchSize}, dropout ${c.dropout}`,
    ...(c.ema ? [`EMA ${c.ema}`] : []),
    `up to ${c.epochs} epochs${c.patience ? ` (patience ${c.patience})` : ''}`,
  ].join(', ');

const spread = (s: { mean: number; sd: number }) => `${s.mean.toFixed(4)} ± ${s.sd.toFixed(4)}`;

/** A row named by its run, once per model (EASE appears in several runs: the first is kept). */
function rowsOf(runs: ProtocolRun[], protocol: string): { name: string; row: ProtocolRow }[] {
  const seen = new Set<string>();
  return runs.flatMap((run) =>
    (run.report.tests.find((t) => t.protocol === protocol)?.rows ?? []).flatMap((row) => {
      const shared = row.model.startsWith('EASE');
      const name = shared ? row.model : `${run.label}: ${row.model}`;
      if (seen.has(shared ? 'EASE' : name)) return [];
      seen.add(shared ? 'EASE' : name);
      return [{ name, row }];
    }),
  );
}

export function protocolMarkdown(runs: ProtocolRun[], against: string[] = ['SASRec-CE', 'EASE']): string {
  const protocols = [...new Set(runs.flatMap((r) => r.report.tests.map((t) => t.protocol)))];
  const lines: string[] = [
    table(
      [
        'run',
        'recipe',
        'validation seeds: epochs chosen (mean curve peak)',
        "For you's weights (kNN / BPR / seq)",
        'validation NDCG@10 of the blend: where chosen / cross-fitted',
        'test seeds',
        'where',
        'hours',
      ],
      runs.map((r) => {
        const c = r.report.validation.curves[0];
        const peak = c?.mean.find((p) => p.epoch === c.epochs)?.score;
        return [
          r.label,
          describeRecipe(r.report.recipe),
          c ? `${c.seeds.join(', ') || 'given'}: ${c.epochs}${peak !== undefined ? ` (${peak.toFixed(4)})` : ''}` : '-',
          r.report.blend.chosen.join(' / '),
          r.report.blend.inSample === null
            ? 'given'
            : `${r.report.blend.inSample.toFixed(4)} / ${(r.report.blend.crossFitted ?? 0).toFixed(4)}`,
          String(r.report.tests[0]?.rows[0]?.ndcg10.values.length ?? 0),
          r.where,
          (r.report.seconds / 3600).toFixed(2),
        ];
      }),
    ),
  ];
  for (const protocol of protocols) {
    const rows = rowsOf(runs, protocol);
    lines.push(
      '',
      `**${protocol}**`,
      '',
      table(
        ['model', 'NDCG@10 mean ± sd', 'per seed', 'HR@10 mean ± sd', 'users / queries'],
        rows.map(({ name, row }) => [
          name,
          spread(row.ndcg10),
          row.ndcg10.values.map((v) => v.toFixed(4)).join(', '),
          spread(row.hr10),
          `${row.users} / ${row.queries}`,
        ]),
      ),
    );
    const peers = rows.filter(({ name }) => against.some((a) => name.startsWith(a)));
    const ours = rows.filter(({ name }) => !against.some((a) => name.startsWith(a)));
    const intervals = peers.flatMap((p) =>
      ours
        .filter((o) => o.row.perUser.length === p.row.perUser.length && o.row.perUser.length > 0)
        .map((o) => ({ o, p, i: pairedBootstrapRatio(o.row.perUser, p.row.perUser, { seed: 7 }) })),
    );
    if (intervals.length)
      lines.push(
        '',
        table(
          ['ratio of mean NDCG@10', 'ratio', 'paired bootstrap 95% interval'],
          intervals.map(({ o, p, i }) => [
            `${o.name} / ${p.name}`,
            i.ratio.toFixed(3),
            `${i.low.toFixed(3)} to ${i.high.toFixed(3)}`,
          ]),
        ),
      );
  }
  return lines.join('\n');
}

/** Writes the section from every saved run. */
export function writeProtocolSection(browser?: string): void {
  const runs = savedRuns();
  if (!runs.length) return;
  writeSection('protocol', {
    order: 32,
    title: 'Recommendation quality protocol',
    ...(browser ? { browser } : {}),
    data: runs.map((r) => ({
      ...r,
      report: {
        ...r.report,
        tests: r.report.tests.map((t) => ({ ...t, rows: t.rows.map(({ perUser: _, ...x }) => x) })),
      },
    })),
    markdown: [
      protocolMarkdown(runs),
      '',
      "MovieLens ml-latest-small (src/recommend/protocol.ts). Validation: each user's last 5 training ratings, each " +
        'ranked from its own history; a run trains its recipe once per validation seed and takes the epoch count at ' +
        "the peak of the mean curve. For you's weights: a coarse grid on the same queries, chosen on all users; the " +
        'cross-fitted score is each half-of-the-users choice measured on the other half. Test: each protocol trains the ' +
        'recipe afresh per test seed on the whole training split for that many epochs; leave-last-out holds out each ' +
        "user's last rating, leave-last-5-out the last 5 (each ranked from its own history: 5 queries per user), " +
        'ties-shuffled the last rating with ratings of the same second ordered by a seeded shuffle instead of by movie ' +
        'id. Intervals: the paired bootstrap over users (2,000 resamples) of each row against each peer row, each ' +
        "user's NDCG@10 averaged over the seeds. Every run's JSON, per-user scores included, is in " +
        'bench/results/protocol/.',
    ].join('\n'),
  });
}
