import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { agreementWords, competencyAgreement, competencyAgreementDetail, consistencyWords, effectWords } from './plainStats';

describe('statistics in plain words', () => {
  beforeEach(() => setLang('en'));

  it('words a statement before its rwg', () => {
    expect(agreementWords('agreement')).toBe('Strong agreement');
    expect(agreementWords('mixed')).toBe('Views differ');
    expect(agreementWords('disagreement', true)).toBe('Answers split into two camps');
    expect(agreementWords('disagreement')).toBe('Disagreement');
    expect(agreementWords(null)).toBe('Too few answers');
  });

  it("words a competency by its statements' bands, so it cannot contradict them", () => {
    // rwg(j) 0.95 with a statement in disagreement: the words count the statement.
    expect(competencyAgreement(['agreement', 'disagreement', 'mixed', 'agreement'])).toBe('Agreed on 2 of 4, 1 split or disputed');
    expect(competencyAgreement([null, null])).toBe('Too few answers');
    expect(competencyAgreementDetail(0.95, 12)).toMatch(/rwg\(j\) 0.95 over 12 people/);
  });

  it('words alpha and Cohen\'s d', () => {
    expect(consistencyWords(0.85)).toBe('Consistent');
    expect(consistencyWords(0.5)).toBe('Inconsistent');
    expect(effectWords(-1.2)).toBe('a large difference');
    expect(effectWords(0.3)).toBe('a small difference');
  });
});
