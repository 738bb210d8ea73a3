/**
 * The shopping assistant (engine worker side), retrieval only: it classifies the question's intent, finds the
 * items it names (or takes the one the shopper is looking at), retrieves catalog facts or review sentences, and
 * answers with them quoted. It decides whether it can answer (the items named exist, the reviews speak of what
 * is asked, prices fall in the range) and says plainly when it cannot, rather than offering the nearest thing.
 */
import type { Pack } from '../catalog/schema';
import { reviewTexts } from '../catalog/catalog';
import { formatMoney } from '../catalog/price';
import { features, NaiveBayes } from '../shared/naive-bayes';
import { terms, STOPWORDS } from '../shared/text';
import { MAX_QUESTION_CHARS, type AskRequest, type AskResponse, type AssistantIntent, type Evidence } from './contract';
import { comparisonSides, contentWords, CUE_WORDS, parsePriceRange } from './parse';
import { LABELLED_QUESTIONS } from './questions';
import { aboutAspects, sentences } from './sentences';
import { editDistance, typoBudget } from '../shared/typo';

/** What the assistant reads of the catalog's items. */
export interface AssistantItem {
  id: string;
  title: string;
  aisle: string;
  category?: string;
  tags?: string[];
  year?: number;
  price?: { amount: number; currency: string };
  reviews: string[];
}

/** The other capabilities it asks (wired in the engine): search, recommendations, sentiment. */
export interface AssistantPorts {
  /** Keyword matches of words (finished words; `fields` to look in titles only), with the index terms matched. */
  lookup(
    words: string[],
    o: { fields?: ('title' | 'category' | 'description' | 'reviews')[]; limit: number },
  ): { itemId: string; score: number; matchedTerms: number; matched: string[] }[];
  similar(itemId: string, limit: number): Promise<string[]>;
  /** Whether the catalog has this (folded) word anywhere. */
  knows(term: string): boolean;
  /** P(positive) per text; null while the sentiment model is not ready. */
  sentiment(texts: string[]): Promise<number[] | null>;
}

type Linked = { item: AssistantItem; matched: Set<string> };
/** An answer to the question being asked (its intent filled in). */
type Reply = (known: boolean, text: string, items?: string[], evidence?: Evidence[]) => AskResponse;

/** The words of a text as written that fold to `term` (to see whether it was written with a capital). */
const namesOf = (text: string, term: string) =>
  (text.match(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu) ?? []).filter((w) => terms(w)[0] === term).join(' ');
/** What stands for a named item in the text the intent classifier reads. */
const ITEM_TOKEN = 'xitemx';

/** Below this posterior the question's intent is not trusted. */
export const INTENT_MIN = 0.5;
/** A title is taken as named when this share of its words is in the question. */
const TITLE_COVERAGE = 0.75;
const ANSWER_ITEMS = 6;

/** What the assistant can do, as it tells the shopper. */
const CAN_DO =
  'I can answer questions about the products in this catalog and their reviews: similar items, what reviews say, ' +
  'comparisons and price ranges.';
const UNSUPPORTED = `${CAN_DO} I cannot see orders, deliveries, payments or accounts, and I know nothing outside this catalog. Nothing you ask leaves this device.`;

const NEGATIVE_CUES = new Set(
  'dislike dislikes complain complaints complaint bad negative cons downsides downside hate hated problems problem criticisms criticism worst'.split(
    ' ',
  ),
);
const POSITIVE_CUES = new Set('like likes love loved good positive pros praise best enjoy positives great'.split(' '));

export function assistantItems(packs: readonly Pack[]): AssistantItem[] {
  return packs.flatMap((p) => {
    const reviews = reviewTexts(p);
    return p.items.map((it) => ({
      id: it.id,
      title: it.title,
      aisle: it.aisle,
      ...(it.category ? { category: it.category } : {}),
      ...(it.tags ? { tags: it.tags } : {}),
      ...(it.year !== undefined ? { year: it.year } : {}),
      ...(it.price ? { price: { amount: it.price.amount, currency: it.price.currency } } : {}),
      reviews: reviews.get(it.id) ?? [],
    }));
  });
}

