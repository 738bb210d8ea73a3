/**
 * The Lab's search evaluation: known-item queries on the catalog in use (keyword, semantic, fused) with the
 * fusion chosen on tuning queries, and the assistant's intent accuracy and answerability.
 */
import { useCallback } from 'react';
import type { AssistantEvaluation, ProgressCallback, SearchEvaluation } from '../../api/types';
import { useApp } from '../context';
import { EvaluateControls } from './JobControls';
import { useJob } from './use-job';

const fusionName = (x: SearchEvaluation['chosen']) =>
  x.kind === 'rrf' ? `reciprocal rank fusion (k = ${x.k})` : `weighted sum (cosine × ${x.semantic})`;

export function SearchEvaluationPanel() {
  const { api } = useApp();
  const evaluate = useCallback(
    async (p: ProgressCallback): Promise<{ search: SearchEvaluation; assistant: AssistantEvaluation }> => {
      const search = await api.diagnostics.evaluateSearch(p);
      return { search, assistant: await api.diagnostics.evaluateAssistant() };
    },
    [api],
  );
  const { result, progress, start: run } = useJob(evaluate, 'Search evaluation');
  const kinds = result ? [...new Set(result.search.rows.map((r) => r.kind))] : [];
  const weighted = (mode: string, kind: string, key: 'successAt1' | 'successAt10' | 'mrrAt10') => {
    const rows = result?.search.rows.filter((r) => r.mode === mode && r.kind === kind) ?? [];
    const n = rows.reduce((a, r) => a + r.queries, 0) || 1;
    return rows.reduce((a, r) => a + r[key] * r.queries, 0) / n;
  };
  return (
    <section aria-labelledby="search-eval-h" className="panel">
      <h2 id="search-eval-h">Evaluate search and the assistant</h2>
      <p className="muted">
        Known-item search: queries made from held-out items of this catalog (exact titles, one and two typos, half a
        title typed, words reordered, category names). Half the queries choose how keyword and semantic rankings are
        fused; the other half are measured. About a minute on a 2-core CPU.
      </p>
      <EvaluateControls run={run} progress={progress} progressLabel="Search evaluation progress" needs={null} />
      {result && (
        <div className="table-wrap">
          <table className="table" data-testid="search-eval-table">
            <caption>
              MRR@10 on the test queries (fused: {fusionName(result.search.chosen)}, chosen on the tuning queries)
            </caption>
            <thead>
              <tr>
                <th scope="col">Query kind</th>
                <th scope="col">Keyword</th>
                <th scope="col">Semantic</th>
                <th scope="col">Fused</th>
                <th scope="col">Fused success@1</th>
              </tr>
            </thead>
            <tbody>
              {kinds.map((k) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>{weighted('keyword', k, 'mrrAt10').toFixed(3)}</td>
                  <td>{weighted('semantic', k, 'mrrAt10').toFixed(3)}</td>
                  <td>{weighted('fused', k, 'mrrAt10').toFixed(3)}</td>
                  <td>{weighted('fused', k, 'successAt1').toFixed(3)}</td>
                </tr>
              ))}
              {result.search.overall.map((o) => (
                <tr key={o.mode} className={o.mode === 'fused' ? 'chosen' : undefined}>
                  <th scope="row">all ({o.mode})</th>
                  <td colSpan={3}>
                    MRR@10 {o.mrrAt10.toFixed(3)}, success@1 {o.successAt1.toFixed(3)}, success@10{' '}
                    {o.successAt10.toFixed(3)}
                  </td>
                  <td>{o.queries} queries</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="assistant-eval">
            Assistant: intent accuracy {result.assistant.intent.accuracy.toFixed(2)} on{' '}
            {result.assistant.intent.testQuestions} held-out questions
            {result.assistant.answerability
              ? `; on the demo store it answered ${Math.round(result.assistant.answerability.answeredWhenAnswerable * 100)}% of the ${result.assistant.answerability.answerable} answerable questions and said it does not know for ${Math.round(result.assistant.answerability.declinedWhenUnanswerable * 100)}% of the ${result.assistant.answerability.unanswerable} it cannot answer.`
              : '.'}
          </p>
        </div>
      )}
    </section>
  );
}
