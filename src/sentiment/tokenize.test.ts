import { describe, expect, it } from 'vitest';
import { MAX_CHARS, stripHtml, tokenize } from './tokenize';

const norms = (s: string) => tokenize(s).tokens.map((t) => t.norm);
const negated = (s: string) =>
  tokenize(s)
    .tokens.filter((t) => t.negated)
    .map((t) => t.norm);

describe('sentiment tokenizer', () => {
  it('lower-cases, splits punctuation and keeps offsets into the text', () => {
    const r = tokenize('Great taste, LOVE it!!');
    expect(r.tokens.map((t) => t.norm)).toEqual(['great', 'taste', ',', 'love', 'it', '!']);
    for (const t of r.tokens) expect(r.text.slice(t.start, t.end)).toBe(t.text);
    expect(r.tokens.find((t) => t.norm === 'love')?.shouted).toBe(true);
    expect(r.tokens.find((t) => t.norm === 'great')?.shouted).toBe(false);
  });

  it('does not read an all-capitals text as shouting', () => {
    expect(tokenize('GREAT DEAL, CONVENIENT TOO').tokens.some((t) => t.shouted)).toBe(false);
  });

  it('removes HTML breaks and tags and decodes entities', () => {
    expect(stripHtml('Yummy.<br /><br />Buy it &amp; enjoy &#39;em &quot;now&quot;')).toBe(
      'Yummy.  Buy it & enjoy \'em "now"',
    );
    expect(norms('<b>bold</b><script>x</script>')).toEqual(['bold', 'x']);
  });

  it('splits contractions so negation is a word of its own', () => {
    expect(norms("I don't like it")).toEqual(['i', 'do', 'not', 'like', 'it']);
    expect(norms("can't won't it's")).toEqual(['can', 'not', 'will', 'not', 'it']);
    expect(norms('It’s fine')).toEqual(['it', 'fine']);
  });

  it('marks the words after a negator up to the end of the clause or "but"', () => {
    expect(negated('not good at all. Tasty though')).toEqual(['good', 'at', 'all']);
    expect(negated("Didn't like it, but the price is right")).toEqual(['like', 'it']);
    expect(negated('never again')).toEqual(['again']);
    expect(negated('good')).toEqual([]);
  });

  it('reads emoji and emoticons as the words they stand for', () => {
    const r = tokenize('Loved it 😍👍 :) but 👎🏽');
    expect(r.tokens.map((t) => t.norm)).toEqual(['loved', 'it', 'love', 'good', 'happy', 'but', 'bad']);
    expect(r.tokens.filter((t) => t.kind === 'emoji').map((t) => t.text)).toEqual(['😍', '👍', ':)', '👎🏽']);
    expect(norms('🦄')).toEqual(['🦄']);
  });

  it('shortens elongated words and keeps other scripts as words', () => {
    expect(norms('sooooo goooood')).toEqual(['soo', 'good']);
    expect(norms('Très bon, очень вкусно')).toEqual(['très', 'bon', ',', 'очень', 'вкусно']);
  });

  it('handles empty, punctuation-only and over-long text', () => {
    expect(tokenize('').tokens).toEqual([]);
    expect(norms('?!?')).toEqual(['?']);
    const long = tokenize('good '.repeat(MAX_CHARS / 2));
    expect(long.truncated).toBe(true);
    expect(long.text.length).toBeLessThanOrEqual(MAX_CHARS);
  });
});