/** The intent classifier, trained on the labelled questions' training split only. */
export function trainIntents(mask: (q: string) => string = (q) => q): NaiveBayes {
  return NaiveBayes.train(
    LABELLED_QUESTIONS.filter((q) => q.split === 'train').map((q) => ({
      features: questionFeatures(q.text, mask(q.text)),
      label: q.intent,
    })),
  );
}

/**
 * What the intent classifier reads of a question: its words and word pairs (stopwords kept: "which", "is" and
 * "what" tell kinds of question apart), and one token when it names a price range.
 */
export const questionFeatures = (question: string, masked = question) => [
  ...features(masked, { pairs: true, stopwords: true }),
  ...(parsePriceRange(question) ? [PRICE_TOKEN] : []),
];
const PRICE_TOKEN = 'xpricex';

/** Words in two or more of the training questions: the questions' own wording, never masked as an item's name. */
const TEMPLATE_WORDS: ReadonlySet<string> = (() => {
  const n = new Map<string, number>();
  for (const q of LABELLED_QUESTIONS)
    if (q.split === 'train') for (const t of new Set(terms(q.text))) n.set(t, (n.get(t) ?? 0) + 1);
  return new Set([...n].filter(([, c]) => c >= 2).map(([t]) => t));
})();

export class AssistantService {
  private readonly byId: Map<string, AssistantItem>;
  private readonly classifier: NaiveBayes;
  /** Review sentences per item, split on first use. */
  private readonly sentenceCache = new Map<string, string[]>();
  /** How many items' reviews each word appears in: the rarest aspect of a question is the one it is about. */
  private readonly reviewDf = new Map<string, number>();

  constructor(
    items: AssistantItem[],
    private readonly ports: AssistantPorts,
  ) {
    this.byId = new Map(items.map((i) => [i.id, i]));
    // Trained on the questions with the items they name masked, as the shopper's questions will be: the names
    // say nothing of the kind of question.
    this.classifier = trainIntents((q) => this.mask(q));
    for (const it of items) {
      if (!it.reviews.length) continue;
      for (const t of new Set(terms(it.reviews.join(' ')))) this.reviewDf.set(t, (this.reviewDf.get(t) ?? 0) + 1);
    }
  }

  /** Whether the catalog has this item. */
  has(itemId: string): boolean {
    return this.byId.has(itemId);
  }

  /** The intent the classifier gives a question, with its posterior (null: it knows none of its words). */
  classify(question: string): { name: AssistantIntent; confidence: number } | null {
    const fs = questionFeatures(question, this.mask(question));
    if (!this.classifier.known(fs)) return null;
    const top = this.classifier.predict(fs)[0];
    return top ? { name: top.label as AssistantIntent, confidence: top.p } : null;
  }

  async ask(req: AskRequest): Promise<AskResponse> {
    const question = req.question.slice(0, MAX_QUESTION_CHARS);
    const context = req.itemId ? this.byId.get(req.itemId) : undefined;
    const words = terms(question);
    const dontKnow = (answer: string, intent: AskResponse['intent'] = null): AskResponse => ({
      intent,
      known: false,
      answer,
      items: [],
      evidence: [],
    });
    if (!words.length) return dontKnow('I could not read a question there: ask about the products of this catalog.');
    const intent = this.classify(question);
    // Nothing in it that the classifier or the catalog has seen: not a question about this shop.
    const catalogKnows = this.ports.lookup(contentWords(question), { limit: 1 }).length > 0;
    if (!intent || (intent.confidence < INTENT_MIN && !catalogKnows))
      return dontKnow(`I do not understand that question, so I cannot answer it. ${CAN_DO}`, intent);
    const answer = (known: boolean, text: string, items: string[] = [], evidence: Evidence[] = []): AskResponse => ({
      intent,
      known,
      answer: text,
      items,
      evidence,
    });
    switch (intent.name) {
      case 'unsupported':
        return answer(false, UNSUPPORTED);
      case 'similar':
        return this.similar(question, context, answer);
      case 'product-question':
        return this.productQuestion(question, context, answer);
      case 'opinions':
        return this.opinions(question, context, answer);
      case 'compare':
        return this.compare(question, context, answer);
      case 'price-range':
        return this.priceRange(question, answer);
    }
  }

