import { describe, expect, it } from 'vitest';
import { bestThreshold, binaryMetrics, rocAuc } from './classification';

describe('classification metrics', () => {
  it('accuracy, precision, recall and F1 against a hand-counted confusion matrix', () => {
    // predictions at 0.5: 1 1 0 0 1 ; labels 1 0 0 1 1 -> tp 2, fp 1, fn 1, tn 1
    const m = binaryMetrics([0.9, 0.8, 0.1, 0.4, 0.6], [1, 0, 0, 1, 1], 0.5);
    expect(m.accuracy).toBeCloseTo(3 / 5);
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo(2 / 3);
  });

  it('ROC AUC counts ordered pairs, ties as half', () => {
    // positives 0.9, 0.4, 0.6; negatives 0.8, 0.1. Pairs won: 0.9>0.8, 0.9>0.1, 0.4>0.1, 0.6>0.1 -> 4 of 6.
    expect(rocAuc([0.9, 0.8, 0.1, 0.4, 0.6], [1, 0, 0, 1, 1])).toBeCloseTo(4 / 6);
    expect(rocAuc([0.5, 0.5], [1, 0])).toBeCloseTo(0.5);
    expect(rocAuc([1, 2, 3], [0, 1, 1])).toBe(1);
    expect(rocAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('finds the accuracy-best threshold', () => {
    const scores = [-3, -1, 0, 2, 5];
    const labels = [0, 0, 1, 1, 1];
    const t = bestThreshold(scores, labels);
    expect(t).toBeGreaterThan(-1);
    expect(t).toBeLessThan(0);
    expect(binaryMetrics(scores, labels, t).accuracy).toBe(1);
  });

  it('rejects mismatched input', () => {
    expect(() => binaryMetrics([1], [1, 0], 0)).toThrow(/equal in length/);
  });
});
