/**
 * Sparse item vectors (`values` holds `dims` numbers per entry of `item`) as a dense [items x dims] block of unit
 * rows; an item without a vector keeps a zero row. The shape a shop pack's item vectors are shipped in
 * (catalog/schema.ts ItemVectorsSchema), read by the item space and by the builder's privacy cost alike.
 */
import { normalize } from './word-vectors';

export function unitRows(items: number, v: { dims: number; item: number[]; values: number[] }): Float32Array {
  const rows = new Float32Array(items * v.dims);
  v.item.forEach((i, k) => rows.set(v.values.slice(k * v.dims, (k + 1) * v.dims), i * v.dims));
  for (let r = 0; r < items; r++) normalize(rows, r * v.dims, v.dims);
  return rows;
}