  /**
   * The item a text names: the title with most of its own words in the text (at least TITLE_COVERAGE of its
   * words that are not cue words, or its first two words in order), or null. A word the catalog has is taken as
   * typed ("bitter" is not a typo of "Sitter"); others may carry the search's typos.
   */
  link(text: string, o: { minWords?: number; minTextCoverage?: number } = {}): Linked | null {
    const asked = [...new Set(contentWords(text))];
    if (!asked.length) return null;
    const hits = this.ports.lookup(
      terms(text).filter((t) => !STOPWORDS.has(t)),
      { fields: ['title'], limit: 50 },
    );
    const said = (t: string) =>
      asked.find((q) => q === t || (!this.ports.knows(q) && editDistance(q, t, typoBudget(q)) <= typoBudget(q)));
    let best: (Linked & { coverage: number; score: number }) | null = null;
    for (const h of hits) {
      const item = this.byId.get(h.itemId);
      if (!item) continue;
      const titleWords = [...new Set(terms(item.title).filter((t) => !STOPWORDS.has(t) && !CUE_WORDS.has(t)))];
      if (!titleWords.length) continue;
      const matched = new Map(
        titleWords.flatMap((t) => {
          const q = said(t);
          return q ? [[t, q] as const] : [];
        }),
      );
      const coverage = matched.size / titleWords.length;
      // Matched by typos alone, the typos must account for every word the catalog does not know
      // ("Blorptastic Zingers" is not the film Fingers).
      if (
        [...matched].every(([t, q]) => t !== q) &&
        asked.some((q) => !this.ports.knows(q) && ![...matched.values()].includes(q))
      )
        continue;
      const opening = titleWords.length > 2 && titleWords.slice(0, 2).every((t) => matched.has(t));
      if (coverage < TITLE_COVERAGE && !opening) continue;
      if (matched.size < (o.minWords ?? 1)) continue;
      const used = new Set(matched.values());
      if (used.size / asked.length < (o.minTextCoverage ?? 0)) continue;
      const better =
        !best ||
        matched.size > best.matched.size ||
        (matched.size === best.matched.size &&
          (coverage > best.coverage || (coverage === best.coverage && h.score > best.score)));
      if (better) best = { item, matched: used, coverage, score: h.score };
    }
    return best && { item: best.item, matched: best.matched };
  }

  /**
   * The item a question is about: one it names, else the one the shopper is looking at. With an item open, a
   * name must be of two words or more to take its place ("is this chocolate sweet?" is about the open item, not
   * the film Chocolate).
   */
  private target(
    question: string,
    context: AssistantItem | undefined,
  ): Linked | { item: AssistantItem; matched: Set<string> } | null {
    const named = this.link(question, context ? { minWords: 2 } : {});
    return named ?? (context ? { item: context, matched: new Set<string>() } : null);
  }

  /** The question with the items it names replaced by one token: what the intent classifier reads. */
  mask(question: string): string {
    let text = question;
    for (let k = 0; k < 2; k++) {
      const named = this.link(text);
      // A one-word name is masked only when written as a name ("Heat vs Casino"), never a question's own word.
      const oneWord = named?.matched.size === 1 ? ([...named.matched][0] as string) : null;
      const written = oneWord && new RegExp(String.raw`(^|[^\p{L}])\p{Lu}`, 'u').test(namesOf(text, oneWord));
      if (!named || [...named.matched].every((w) => TEMPLATE_WORDS.has(w)) || (oneWord && !written)) break;
      const words = text.split(/(\s+)/);
      text = words.map((w) => (named.matched.has(terms(w)[0] ?? '\u0000') ? ITEM_TOKEN : w)).join('');
    }
    return text;
  }

