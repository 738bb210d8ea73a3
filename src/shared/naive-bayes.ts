/**
 * A multinomial naive Bayes text classifier (Laplace smoothing), trained on the device in milliseconds: query
 * intent learns the catalog's aisles and categories from its own items' words (../search); the assistant learns
 * question intents from its labelled questions (../assistant). Naive Bayes because it trains in one pass, needs no tuning and is a
 * strong baseline for short texts (Wang & Manning 2012).
 */
import { STOPWORDS, terms } from './text';

export interface Labelled {
  text: string;
  label: string;
}

export interface Prediction {
  label: string;
  p: number;
}

/**
 * The features of a text: its folded words, bare numbers left out, stopwords too unless `stopwords` (a
 * question's "what", "is" and "which" say what kind of question it is), and with `pairs` its word pairs.
 */
export function features(text: string, o: { pairs?: boolean; stopwords?: boolean } = {}): string[] {
  const w = terms(text).filter((t) => (o.stopwords || !STOPWORDS.has(t)) && !/^\d+$/.test(t));
  if (!o.pairs) return w;
  const all = terms(text);
  const pairs = all.slice(1).map((t, i) => `${all[i]}_${t}`);
  return [...w, ...pairs];
}

/**
 * Laplace smoothing's pseudo-count. Small: with add-one, a label with few words (Fashion's two-word titles) gets so
 * much mass for words it never saw that "bookcase" went to Fashion; at 0.1 it goes to Office > Furniture.
 */
export const ALPHA = 0.1;

export class NaiveBayes {
  private constructor(
    readonly labels: string[],
    private readonly logPrior: Float64Array,
    /** Per feature: log P(feature | label) per label. */
    private readonly logLikelihood: Map<string, Float64Array>,
  ) {}

  static train(examples: { features: string[]; label: string }[], alpha = ALPHA): NaiveBayes {
    const labels = [...new Set(examples.map((e) => e.label))].sort();
    const li = new Map(labels.map((l, i) => [l, i]));
    const L = labels.length;
    const docs = new Float64Array(L);
    const totals = new Float64Array(L);
    const counts = new Map<string, Float64Array>();
    for (const e of examples) {
      const l = li.get(e.label) as number;
      docs[l] = (docs[l] as number) + 1;
      for (const f of e.features) {
        let c = counts.get(f);
        if (!c) counts.set(f, (c = new Float64Array(L)));
        c[l] = (c[l] as number) + 1;
        totals[l] = (totals[l] as number) + 1;
      }
    }
    const V = counts.size + 1;
    const logPrior = docs.map((d) => Math.log(d / examples.length));
    const denom = totals.map((t) => Math.log(t + alpha * V));
    const logLikelihood = new Map<string, Float64Array>();
    for (const [f, c] of counts)
      logLikelihood.set(
        f,
        c.map((n, l) => Math.log(n + alpha) - (denom[l] as number)),
      );
    return new NaiveBayes(labels, logPrior, logLikelihood);
  }

  /** How many of these features the classifier has seen (0: it knows nothing of the text). */
  known(fs: string[]): number {
    return fs.filter((f) => this.logLikelihood.has(f)).length;
  }

  /** Every label's posterior, best first (features never seen are ignored). */
  predict(fs: string[]): Prediction[] {
    const s = Float64Array.from(this.logPrior);
    for (const f of fs) {
      const ll = this.logLikelihood.get(f);
      if (!ll) continue;
      for (let l = 0; l < s.length; l++) s[l] = (s[l] as number) + (ll[l] as number);
    }
    const max = Math.max(...s);
    const e = s.map((v) => Math.exp(v - max));
    const z = e.reduce((a, b) => a + b, 0);
    return this.labels.map((label, l) => ({ label, p: (e[l] as number) / z })).sort((a, b) => b.p - a.p);
  }
}
