import { describe, expect, it } from 'vitest';
import { afinnScore, buildLexicon, vaderScore } from './lexicon';
import { tokenize } from './tokenize';

const afinn = buildLexicon({ good: 3, bad: -3, love: 3, 'does not work': -3, "can't stand": -3 });
const vader = buildLexicon({ good: 1.9, bad: -2.5, great: 3.1 });
const t = (s: string) => tokenize(s).tokens;

describe('lexicon baselines', () => {
  it('AFINN sums valences, flips negated words and matches phrases first', () => {
    expect(afinnScore(t('good good bad'), afinn)).toBe(3);
    expect(afinnScore(t('not good'), afinn)).toBe(-3);
    expect(afinnScore(t("It doesn't work"), afinn)).toBe(-3);
    expect(afinnScore(t("I can't stand it"), afinn)).toBe(-3);
    expect(afinnScore(t('😍'), afinn)).toBe(3); // emoji read as "love"
  });

  it('VADER: negation, boosters, capitals and exclamation move the compound score the documented way', () => {
    const good = vaderScore(t('it is good'), vader);
    expect(good).toBeGreaterThan(0);
    expect(good).toBeCloseTo(1.9 / Math.sqrt(1.9 ** 2 + 15), 5);
    expect(vaderScore(t('it is not good'), vader)).toBeLessThan(0);
    expect(vaderScore(t('it is very good'), vader)).toBeGreaterThan(good);
    expect(vaderScore(t('it is GOOD'), vader)).toBeGreaterThan(good);
    expect(vaderScore(t('it is good!!!'), vader)).toBeGreaterThan(good);
    // "but": the clause after it dominates.
    expect(vaderScore(t('it is good but bad'), vader)).toBeLessThan(0);
    expect(vaderScore(t('nothing here'), vader)).toBe(0);
  });
});