  private async similar(question: string, context: AssistantItem | undefined, answer: Reply): Promise<AskResponse> {
    const named = this.target(question, context);
    const target = named?.item;
    if (!target)
      return answer(
        false,
        contentWords(question).length
          ? `I could not find “${contentWords(question).join(' ')}” in this catalog, so I cannot say what is like it.`
          : 'Which item do you mean? Ask on its page, or name it.',
      );
    let ids = await this.ports.similar(target.id, 40);
    // What else the question asks for ("for a child"): items matching it first.
    const rest = contentWords(question).filter((w) => !named?.matched.has(w) && !terms(target.title).includes(w));
    if (rest.length && ids.length) {
      const inList = new Set(ids);
      const matching = this.ports
        .lookup(rest, { limit: 5000 })
        .filter((h) => inList.has(h.itemId))
        .map((h) => h.itemId);
      const first = new Set(matching);
      ids = [...matching, ...ids.filter((id) => !first.has(id))];
    }
    ids = ids.slice(0, ANSWER_ITEMS);
    if (!ids.length) return answer(false, `I found ${target.title}, but nothing in this catalog is like it yet.`);
    return answer(
      true,
      `Items like ${target.title}${rest.length ? `, for “${rest.join(' ')}” first` : ''}:`,
      ids,
      ids.map((id) => ({ itemId: id, kind: 'fact', text: factsOf(this.byId.get(id)) })),
    );
  }

  private async productQuestion(
    question: string,
    context: AssistantItem | undefined,
    answer: Reply,
  ): Promise<AskResponse> {
    const named = this.target(question, context);
    const target = named?.item;
    if (!target) return answer(false, 'Which item do you mean? Ask on its page, or name it.');
    if (!target.reviews.length)
      return answer(false, `There are no reviews of ${target.title} in this catalog to answer from.`, [target.id]);
    const own = new Set(terms(target.title));
    const aspects = contentWords(question).filter((w) => !own.has(w) && !named?.matched.has(w));
    if (!aspects.length) return answer(false, `What would you like to know about ${target.title}?`, [target.id]);
    // The question's most specific word (the rarest across the catalog's reviews: "bitter", not "coffee") must be
    // in the item's reviews, else they do not say; sentences speaking of more of its words come first.
    const all = this.sentencesOf(target);
    const ranked = [...aspects].sort((a, b) => (this.reviewDf.get(a) ?? 0) - (this.reviewDf.get(b) ?? 0));
    const required = ranked[0] as string;
    if (!aboutAspects(all, required, []).length)
      return answer(
        false,
        `${target.reviews.length === 1 ? 'The review' : `None of the ${target.reviews.length} reviews`} of ${target.title} ${target.reviews.length === 1 ? 'does not mention' : 'mention'} “${required}”, so I cannot tell.`,
        [target.id],
      );
    const found = ranked
      .flatMap((a) =>
        aboutAspects(
          all,
          a,
          ranked.filter((b) => b !== a),
        ).map((text) => ({ text, a })),
      )
      .filter((x, k, list) => list.findIndex((y) => y.text === x.text) === k)
      .map((x) => ({ ...x, n: ranked.filter((b) => aboutAspects([x.text], b, []).length).length }))
      .sort((x, y) => y.n - x.n)
      .slice(0, 4)
      .map((x) => x.text);
    const spoken = ranked.filter((a) => found.some((t) => aboutAspects([t], a, []).length));
    const scores = await this.ports.sentiment(found);
    const tone = scores ? tally(scores) : '';
    return answer(
      true,
      `${found.length === 1 ? 'One review sentence' : `${found.length} review sentences`} of ${target.title} ${found.length === 1 ? 'speaks' : 'speak'} of “${spoken.join('” and “')}”${tone}:`,
      [target.id],
      found.map((text, k) => ({
        itemId: target.id,
        kind: 'review',
        text,
        ...(scores ? { sentiment: scores[k] as number } : {}),
      })),
    );
  }

