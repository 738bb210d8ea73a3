/**
 * The classical peer: logistic regression on binary unigram + bigram features (over the same tokens), L2,
 * trained by AdaGrad in plain JavaScript (sparse rows, no tensors needed). Features seen in fewer than two
 * training texts are dropped.
 */
import { mulberry32, permutation } from '../runtime/random';
import type { Token } from './tokenize';

export interface LogRegConfig {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
}

export const DEFAULT_LOGREG: LogRegConfig = { epochs: 15, learningRate: 0.2, l2: 1e-3, seed: 3 };

export interface LogReg {
  features: Map<string, number>;
  weights: Float32Array;
  bias: number;
}

function grams(tokens: Token[]): string[] {
  const out = new Set<string>();
  tokens.forEach((t, k) => {
    out.add(t.norm);
    const next = tokens[k + 1];
    if (next) out.add(`${t.norm} ${next.norm}`);
  });
  return [...out];
}

function rows(docs: Token[][], features: Map<string, number>): Int32Array[] {
  return docs.map((d) =>
    Int32Array.from(
      grams(d)
        .map((g) => features.get(g))
        .filter((i): i is number => i !== undefined),
    ),
  );
}

export function trainLogReg(docs: Token[][], labels: Uint8Array, config: LogRegConfig): LogReg {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of grams(d)) df.set(g, (df.get(g) ?? 0) + 1);
  const features = new Map<string, number>();
  for (const [g, c] of df) if (c >= 2) features.set(g, features.size);
  const x = rows(docs, features);
  const w = new Float32Array(features.size);
  const g2 = new Float32Array(features.size).fill(1e-8);
  let bias = 0;
  let gb = 1e-8;
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (const k of permutation(docs.length, mulberry32(config.seed + epoch))) {
      const row = x[k] as Int32Array;
      let z = bias;
      for (const i of row) z += w[i] as number;
      const err = 1 / (1 + Math.exp(-z)) - (labels[k] as number);
      for (const i of row) {
        // L2 applied lazily, to the features present in this example.
        const g = err + config.l2 * (w[i] as number);
        g2[i] = (g2[i] as number) + g * g;
        w[i] = (w[i] as number) - (config.learningRate * g) / Math.sqrt(g2[i] as number);
      }
      gb += err * err;
      bias -= (config.learningRate * err) / Math.sqrt(gb);
    }
  }
  return { features, weights: w, bias };
}

/** P(positive) per document. */
export function logRegScores(model: LogReg, docs: Token[][]): Float32Array {
  return Float32Array.from(rows(docs, model.features), (row) => {
    let z = model.bias;
    for (const i of row) z += model.weights[i] as number;
    return 1 / (1 + Math.exp(-z));
  });
}
