/**
 * The shop page's worker: builds a pack from the files the shop owner dropped, in their browser (never uploaded),
 * off the page's thread so the page stays responsive on a million order lines. Returns one self-contained pack
 * file (its items, aggregates and reviews inline), which the owner downloads and serves as pack.json.
 */
import * as Comlink from 'comlink';
import { installErrorTransfer } from '../shared/comlink-errors';
import { buildShopPack } from './build';
import type { ShopPackDownload, ShopPackRequest, ShopPackWorkerApi } from './contract';
import type { InputFile } from './source';

/** A dropped file as the builder reads it: its bytes chunk by chunk, never the whole file at once. */
const fileInput = (file: File): InputFile => ({
  name: file.name,
  chunks: async function* () {
    const reader = file.stream().getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      reader.releaseLock();
    }
  },
});

const api: ShopPackWorkerApi = {
  async build(r: ShopPackRequest, onProgress: (stage: string) => void): Promise<ShopPackDownload> {
    const pack = await buildShopPack(
      {
        products: r.products.map(fileInput),
        orders: r.orders.map(fileInput),
        ...(r.reviews ? { reviews: fileInput(r.reviews) } : {}),
        ...(r.itemVectors ? { itemVectors: fileInput(r.itemVectors) } : {}),
      },
      {
        id: r.id,
        name: r.name,
        k: r.k,
        epsilon: r.epsilon,
        currency: r.currency,
        evaluate: r.evaluate,
        onProgress: (stage) => onProgress(stage),
      },
    );
    const inline: Record<string, unknown> = { ...pack.manifest };
    for (const [name, text] of pack.files) {
      const field = Object.entries(pack.manifest).find(([, v]) => v === name)?.[0];
      if (field && typeof text === 'string') inline[field] = JSON.parse(text);
    }
    return { pack: JSON.stringify(inline), report: pack.report };
  },
};

// Errors reach the page as HushCartError with their code and message (the file and line that failed).
installErrorTransfer();
Comlink.expose(api);
