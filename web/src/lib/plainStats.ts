// Statistics in plain words first, the number behind a disclosure: what an
// executive reads is "Strong agreement" or "Answers split", and rwg, rwg(j),
// alpha or Cohen's d are there for whoever opens the detail.

import { t, formatNumber } from './i18n.svelte';

const two = (v: number) => formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export type AgreementClass = 'agreement' | 'mixed' | 'disagreement';

// A statement's agreement class (SPEC section 3: agreement rwg >= 0.70,
// disagreement below 0.50 or two camps across the midpoint, else mixed).
export function agreementWords(cls: AgreementClass | null | undefined, split = false): string {
  if (!cls) return t('results.stats.tooFewAnswers');
  if (cls === 'disagreement') return split ? t('results.stats.split') : t('results.stats.disagreement');
  return cls === 'agreement' ? t('results.stats.strongAgreement') : t('results.stats.viewsDiffer');
}

// The number behind a statement's words.
export function agreementDetail(rwg: number | null | undefined): string {
  return rwg == null ? '' : t('results.stats.rwgDetail', { rwg: two(rwg), alike: two(0.7), apart: two(0.5) });
}

// A competency's agreement in the same bands as its statements: how many
// of them the group agreed on, and how many split or disagreed. rwg(j),
// its multi-item index, runs much higher than its statements' rwg by
// construction (it treats the statements as repeated measures of one
// thing: J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²), so five statements at
// rwg 0.50 give 0.83), and is never shown as the headline for that reason.
export function competencyAgreement(classes: (AgreementClass | null | undefined)[]): string {
  const rated = classes.filter((c): c is AgreementClass => !!c);
  if (!rated.length) return t('results.stats.tooFewAnswers');
  const agreed = rated.filter((c) => c === 'agreement').length;
  const disagreed = rated.filter((c) => c === 'disagreement').length;
  return disagreed
    ? t('results.stats.agreedOfDisputed', { agreed, total: rated.length, disagreed })
    : t('results.stats.agreedOf', { agreed, total: rated.length });
}

export function competencyAgreementDetail(rwgJ: number | null | undefined, n?: number): string {
  if (rwgJ == null) return '';
  return n != null ? t('results.stats.rwgjDetailPeople', { rwgj: two(rwgJ), n }) : t('results.stats.rwgjDetail', { rwgj: two(rwgJ) });
}

// Cronbach's alpha: whether a competency's statements measure one thing.
export function consistencyWords(alpha: number | null | undefined): string {
  if (alpha == null) return t('results.stats.notEnoughAnswers');
  if (alpha >= 0.8) return t('results.stats.consistent');
  if (alpha >= 0.7) return t('results.stats.acceptable');
  if (alpha >= 0.6) return t('results.stats.questionable');
  return t('results.stats.inconsistent');
}

// Cohen's d, in Cohen's conventional bands.
export function effectWords(d: number | null | undefined): string {
  if (d == null) return t('results.stats.effectUnknown');
  const a = Math.abs(d);
  if (a < 0.2) return t('results.stats.effectNegligible');
  if (a < 0.5) return t('results.stats.effectSmall');
  if (a < 0.8) return t('results.stats.effectMedium');
  return t('results.stats.effectLarge');
}
