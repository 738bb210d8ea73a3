/**
 * The assistant's evaluation: intent accuracy on the held-out labelled questions, and on the default store how
 * often it answers when it should and says it does not know when it should.
 */
import { ASSISTANT_INTENTS, type AssistantIntent } from './contract';
import { LABELLED_QUESTIONS, STORE_QUESTIONS } from './questions';
import type { AssistantService } from './service';

export interface AssistantEvaluation {
  intent: {
    testQuestions: number;
    accuracy: number;
    perIntent: { intent: AssistantIntent; questions: number; accuracy: number }[];
  };
  /** Null on a catalog without the items the store questions are asked on. */
  answerability: {
    answerable: number;
    /** Share of the answerable questions it answered (known: true). */
    answeredWhenAnswerable: number;
    unanswerable: number;
    /** Share of the unanswerable ones where it said it does not know (known: false). */
    declinedWhenUnanswerable: number;
    misses: { text: string; expected: boolean; answer: string }[];
  } | null;
}

export async function evaluateAssistant(s: AssistantService): Promise<AssistantEvaluation> {
  const test = LABELLED_QUESTIONS.filter((q) => q.split === 'test');
  const right = test.map((q) => s.classify(q.text)?.name === q.intent);
  const perIntent = ASSISTANT_INTENTS.map((intent) => {
    const k = test.flatMap((q, i) => (q.intent === intent ? [right[i] as boolean] : []));
    return { intent, questions: k.length, accuracy: k.filter(Boolean).length / (k.length || 1) };
  });
  let answerability: AssistantEvaluation['answerability'] = null;
  // The store questions name the demo store's items: asked where the catalog holds every item they are asked on.
  if (STORE_QUESTIONS.every((q) => q.itemId === undefined || s.has(q.itemId))) {
    const outcomes = [];
    for (const q of STORE_QUESTIONS) {
      const r = await s.ask({ question: q.text, ...(q.itemId ? { itemId: q.itemId } : {}) });
      outcomes.push({ q, r });
    }
    const yes = outcomes.filter((x) => x.q.answerable);
    const no = outcomes.filter((x) => !x.q.answerable);
    answerability = {
      answerable: yes.length,
      answeredWhenAnswerable: yes.filter((x) => x.r.known).length / (yes.length || 1),
      unanswerable: no.length,
      declinedWhenUnanswerable: no.filter((x) => !x.r.known).length / (no.length || 1),
      misses: outcomes
        .filter((x) => x.r.known !== x.q.answerable)
        .map((x) => ({ text: x.q.text, expected: x.q.answerable, answer: x.r.answer })),
    };
  }
  return {
    intent: { testQuestions: test.length, accuracy: right.filter(Boolean).length / (test.length || 1), perIntent },
    answerability,
  };
}