  private async opinions(question: string, context: AssistantItem | undefined, answer: Reply): Promise<AskResponse> {
    const target = this.target(question, context)?.item;
    if (!target) return answer(false, 'Which item do you mean? Ask on its page, or name it.');
    if (!target.reviews.length)
      return answer(false, `There are no reviews of ${target.title} in this catalog, so I cannot say.`, [target.id]);
    const all = this.sentencesOf(target);
    const scores = await this.ports.sentiment(all);
    if (!scores)
      return answer(
        true,
        `What the reviews of ${target.title} say (the sentiment model is not ready yet, so they are not sorted):`,
        [target.id],
        all.slice(0, 4).map((text) => ({ itemId: target.id, kind: 'review', text })),
      );
    const words = new Set(terms(question));
    const wantsBad = [...words].some((w) => NEGATIVE_CUES.has(w));
    const wantsGood = !wantsBad && [...words].some((w) => POSITIVE_CUES.has(w));
    const scored = all.map((text, k) => ({ text, p: scores[k] as number }));
    const good = scored
      .filter((s) => s.p >= 0.6)
      .sort((a, b) => b.p - a.p)
      .slice(0, 3);
    const bad = scored
      .filter((s) => s.p <= 0.4)
      .sort((a, b) => a.p - b.p)
      .slice(0, 3);
    const shown = wantsBad ? bad : wantsGood ? good : [...good.slice(0, 2), ...bad.slice(0, 2)];
    const side = wantsBad ? 'negative' : wantsGood ? 'positive' : 'positive or negative';
    const text = shown.length
      ? `From ${target.reviews.length === 1 ? 'its review' : `its ${target.reviews.length} reviews`}, the most ${side} sentences about ${target.title}:`
      : `No sentence in the reviews of ${target.title} reads as clearly ${side}.`;
    return answer(
      true,
      text,
      [target.id],
      shown.map((s) => ({ itemId: target.id, kind: 'review', text: s.text, sentiment: s.p })),
    );
  }

  private async compare(question: string, context: AssistantItem | undefined, answer: Reply): Promise<AskResponse> {
    let pair: [AssistantItem, AssistantItem] | null = null;
    for (const [a, b] of comparisonSides(question)) {
      // Each side must be mostly a title ("Blorptastic Zingers" is not "Fingers" with a word to spare).
      const side = (t: string) => this.link(t, { minTextCoverage: 0.6 })?.item;
      const [x, y] = [side(a) ?? (/\b(this|it)\b/i.test(a) ? context : undefined), side(b)];
      if (x && y && x.id !== y.id) {
        pair = [x, y];
        break;
      }
    }
    if (!pair) {
      const one = this.link(question)?.item;
      return answer(
        false,
        one
          ? `I found ${one.title} but not the other item in this catalog, so I cannot compare them.`
          : 'I could not find the two items in this catalog: name both, like “Toy Story vs Jumanji”.',
        one ? [one.id] : [],
      );
    }
    const [x, y] = pair;
    const lines: string[] = [];
    if (x.price && y.price && x.price.currency === y.price.currency) {
      const [cheap, dear] = x.price.amount <= y.price.amount ? [x, y] : [y, x];
      const diff = (dear.price?.amount ?? 0) - (cheap.price?.amount ?? 0);
      lines.push(
        diff > 0
          ? `${cheap.title} is cheaper by ${formatMoney(diff, cheap.price?.currency ?? 'USD')}.`
          : 'They cost the same.',
      );
    }
    if (x.year && y.year)
      lines.push(
        x.year === y.year
          ? `Both are from ${x.year}.`
          : `${(x.year < y.year ? x : y).title} is older, by ${Math.abs(x.year - y.year)} years.`,
      );
    const shared = (x.tags ?? []).filter((t) => y.tags?.includes(t));
    if (shared.length) lines.push(`Both are ${shared.join(', ')}.`);
    else if (x.category && x.category === y.category) lines.push(`Both are in ${x.category}.`);
    const scores = await Promise.all([x, y].map((it) => this.meanSentiment(it)));
    if (scores[0] !== null && scores[1] !== null) {
      const [a, b] = scores as [number, number];
      lines.push(
        Math.abs(a - b) < 0.05
          ? 'Their reviews read about as positively.'
          : `The reviews of ${(a > b ? x : y).title} read more positively.`,
      );
    }
    return answer(
      true,
      `${x.title} and ${y.title}${lines.length ? `: ${lines.join(' ')}` : ':'}`,
      [x.id, y.id],
      [x, y].map((it, k) => ({
        itemId: it.id,
        kind: 'fact',
        text:
          factsOf(it) + (scores[k] !== null ? ` · reviews ${Math.round((scores[k] as number) * 100)}% positive` : ''),
      })),
    );
  }

