/**
 * Content scores over item vectors (the item space, text vectors from ../shared/word-vectors.ts): the cold-start
 * answer for items without interactions (Pantry), compared by meaning from the first view.
 */

/** Cosine scores of every item against a (weighted) profile of item rows. */
export function contentScores(
  vectors: Float32Array,
  dims: number,
  profile: { item: number; weight: number }[],
  out?: Float32Array,
): Float32Array {
  const n = vectors.length / dims;
  const q = new Float32Array(dims);
  for (const { item, weight } of profile)
    for (let p = 0; p < dims; p++) q[p] = (q[p] as number) + weight * (vectors[item * dims + p] as number);
  const scores = out ?? new Float32Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < dims; p++) s += (vectors[j * dims + p] as number) * (q[p] as number);
    scores[j] = s;
  }
  return scores;
}

export function cosine(vectors: Float32Array, dims: number, a: number, b: number): number {
  let s = 0;
  for (let p = 0; p < dims; p++) s += (vectors[a * dims + p] as number) * (vectors[b * dims + p] as number);
  return s;
}
