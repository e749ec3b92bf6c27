// The evidence rule and the silo score in plain words (SPEC section 3),
// the same words the printed report uses (src/report/summary_text.cpp).
import { score } from './format';

export const TOO_FEW_ANSWERS = 'too few answers to be sure';
export const WORDED_IN_REVERSE = 'worded in reverse';

type Step = { number: number; name: string; indicative: boolean; counted: number; statements: number };

// Why a stage verdict is marked "too few answers to be sure": the steps it
// rests on where fewer than half the statements had enough answers.
export function indicativeSentence(stage: number, steps: Step[], answersToCount: number): string {
  const unsure = steps
    .filter((s) => s.indicative)
    .map((s) => `at stage ${s.number} ${s.name} only ${s.counted} of its ${s.statements} statements had that many`)
    .join('; ');
  return (
    `A statement counts towards a stage only with at least ${answersToCount} ${answersToCount === 1 ? 'answer' : 'answers'} ` +
    `(not "don't know")${unsure ? `; ${unsure}` : ''}. Read stage ${stage} as an indication, not a verdict.`
  );
}

// What the silo score means, with the score and the threshold.
export function siloMeaning(silo: { score: number | null; statements: string[]; counted?: number }, threshold: number): string {
  const what =
    'How far people see departments working together for customers rather than apart, from the ' +
    `${silo.statements.length} ${silo.statements.length === 1 ? 'statement' : 'statements'} about hand-offs and working across departments`;
  if (silo.score == null) return `${what}; too few people answered any of them to count, so there is no score.`;
  const partial =
    silo.counted != null && silo.counted < silo.statements.length
      ? `; it rests on the ${silo.counted} of them enough people answered to count`
      : '';
  return (
    `${what} (a statement worded in reverse counts reversed)${partial}. ` +
    (silo.score >= threshold
      ? `At or above the threshold of ${score(threshold)}: departments mostly work together where customers can tell.`
      : `Below the threshold of ${score(threshold)}: departments working apart is likely holding customers' experience back.`)
  );
}

// The spread of the shown units' overall scores in plain words.
export function spreadSentence(spread: number | null): string {
  if (spread == null) return '';
  return (
    `The units shown lie ${score(spread)} points apart in their overall scores (highest minus lowest): ` +
    'the wider, the more parts of the organization stand at different places.'
  );
}
