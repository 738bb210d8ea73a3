/**
 * Binary classification metrics (positive class = 1): accuracy, F1 of the positive class, ROC AUC (the
 * probability that a random positive outscores a random negative, ties counting half), and the accuracy-best
 * threshold on a training set (how the lexicon baselines get a fair cut-off).
 */

export interface BinaryMetrics {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc: number;
}

function check(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length || scores.length === 0)
    throw new Error('metrics: scores and labels must be non-empty and equal in length');
}

/** Metrics of `scores` against 0/1 `labels`, predicting 1 when score > threshold. */
export function binaryMetrics(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): BinaryMetrics {
  check(scores, labels);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let k = 0; k < scores.length; k++) {
    const pred = (scores[k] as number) > threshold;
    const pos = labels[k] === 1;
    if (pred && pos) tp++;
    else if (pred) fp++;
    else if (pos) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return {
    n: scores.length,
    accuracy: (tp + tn) / scores.length,
    precision,
    recall,
    f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0,
    auc: rocAuc(scores, labels),
  };
}

/** ROC AUC by ranks (Mann-Whitney U), average ranks for ties. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(scores, labels);
  const order = Array.from({ length: scores.length }, (_, k) => k).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1] as number] === scores[order[i] as number]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (labels[order[k] as number] === 1) {
        pos++;
        rankSum += avgRank;
      }
    i = j + 1;
  }
  const neg = scores.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The threshold with the best accuracy on (scores, labels): midpoints between distinct sorted scores. */
export function bestThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  check(scores, labels);
  const order = Array.from({ length: scores.length }, (_, k) => k).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let positives = 0;
  for (let k = 0; k < labels.length; k++) if (labels[k] === 1) positives++;
  // Threshold below everything: all predicted positive.
  let correct = positives;
  let best = correct;
  let threshold = (scores[order[0] as number] as number) - 1;
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as number;
    correct += labels[k] === 1 ? -1 : 1;
    const next = order[i + 1];
    const here = scores[k] as number;
    if (next !== undefined && scores[next] === here) continue;
    if (correct > best) {
      best = correct;
      threshold = next === undefined ? here : (here + (scores[next] as number)) / 2;
    }
  }
  return threshold;
}