  private priceRange(question: string, answer: Reply): AskResponse {
    const range = parsePriceRange(question);
    const priced = [...this.byId.values()].filter((i) => i.price);
    if (!priced.length) return answer(false, 'Items in this catalog have no prices, so I cannot search by price.');
    if (!range) return answer(false, 'Which price? Say it like “under $50” or “between 20 and 40 dollars”.');
    const inRange = (it: AssistantItem) =>
      !!it.price &&
      (range.min === undefined || it.price.amount >= range.min) &&
      (range.max === undefined || it.price.amount <= range.max);
    const words = contentWords(range.rest).filter((w) => !/^\d+$/.test(w));
    const bounds = describeRange(range, priced[0]?.price?.currency ?? 'USD');
    let candidates: AssistantItem[];
    let what = 'items';
    if (words.length) {
      // Every word of what is asked for must match (all of "office chairs", not "office" alone).
      const hits = this.ports.lookup(words, { limit: 5000 }).filter((h) => h.matchedTerms === words.length);
      if (!hits.length) return answer(false, `This catalog has nothing matching “${words.join(' ')}”.`);
      candidates = hits.map((h) => this.byId.get(h.itemId)).filter((i): i is AssistantItem => !!i);
      what = words.join(' ');
      const matchingPriced = candidates.filter((i) => i.price);
      const found = matchingPriced.filter(inRange);
      if (!found.length) {
        const cheapest = matchingPriced.sort((a, b) => (a.price?.amount ?? 0) - (b.price?.amount ?? 0))[0];
        return answer(
          false,
          matchingPriced.length
            ? `No ${what} ${bounds} here: the cheapest is ${cheapest?.title} at ${formatMoney(cheapest?.price?.amount ?? 0, cheapest?.price?.currency ?? 'USD')}.`
            : `The ${what} in this catalog have no prices.`,
        );
      }
      candidates = found;
    } else candidates = priced.filter(inRange).sort((a, b) => (a.price?.amount ?? 0) - (b.price?.amount ?? 0));
    if (!candidates.length) return answer(false, `Nothing in this catalog is priced ${bounds}.`);
    const shown = candidates.slice(0, ANSWER_ITEMS);
    return answer(
      true,
      `${candidates.length} ${what} ${bounds}${candidates.length > shown.length ? `; the ${shown.length} best matches` : ''}:`,
      shown.map((i) => i.id),
      shown.map((i) => ({ itemId: i.id, kind: 'fact', text: factsOf(i) })),
    );
  }

  private sentencesOf(it: AssistantItem): string[] {
    let s = this.sentenceCache.get(it.id);
    if (!s) this.sentenceCache.set(it.id, (s = it.reviews.flatMap(sentences)));
    return s;
  }

  private async meanSentiment(it: AssistantItem): Promise<number | null> {
    if (!it.reviews.length) return null;
    const s = await this.ports.sentiment(it.reviews);
    return s && s.length ? s.reduce((a, b) => a + b, 0) / s.length : null;
  }
}

/** An item's facts in one line: price, year, tags (or category), how many reviews. */
function factsOf(it: AssistantItem | undefined): string {
  if (!it) return '';
  return [
    it.price ? formatMoney(it.price.amount, it.price.currency) : null,
    it.year ? String(it.year) : null,
    (it.tags?.length ? it.tags.slice(0, 3).join(', ') : it.category) ?? null,
    it.reviews.length ? `${it.reviews.length} ${it.reviews.length === 1 ? 'review' : 'reviews'}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

function tally(scores: number[]): string {
  const pos = scores.filter((p) => p >= 0.6).length;
  const neg = scores.filter((p) => p <= 0.4).length;
  if (pos && !neg) return ', all in positive reviews';
  if (neg && !pos) return ', all in negative ones';
  return pos || neg ? `, ${pos} positive and ${neg} negative` : '';
}

function describeRange(r: { min?: number; max?: number }, currency: string): string {
  if (r.min !== undefined && r.max !== undefined)
    return `between ${formatMoney(r.min, currency)} and ${formatMoney(r.max, currency)}`;
  if (r.max !== undefined) return `under ${formatMoney(r.max, currency)}`;
  return `over ${formatMoney(r.min ?? 0, currency)}`;
}
