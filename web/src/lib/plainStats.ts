// Statistics in plain words first, the number behind a disclosure: what an
// executive reads is "Strong agreement" or "Answers split", and rwg, rwg(j),
// alpha or Cohen's d are there for whoever opens the detail.

export type AgreementClass = 'agreement' | 'mixed' | 'disagreement';

// A statement's agreement class (SPEC section 3: agreement rwg >= 0.70,
// disagreement below 0.50 or two camps across the midpoint, else mixed).
export function agreementWords(cls: AgreementClass | null | undefined, split = false): string {
  if (!cls) return 'Too few answers';
  if (cls === 'disagreement') return split ? 'Answers split into two camps' : 'Disagreement';
  return cls === 'agreement' ? 'Strong agreement' : 'Views differ';
}

// The number behind a statement's words.
export function agreementDetail(rwg: number | null | undefined): string {
  return rwg == null ? '' : `Within-group agreement rwg ${rwg.toFixed(2)} (0.70 or more: alike; below 0.50: disagreement)`;
}

// A competency's agreement in the same bands as its statements: how many
// of them the group agreed on, and how many split or disagreed. rwg(j),
// its multi-item index, runs much higher than its statements' rwg by
// construction (it treats the statements as repeated measures of one
// thing: J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²), so five statements at
// rwg 0.50 give 0.83), and is never shown as the headline for that reason.
export function competencyAgreement(classes: (AgreementClass | null | undefined)[]): string {
  const rated = classes.filter((c): c is AgreementClass => !!c);
  if (!rated.length) return 'Too few answers';
  const agreed = rated.filter((c) => c === 'agreement').length;
  const disagreed = rated.filter((c) => c === 'disagreement').length;
  const parts = [`Agreed on ${agreed} of ${rated.length}`];
  if (disagreed) parts.push(`${disagreed} split or disputed`);
  return parts.join(', ');
}

export function competencyAgreementDetail(rwgJ: number | null | undefined, n?: number): string {
  if (rwgJ == null) return '';
  return `Multi-item agreement rwg(j) ${rwgJ.toFixed(2)}${n != null ? ` over ${n} people` : ''}; it runs higher than single statements' rwg by construction, so read the statements' bands instead`;
}

// Cronbach's alpha: whether a competency's statements measure one thing.
export function consistencyWords(alpha: number | null | undefined): string {
  if (alpha == null) return 'Not enough answers';
  if (alpha >= 0.8) return 'Consistent';
  if (alpha >= 0.7) return 'Acceptable';
  if (alpha >= 0.6) return 'Questionable';
  return 'Inconsistent';
}

// Cohen's d, in Cohen's conventional bands.
export function effectWords(d: number | null | undefined): string {
  if (d == null) return 'size unknown';
  const a = Math.abs(d);
  if (a < 0.2) return 'a negligible difference';
  if (a < 0.5) return 'a small difference';
  if (a < 0.8) return 'a medium difference';
  return 'a large difference';
}
