/**
 * The sentiment training and test data, from the shipped files: Amazon Fine Foods reviews ("great" = 5 stars
 * vs "other"; the shipped train/test split is kept, its test part never trained on) and the UCI labelled
 * sentences (every fifth sentence of each source held out as a test set). A tenth of each training pool is
 * kept aside for validation (choosing epochs and the baselines' settings), so no test example steers a choice.
 */
import { fetchJson, type Fetcher } from '../catalog/fetch';
import { HushCartError } from '../errors';

export interface LabelledText {
  text: string;
  /** 1 = positive ("great" for Fine Foods, 1 for UCI). */
  label: 0 | 1;
  source: string;
  itemId?: string;
}

export interface SentimentData {
  train: LabelledText[];
  validation: LabelledText[];
  tests: { name: string; rows: LabelledText[] }[];
  afinn: Record<string, number>;
  vader: Record<string, number>;
}

export interface SentimentDataUrls {
  fineFoods: string;
  uci: string;
  afinn: string;
  vader: string;
}

export const FINE_FOODS_TEST = 'Fine Foods test';
export const UCI_TEST = 'UCI sentences (held out)';

function record(v: unknown, what: string): Record<string, number> {
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new HushCartError('catalog/invalid', `${what}: expected an object of word valences`);
  return v as Record<string, number>;
}

export async function loadSentimentData(urls: SentimentDataUrls, fetcher?: Fetcher): Promise<SentimentData> {
  const [ff, uci, afinn, vader] = await Promise.all([
    fetchJson(urls.fineFoods, fetcher),
    fetchJson(urls.uci, fetcher),
    fetchJson(urls.afinn, fetcher),
    fetchJson(urls.vader, fetcher),
  ]);
  if (!Array.isArray(ff) || !Array.isArray(uci))
    throw new HushCartError('catalog/invalid', 'sentiment data: expected arrays of labelled texts');
  const trainPool: LabelledText[] = [];
  const ffTest: LabelledText[] = [];
  const uciTest: LabelledText[] = [];
  ff.forEach((r: { itemId?: unknown; text?: unknown; label?: unknown; split?: unknown }, k) => {
    if (typeof r.text !== 'string' || (r.label !== 'great' && r.label !== 'other'))
      throw new HushCartError(
        'catalog/invalid',
        `${urls.fineFoods}: review ${k} needs text and label "great" or "other"`,
      );
    const row: LabelledText = {
      text: r.text,
      label: r.label === 'great' ? 1 : 0,
      source: 'fine-foods',
      ...(typeof r.itemId === 'string' ? { itemId: r.itemId } : {}),
    };
    (r.split === 'test' ? ffTest : trainPool).push(row);
  });
  const perSource = new Map<string, number>();
  uci.forEach((r: { source?: unknown; text?: unknown; label?: unknown }, k) => {
    if (typeof r.text !== 'string' || (r.label !== 0 && r.label !== 1) || typeof r.source !== 'string')
      throw new HushCartError('catalog/invalid', `${urls.uci}: sentence ${k} needs source, text and label 0 or 1`);
    const n = perSource.get(r.source) ?? 0;
    perSource.set(r.source, n + 1);
    (n % 5 === 4 ? uciTest : trainPool).push({ text: r.text, label: r.label, source: r.source });
  });
  return {
    train: trainPool.filter((_, k) => k % 10 !== 9),
    validation: trainPool.filter((_, k) => k % 10 === 9),
    tests: [
      { name: FINE_FOODS_TEST, rows: ffTest },
      { name: UCI_TEST, rows: uciTest },
    ],
    afinn: record(afinn, urls.afinn),
    vader: record(vader, urls.vader),
  };
}
