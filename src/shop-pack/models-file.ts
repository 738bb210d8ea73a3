/**
 * Models shipped with a shop pack (`--models`): a file `HushCart.exportModels()` wrote after the app's own code
 * trained them on the shop's side (scripts/build-models.mjs does it in headless Chromium), copied into the pack as
 * it is. It must hold models only: an export that carries a shopper's events or settings is refused, so a shop
 * cannot publish someone's history by shipping the wrong file. Each model's card (what it is, its recipe, when it
 * was trained, its measured metrics, the data it is stamped with) goes into the privacy report.
 */
import { ExportSchema } from '../store/profile';
import type { ShippedModelCard } from './contract';
import { inputError, type InputFile } from './source';

async function allBytes(file: InputFile): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of file.chunks())
    parts.push(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Reads and checks a models file; returns it gzipped (as the pack serves it) with each model's card. */
export async function readModelsFile(file: InputFile): Promise<{ bytes: Uint8Array; cards: ShippedModelCard[] }> {
  const raw = await allBytes(file);
  const gzipped = raw[0] === 0x1f && raw[1] === 0x8b;
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(
      gzipped ? await through(raw, new DecompressionStream('gzip')) : raw,
    );
    json = JSON.parse(text);
  } catch (e) {
    throw inputError(file.name, `not a models file (gzipped or plain JSON): ${(e as Error).message}`);
  }
  const parsed = ExportSchema.safeParse(json);
  if (!parsed.success)
    throw inputError(
      file.name,
      `not a models file HushCart wrote (exportModels): ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
    );
  const x = parsed.data;
  if (x.events.length || Object.keys(x.settings).length)
    throw inputError(
      file.name,
      `holds ${x.events.length} of a shopper's events and ${Object.keys(x.settings).length} settings: a pack ships models only (export it with exportModels, not exportData)`,
    );
  if (!x.models?.length) throw inputError(file.name, 'holds no model');
  const cards = x.models.map(({ meta }) => ({
    id: meta.id,
    kind: meta.kind,
    ...(meta.recipe ? { recipe: meta.recipe } : {}),
    trainedAt: new Date(meta.createdAt).toISOString().slice(0, 10),
    dataHash: meta.dataHash,
    metrics: meta.metrics,
    bytes: meta.bytes,
  }));
  return { bytes: gzipped ? raw : await through(raw, new CompressionStream('gzip')), cards };
}
