/** The sequential next-item model as a saved model on this device (see ./model-lifecycle.ts). */
import type { Engine, ShopperEvent } from '../engine/types';
import {
  SEQUENTIAL_RECIPES,
  SEQUENTIAL_VERSION,
  sequentialRecipe,
  weightList,
  weightsOf,
  type BlockWeights,
  type SequentialWeights,
  PEER_BLOCK_TENSORS,
} from '../recommend/contract';
import { float32, tensorData, type SavedTensor, type ModelSpec } from './model-lifecycle';
import type { WeightsRecord } from '../store/schema';

/** The saved model's id: one per pack (the pack the factor models are trained on). */
export const sequentialModelId = (packId: string): string => `sequential:${packId}`;

const BLOCK_TENSORS = ['ln1Gain', 'ln1Bias', 'wq', 'wk', 'wv', 'ln2Gain', 'ln2Bias', 'w1', 'b1', 'w2', 'b2'] as const;
/** The block's [dim x dim] matrices; the rest are [dim] vectors. */
const isMatrix = (name: string) => ['wq', 'wk', 'wv', 'w1', 'w2', 'wo'].includes(name);

/** `shopperEvents`: the shopper's history, whose movie sequence joins the training data as one more sequence. */
export function sequentialSpec(
  engine: Engine,
  packId: string,
  shopperEvents: () => Promise<ShopperEvent[]>,
): ModelSpec<SequentialWeights> {
  return {
    id: sequentialModelId(packId),
    kind: 'sasrec',
    version: SEQUENTIAL_VERSION,
    train: async (jobId, onProgress, { recipe = 'quick', ...o }) =>
      engine.sequential.train(
        jobId,
        { ...SEQUENTIAL_RECIPES[sequentialRecipe(recipe)].config, ...o },
        onProgress,
        await shopperEvents(),
      ),
    use: (w) => engine.sequential.use(w),
    backend: async () => (await engine.runtime.status()).backend ?? 'unknown',
    toRecord: (w) => ({
      tensors: [
        ...modelTensors(w, ''),
        ...(w.members ?? []).flatMap((m, k) => modelTensors(m, memberPrefix(k))),
        ...(w.blend ? [float32('blend', Float32Array.from(weightList(w.blend)), [3])] : []),
      ],
    }),
    fromRecord: (record) => {
      const first = modelFrom(record, '');
      if (!first) return null;
      // An ensemble's other models (SequentialConfig.ensemble), each the same shape as the first.
      const members: SequentialWeights[] = [];
      for (let k = 0; record.tensors.some((t) => t.name === `${memberPrefix(k)}item`); k++) {
        const m = modelFrom(record, memberPrefix(k));
        if (!m || m.dim !== first.dim || m.numItems !== first.numItems) return null;
        members.push(m);
      }
      // For you's weights chosen for this model (a model saved before they were has none: the defaults apply).
      const blend = record.tensors.some((t) => t.name === 'blend') ? tensorData(record, 'blend', 3) : undefined;
      if (blend === null || (blend && !blend.every((x) => Number.isFinite(x) && x >= 0))) return null;
      return {
        ...first,
        ...(blend ? { blend: weightsOf(blend) } : {}),
        ...(members.length ? { members } : {}),
      };
    },
  };
}

/** The tensors of an ensemble's k-th other model are named with this prefix. */
const memberPrefix = (k: number) => `member${k + 1}.`;

/** One model's tensors, named with `prefix`. */
function modelTensors(w: SequentialWeights, prefix: string): SavedTensor[] {
  const d = w.dim;
  const tensors: SavedTensor[] = [
    float32(`${prefix}item`, w.item, [w.numItems + 1, d]),
    float32(`${prefix}itemBias`, w.itemBias, [w.numItems + 1]),
    float32(`${prefix}position`, w.position, [w.maxLen, d]),
    float32(`${prefix}lnGain`, w.lnGain, [d]),
    float32(`${prefix}lnBias`, w.lnBias, [d]),
  ];
  w.block.forEach((b, k) => {
    for (const name of [...BLOCK_TENSORS, ...PEER_BLOCK_TENSORS]) {
      const data = b[name];
      if (data) tensors.push(float32(`${prefix}block${k}.${name}`, data, isMatrix(name) ? [d, d] : [d]));
    }
  });
  if (w.embeddingScale !== undefined)
    tensors.push(float32(`${prefix}embeddingScale`, Float32Array.of(w.embeddingScale), [1]));
  return tensors;
}

/** One model from the tensors named with `prefix`, or null when one is missing or misshapen. */
function modelFrom(record: WeightsRecord, prefix: string): SequentialWeights | null {
  const named = (name: string) => record.tensors.find((t) => t.name === `${prefix}${name}`);
  const data = (name: string, length: number) => tensorData(record, `${prefix}${name}`, length);
  const item = named('item');
  const position = named('position');
  if (item?.shape.length !== 2 || position?.shape.length !== 2) return null;
  const [rows = 0, dim = 0] = item.shape;
  const [maxLen = 0] = position.shape;
  const blocks = record.tensors.filter((t) => t.name.startsWith(`${prefix}block`) && t.name.endsWith('.wq')).length;
  const block: BlockWeights<Float32Array>[] = [];
  for (let k = 0; k < blocks; k++) {
    const b: Partial<BlockWeights<Float32Array>> = {};
    for (const name of BLOCK_TENSORS) {
      const t = data(`block${k}.${name}`, isMatrix(name) ? dim * dim : dim);
      if (!t) return null;
      b[name] = t;
    }
    // SASRec-CE's layers: all five of its tensors or none.
    const peer = PEER_BLOCK_TENSORS.map((name) =>
      named(`block${k}.${name}`) ? data(`block${k}.${name}`, isMatrix(name) ? dim * dim : dim) : undefined,
    );
    if (peer.some((t) => t === null) || (peer.some((t) => t) && !peer.every((t) => t))) return null;
    PEER_BLOCK_TENSORS.forEach((name, j) => {
      if (peer[j]) b[name] = peer[j];
    });
    block.push(b as BlockWeights<Float32Array>);
  }
  const w = {
    item: data('item', rows * dim),
    itemBias: data('itemBias', rows),
    position: data('position', maxLen * dim),
    lnGain: data('lnGain', dim),
    lnBias: data('lnBias', dim),
  };
  if (!w.item || !w.itemBias || !w.position || !w.lnGain || !w.lnBias || rows < 2) return null;
  const scale = named('embeddingScale') ? data('embeddingScale', 1)?.[0] : 1;
  if (scale === undefined || !Number.isFinite(scale) || scale <= 0) return null;
  return {
    ...(scale !== 1 ? { embeddingScale: scale } : {}),
    version: SEQUENTIAL_VERSION,
    dim,
    maxLen,
    blocks,
    numItems: rows - 1,
    item: w.item,
    itemBias: w.itemBias,
    position: w.position,
    lnGain: w.lnGain,
    lnBias: w.lnBias,
    block,
  };
}
