// The evidence rule and the silo score in plain words (SPEC section 3),
// the same words the printed report uses (src/report/summary_text.cpp).
import { score } from './format';
import { t } from './i18n.svelte';

// "too few answers to be sure" and "worded in reverse", in the reader's language.
export const tooFewAnswers = () => t('results.evidence.tooFew');
export const wordedInReverse = () => t('results.evidence.reverse');

type Step = { number: number; name: string; indicative: boolean; counted: number; statements: number };

// Why a stage verdict is marked "too few answers to be sure": the steps it
// rests on where fewer than half the statements had enough answers.
export function indicativeSentence(stage: number, steps: Step[], answersToCount: number): string {
  const unsure = steps
    .filter((s) => s.indicative)
    .map((s) => t('results.evidence.unsureStep', { number: s.number, name: s.name, counted: s.counted, statements: s.statements }))
    .join('; ');
  return unsure
    ? t('results.evidence.indicativeSteps', { n: answersToCount, steps: unsure, stage })
    : t('results.evidence.indicative', { n: answersToCount, stage });
}

// What the silo score means, with the score and the threshold.
export function siloMeaning(silo: { score: number | null; statements: string[]; counted?: number }, threshold: number): string {
  const what = t('results.silo.what', { n: silo.statements.length });
  if (silo.score == null) return t('results.silo.noScore', { what });
  const partial =
    silo.counted != null && silo.counted < silo.statements.length ? t('results.silo.partial', { counted: silo.counted }) : '';
  const verdict =
    silo.score >= threshold ? t('results.silo.above', { threshold: score(threshold) }) : t('results.silo.below', { threshold: score(threshold) });
  return t('results.silo.meaning', { what, partial, verdict });
}

// The spread of the shown units' overall scores in plain words.
export function spreadSentence(spread: number | null): string {
  if (spread == null) return '';
  return t('results.spread.sentence', { points: score(spread) });
}
