import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ProtocolReport } from '../../api/types';
import { protocolOptions } from '../../recommend/contract';
import { ProtocolResult } from './ProtocolPanel';

const spread = (values: number[]) => ({
  mean: values.reduce((a, b) => a + b, 0) / values.length,
  sd: 0.001,
  values,
});

const report: ProtocolReport = {
  ...protocolOptions(),
  validation: {
    queries: 3355,
    users: 671,
    curves: [
      {
        model: 'recipe',
        seeds: [101, 102],
        curves: [],
        mean: [
          { epoch: 1, score: 0.05 },
          { epoch: 2, score: 0.061 },
        ],
        epochs: 2,
        fixed: false,
        seconds: 10,
      },
      { model: 'peer', seeds: [], curves: [], mean: [], epochs: 120, fixed: true, seconds: 0 },
    ],
  },
  blend: { grid: [[0.5, 0, 1]], chosen: [0.5, 0, 1], inSample: 0.08, crossFitted: 0.078, folds: [] },
  tests: [
    {
      protocol: 'leave-last-out',
      rows: [
        {
          model: 'For you as served',
          ndcg10: spread([0.07, 0.08]),
          hr10: spread([0.13, 0.14]),
          users: 671,
          queries: 671,
          perUser: [],
        },
      ],
      intervals: [
        {
          model: 'For you as served',
          against: 'EASE (lambda 400)',
          ratio: 1.8,
          low: 1.4,
          high: 2.3,
          users: 671,
          samples: 2000,
        },
      ],
    },
  ],
  seconds: 100,
};

describe("the Lab's protocol report", () => {
  it('shows the epochs and curve, the weights with their cross-fitted score, every seed and the intervals', () => {
    const html = renderToStaticMarkup(createElement(ProtocolResult, { report }));
    const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain(
      'The recipe: 2 epochs, the peak of the mean validation curve over 2 seeds (1: 0.0500, 2: 0.0610; 3,355 validation queries)',
    );
    expect(text).toContain('SASRec-CE: 120 epochs (given)');
    expect(text).toContain('0.5 / 0 / 1; validation NDCG@10 0.0800 where chosen, 0.0780 cross-fitted');
    expect(text).toContain('For you as served 0.0750 ± 0.0010 0.0700, 0.0800');
    expect(text).toContain('For you as served / EASE (lambda 400): 1.800, 95% interval 1.400 to 2.300');
  });
});
