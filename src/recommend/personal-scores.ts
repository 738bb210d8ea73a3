/**
 * For you's scores for one pack from the shopper's weighted history: the item space alone for a pack without
 * interactions; item-kNN and the item space by evidence without a trained model; otherwise kNN over the recent items
 * blended with the BPR-MF fold-in and the sequential model, each standardised and weighted. Each score comes with its
 * split over the history items (the reasons).
 */
import { bprScores, type BprWeights } from './bpr';
import { contentScores, cosine } from './content';
import { evidenceContributions, evidenceScores } from './evidence';
import { foldIn, foldInContributions } from './fold-in';
import { contributions, type WeightedItem } from './knn';
import { FOR_YOU_WITHOUT_SEQUENTIAL, servedWeights } from './blend-config';
import type { NextItemScorer } from './sequential-scorer';
import { occlusion } from './up-next';
import { contentOnly, sentimentFactor, standardize, type PackInteractions, type PersonalScores } from './pack-view';

/**
 * personalScores without the memory. `history`: the whole weighted history (kNN alone, the fold-in);
 * `recent`: its newest items, decayed (kNN within the blend); `seq`: the sequential model's input.
 */
export function scorePack(
  pack: PackInteractions,
  models: { factors?: BprWeights; scorer?: NextItemScorer },
  history: WeightedItem[],
  recent: WeightedItem[],
  seq: number[],
): PersonalScores {
  const c = contentOnly(pack);
  if (c) {
    const scores = weighBySentiment(pack, contentScores(c.vectors, c.dims, history));
    return {
      scores,
      contribution: (j) =>
        history
          .map(({ item, weight }) => ({ item, weight: weight * cosine(c.vectors, c.dims, item, j) }))
          .sort((a, b) => b.weight - a.weight),
    };
  }
  const w = models.factors;
  const scorer = models.scorer;
  if (!w && !(scorer && seq.length)) {
    const space = pack.space;
    if (space)
      return {
        scores: evidenceScores(pack.neighbours, space, history),
        contribution: (j) => evidenceContributions(pack.neighbours, space, history, j),
      };
    const knn = pack.neighbours.scores(history);
    return { scores: knn, contribution: (j) => contributions(pack.neighbours, history, j) };
  }
  // Each part: its scores (standardised in place) and its split of item j's score over the history items; the
  // fold-in is not computed when it is weighted 0.
  const weights = scorer && seq.length ? servedWeights(scorer) : FOR_YOU_WITHOUT_SEQUENTIAL;
  const knn = pack.neighbours.scores(recent);
  const parts: { scores: Float32Array; sd: number; weight: number; split: (j: number) => WeightedItem[] }[] = [
    {
      scores: knn,
      sd: standardize(knn),
      weight: weights.knn,
      split: (j) => contributions(pack.neighbours, recent, j),
    },
  ];
  if (w && weights.bpr) {
    const f = foldIn(w.item, w.dim, history);
    const bpr = bprScores(w, f.user, new Float32Array(w.numItems));
    parts.push({
      scores: bpr,
      sd: standardize(bpr),
      weight: weights.bpr,
      split: (j) => foldInContributions(f, w.item, w.dim, history, j),
    });
  }
  if (scorer && seq.length) {
    const next = scorer.scores(seq);
    // The occlusion shares are in the model's own units (divided by sd below, like the other parts).
    const split = occlusion(scorer, seq, Float32Array.from(next));
    parts.push({ scores: next, sd: standardize(next), weight: weights.sequential, split });
  }
  // Shift so that scores stay positive for the "> 0" cut below; ranking is unchanged by the shift.
  const scores = new Float32Array(knn.length);
  for (const p of parts)
    for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] as number) + p.weight * (p.scores[k] as number);
  let min = Infinity;
  for (let k = 0; k < scores.length; k++) if ((scores[k] as number) < min) min = scores[k] as number;
  for (let k = 0; k < scores.length; k++) scores[k] = (scores[k] as number) - min + 1e-6;
  return {
    scores,
    contribution: (j) => {
      const a = new Map<number, number>();
      for (const p of parts)
        for (const c of p.split(j)) a.set(c.item, (a.get(c.item) ?? 0) + (c.weight * p.weight) / p.sd);
      return [...a].map(([item, weight]) => ({ item, weight })).sort((x, y) => y.weight - x.weight);
    },
  };
}

/** Down-weights items whose review reads negative (positive scores only: the "> 0" cuts stay valid). */
export function weighBySentiment(pack: PackInteractions, scores: Float32Array): Float32Array {
  const q = pack.sentiment;
  if (q)
    for (let j = 0; j < scores.length; j++)
      if ((scores[j] as number) > 0) scores[j] = (scores[j] as number) * sentimentFactor(q[j]);
  return scores;
}
