/**
 * `hushcart shop-pack`: the command line over ./build.ts. Files are read as streams from disk; the pack is written
 * all or nothing (./write-pack.ts). The privacy report goes to stdout, and with --report to a JSON file: never into
 * the pack, since it quotes the shop's own files (line numbers of dropped rows).
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { HushCartError } from '../errors';
import { buildShopPack, formatReport } from './build';
import type { InputFile } from './source';
import { writePack } from './write-pack';

const USAGE = `Usage: hushcart shop-pack --products FILE [--products FILE ...] [--orders FILE ... | --counts FILE ...]
                          [--reviews FILE] [--item-vectors FILE] [--models FILE]
                          --out DIR [--id ID] [--name NAME] [--k N] [--epsilon E] [--delta D]
                          [--max-items N] [--max-pairs N] [--currency USD] [--evaluate] [--report FILE]
                          [--source TEXT] [--audience TEXT] [--public-data]

Builds a HushCart pack from a shop's exports: products (Shopify product CSV, Merchant Center TSV or XML, a CSV
with id and title, or JSON Lines), orders (Shopify orders export, or a CSV with order, customer, product, time)
and reviews (a CSV with product, text, rating); or, instead of orders, counts a warehouse computed (a CSV with
kind,a,b,customers: see docs/shop-owners.md). Item vectors trained elsewhere (Spark ALS item factors as JSON
Lines or a CSV of id,features) replace those computed from the released pairs; --models ships the models the app trained on the shop's side (a
file exportModels() wrote; one carrying a shopper's events is refused). The pack carries counts that at least k customers support, with
noise (epsilon per kind of count), never a customer's row. DIR gets pack.json and the files it names.`;

export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

const fileInput = (path: string): InputFile => ({
  name: path,
  chunks: () => createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array>,
});

const number = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new HushCartError('api/invalid-argument', `--${name}: '${v}' is not a number`);
  return n;
};

/** Runs one command; returns the exit code (0 done, 1 bad input, 2 bad usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'shop-pack') {
    io.err(command ? `unknown command '${command}'\n\n${USAGE}` : USAGE);
    return 2;
  }
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        products: { type: 'string', multiple: true },
        orders: { type: 'string', multiple: true },
        counts: { type: 'string', multiple: true },
        reviews: { type: 'string' },
        'item-vectors': { type: 'string' },
        models: { type: 'string' },
        out: { type: 'string' },
        id: { type: 'string' },
        name: { type: 'string' },
        k: { type: 'string' },
        epsilon: { type: 'string' },
        delta: { type: 'string' },
        'max-items': { type: 'string' },
        'max-pairs': { type: 'string' },
        currency: { type: 'string' },
        source: { type: 'string' },
        audience: { type: 'string' },
        evaluate: { type: 'boolean' },
        report: { type: 'string' },
        'public-data': { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const products = (values.products as string[] | undefined) ?? [];
  const out = values.out as string | undefined;
  if (!products.length || !out) {
    io.err(`give --products and --out\n\n${USAGE}`);
    return 2;
  }
  try {
    const id =
      (values.id as string | undefined) ??
      out
        .replace(/[\\/]+$/, '')
        .replace(/^.*[\\/]/, '')
        .toLowerCase();
    const k = number('k', values.k as string | undefined);
    const epsilon = number('epsilon', values.epsilon as string | undefined);
    const delta = number('delta', values.delta as string | undefined);
    const maxItems = number('max-items', values['max-items'] as string | undefined);
    const maxPairs = number('max-pairs', values['max-pairs'] as string | undefined);
    const reviews = values.reviews as string | undefined;
    const vectors = values['item-vectors'] as string | undefined;
    const models = values.models as string | undefined;
    const started = performance.now();
    const pack = await buildShopPack(
      {
        products: products.map(fileInput),
        orders: ((values.orders as string[] | undefined) ?? []).map(fileInput),
        counts: ((values.counts as string[] | undefined) ?? []).map(fileInput),
        ...(reviews ? { reviews: fileInput(reviews) } : {}),
        ...(vectors ? { itemVectors: fileInput(vectors) } : {}),
        ...(models ? { models: fileInput(models) } : {}),
      },
      {
        id,
        name: (values.name as string | undefined) ?? id,
        ...(k !== undefined ? { k } : {}),
        ...(epsilon !== undefined ? { epsilon } : {}),
        ...(delta !== undefined ? { delta } : {}),
        ...(maxItems !== undefined ? { maxItems } : {}),
        ...(maxPairs !== undefined ? { maxPairs } : {}),
        ...(values.currency ? { currency: values.currency as string } : {}),
        ...(values.source ? { source: values.source as string } : {}),
        ...(values.audience ? { audience: values.audience as string } : {}),
        evaluate: !!values.evaluate,
        publicData: !!values['public-data'],
        onProgress: (stage) => io.err(`… ${stage}`),
      },
    );
    writePack(out, pack);
    // maxRSS is in kilobytes: the peak resident memory of the whole build.
    const resources = { seconds: (performance.now() - started) / 1000, peakMB: process.resourceUsage().maxRSS / 1024 };
    const text = formatReport(pack.report, resources);
    if (values.report)
      writeFileSync(values.report as string, JSON.stringify({ ...pack.report, resources }, null, 2) + '\n');
    io.out(`${text}\nWrote ${out}/pack.json and ${[...pack.files.keys()].join(', ')}.`);
    return 0;
  } catch (e) {
    io.err(e instanceof HushCartError ? `hushcart shop-pack: ${e.message}` : String((e as Error).stack ?? e));
    return 1;
  }
}
