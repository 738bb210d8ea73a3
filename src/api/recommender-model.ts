/** The BPR-MF recommender as a saved model on this device (see ./model-lifecycle.ts). */
import type { Engine, ShopperEvent } from '../engine/types';
import { BPR_VERSION, DEFAULT_BPR, type BprWeights } from '../recommend/contract';
import { float32, tensorData, type ModelSpec } from './model-lifecycle';

/** The saved model's id: one per pack (the pack the factor models are trained on). */
export const recommenderModelId = (packId: string): string => `bpr:${packId}`;

/** `shopperEvents`: the shopper's history, which joins the training data as one more user. */
export function recommenderSpec(
  engine: Engine,
  packId: string,
  shopperEvents: () => Promise<ShopperEvent[]>,
): ModelSpec<BprWeights> {
  return {
    id: recommenderModelId(packId),
    kind: 'bpr-mf',
    version: BPR_VERSION,
    train: async (jobId, onProgress, o) =>
      engine.recommend.train(jobId, { ...DEFAULT_BPR, ...o }, onProgress, await shopperEvents()),
    use: (w) => engine.recommend.use(w),
    backend: async () => (await engine.runtime.status()).backend ?? 'unknown',
    toRecord: (w) => ({
      tensors: [
        float32('user', w.user, [w.numUsers, w.dim]),
        float32('item', w.item, [w.numItems, w.dim]),
        float32('itemBias', w.itemBias, [w.numItems]),
      ],
    }),
    fromRecord: (record) => {
      const user = record.tensors.find((t) => t.name === 'user');
      const item = record.tensors.find((t) => t.name === 'item');
      if (user?.shape.length !== 2 || item?.shape.length !== 2) return null;
      const [numUsers = 0, dim = 0] = user.shape;
      const [numItems = 0] = item.shape;
      const u = tensorData(record, 'user', numUsers * dim);
      const v = tensorData(record, 'item', numItems * dim);
      const b = tensorData(record, 'itemBias', numItems);
      return u && v && b ? { dim, numUsers, numItems, user: u, item: v, itemBias: b } : null;
    },
  };
}
