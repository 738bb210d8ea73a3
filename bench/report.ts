/** Merges the sections the suites wrote into results/latest.json and results/latest.md, with the machine. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { RESULTS_DIR, SECTIONS_DIR, type Section } from './sections';

export default function report(): void {
  if (!existsSync(SECTIONS_DIR)) return;
  const sections = readdirSync(SECTIONS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({
      name: f.replace(/\.json$/, ''),
      ...(JSON.parse(readFileSync(join(SECTIONS_DIR, f), 'utf8')) as Section),
    }))
    .sort((a, b) => a.order - b.order);
  if (!sections.length) return;
  const machine = {
    platform: `${platform()} ${release()}`,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const browser = sections.find((s) => s.browser)?.browser ?? 'unknown';
  const date = new Date().toISOString();
  // A run of some suites (e.g. `npm run bench -- catalog-scale`) keeps the other sections of the last report.
  const previous = previousReport(new Set(sections.map((s) => s.title)), new Set(sections.map((s) => s.name)));
  writeFileSync(
    join(RESULTS_DIR, 'latest.json'),
    JSON.stringify(
      {
        date,
        machine,
        browser,
        sections: { ...previous.data, ...Object.fromEntries(sections.map((s) => [s.name, s.data])) },
      },
      null,
      2,
    ) + '\n',
  );
  const md = [
    '# HushCart benchmarks',
    '',
    `- Date: ${date}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.platform}, Node ${machine.node}`,
    `- Browser: ${browser} (headless, \`--enable-unsafe-webgpu\`)`,
    '',
    ...previous.markdown,
    ...sections.flatMap((s) => [
      `## ${s.title}`,
      '',
      `_Measured ${s.date ?? 'at an unknown date'}._`,
      '',
      s.markdown,
      '',
    ]),
  ].join('\n');
  writeFileSync(join(RESULTS_DIR, 'latest.md'), md);
  console.log(`bench: wrote ${join(RESULTS_DIR, 'latest.md')} and latest.json`);
}

/** The sections of the last report that this run did not measure: their markdown (with their date) and data. */
function previousReport(
  titles: Set<string>,
  names: Set<string>,
): { markdown: string[]; data: Record<string, unknown> } {
  const md = join(RESULTS_DIR, 'latest.md');
  const json = join(RESULTS_DIR, 'latest.json');
  const chunks = existsSync(md)
    ? readFileSync(md, 'utf8')
        .split(/^(?=## )/m)
        .slice(1)
    : [];
  const markdown = chunks.filter((c) => !titles.has(c.slice(3, c.indexOf('\n')).trim())).map((c) => c.trimEnd() + '\n');
  const old = existsSync(json)
    ? ((JSON.parse(readFileSync(json, 'utf8')) as { sections?: Record<string, unknown> }).sections ?? {})
    : {};
  return { markdown, data: Object.fromEntries(Object.entries(old).filter(([k]) => !names.has(k))) };
}
