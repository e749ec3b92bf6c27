// The results area's words in German: plurals, numbers and percentages as a
// German reader writes them (the English cases are in each module's test).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { hiddenBecause, hiddenList, rollupNote } from './reasons';
import { agreementDetail, agreementWords, competencyAgreement, competencyAgreementDetail, effectWords } from './plainStats';
import { indicativeSentence, siloMeaning, tooFewAnswers } from './evidence';
import { percentWord, tooFew } from './benchmark';
import { ownText, placeText, ratingNumber, spreadText } from './ratings';
import { correlationHeadline, correlationWords, gapWords, groupName, metricValue } from './outsideIn';
import { changeHeadline, shareMoveText } from './roleMix';
import { coverage, importBody } from './customerMetrics';
import { oneDecimal, percentOf, signedWhole } from './figures';
import type { CustomerMetric, RatingPosition, RoleBalancedChange, ScoreChange } from './api';

// Intl writes a narrow no-break space before "%" in German.
const spaces = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('results in German', () => {
  beforeEach(() => setLang('de'));
  afterEach(() => setLang('en'));

  it('says why a figure is hidden, with its true reason', () => {
    const digital = { name: 'Digital', suppressed: true, hidden: { code: 'fewer_than_k' as const, k: 3, imported_excluded: false } };
    const imported = { name: 'Filialen', suppressed: true, hidden: { code: 'fewer_than_k' as const, k: 5, imported_excluded: true } };
    const retail = {
      name: 'Filialen',
      suppressed: true,
      hidden: {
        code: 'reveals_smaller_group' as const,
        k: 3,
        group: { kind: 'unit' as const, value: 'Digital', name: 'Digital', phrase: 'einer Gruppe von weniger als 3 Personen in Digital' },
      },
    };
    expect(hiddenBecause(digital, 3)).toBe('Ausgeblendet: weniger als 3 Personen haben geantwortet');
    expect(hiddenBecause(imported, 5)).toBe('Ausgeblendet: weniger als 5 Personen haben selbst geantwortet (importierte Antworten zählen nicht)');
    expect(hiddenBecause(retail, 3)).toContain('durch Subtraktion');
    expect(hiddenBecause(retail, 3)).toContain('einer Gruppe von weniger als 3 Personen in Digital');
    expect(hiddenList([digital], 3)).toEqual(['Digital: weniger als 3 Personen haben geantwortet']);
    expect(rollupNote({ applied: 'weakest_unit', unit: 'Filialen' })).toBe('; die Stufe der schwächsten Einheit (Filialen)');
  });

  it('words statistics with German plurals and decimal commas', () => {
    expect(agreementWords('agreement')).toBe('Große Einigkeit');
    expect(agreementDetail(0.734)).toBe('Übereinstimmung innerhalb der Gruppe rwg 0,73 (0,70 oder mehr: einig; unter 0,50: uneinig)');
    expect(competencyAgreement(['agreement', 'disagreement', 'mixed'])).toBe('Einig bei 1 von 3, 1 gespalten oder strittig');
    expect(competencyAgreementDetail(0.95, 1)).toMatch(/^Mehr-Item-Übereinstimmung rwg\(j\) 0,95 über 1 Person;/);
    expect(competencyAgreementDetail(0.95, 1234)).toMatch(/über 1\.234 Personen;/);
    expect(effectWords(0.6)).toBe('ein mittlerer Unterschied');
  });

  it('explains the evidence rule and the silo score with plurals', () => {
    const steps = [{ number: 3, name: 'Mobilisieren', indicative: true, counted: 1, statements: 4 }];
    const one = indicativeSentence(2, steps, 1);
    expect(one).toMatch(/^Eine Aussage zählt für eine Stufe nur mit mindestens 1 Antwort \(ohne „Weiß nicht“\); /);
    expect(one).toContain('auf Stufe 3 Mobilisieren erreichten nur 1 ihrer 4 Aussagen so viele');
    expect(one).toMatch(/Lesen Sie Stufe 2 als Hinweis, nicht als Urteil\.$/);
    expect(indicativeSentence(2, [], 3)).toMatch(/mindestens 3 Antworten \(ohne „Weiß nicht“\)\. Lesen/);
    expect(siloMeaning({ score: 41, statements: ['a'] }, 60)).toMatch(/gemessen an der 1 Aussage .*Unter der Schwelle von 60/);
    expect(siloMeaning({ score: 72, statements: ['a', 'b'] }, 60)).toMatch(/gemessen an den 2 Aussagen .*Auf oder über der Schwelle von 60/);
    expect(tooFewAnswers()).toBe('zu wenige Antworten für eine sichere Aussage');
  });

  it('places an organization among peers in German numbers', () => {
    expect(spaces(percentWord(62.4))).toBe('vor 62 % der Vergleichsgruppe');
    expect(tooFew(1, 4, 5)).toBe('1 Vergleichsorganisation in dieser Auswahl; 4 weitere nötig (ein Vergleich braucht mindestens 5)');
    const p: RatingPosition = {
      metric: 'csat', name: 'CSAT', scale: { min: 1, max: 5 }, year: 2025,
      own: { value: 4.25, period: '2025-11', respondents: 1250, source: 'Umfrage', synthetic: false },
      peers: 6, missing: 0, percentile: 50, median: 4, q1: 3.5, q3: 4.5, reason: null,
    };
    expect(ratingNumber(4.25)).toBe('4,3');
    expect(ownText(p)).toBe('4,3 (2025-11, 1.250 Kunden)');
    expect(spaces(placeText(p))).toBe('vor 50 % der Vergleichsgruppe (Perzentilrang 50, unter 6 Vergleichsorganisationen)');
    expect(spreadText(p)).toBe('Median der Vergleichsorganisationen 4, mittlere Hälfte 3,5 bis 4,5');
  });

  it('words the outside-in view in German', () => {
    expect(correlationHeadline({ rho: 0.834, n: 9, reason: null } as never)).toBe('ρ = 0,83 (n = 9)');
    expect(correlationWords({ rho: -0.5, n: 9, reason: null } as never)).toBe(
      'Ein mäßiger Zusammenhang über 9 Paare aus Reifegradwert und Kundenkennzahl: Höhere Reife ging mit niedrigeren Kundenkennzahlen einher.',
    );
    expect(gapWords(1)).toBe('1 Punkt über dem Wert der Kunden');
    expect(gapWords(-12.4)).toBe('12 Punkte unter dem Wert der Kunden');
    expect(groupName(null)).toBe('Gesamte Organisation');
    expect(metricValue(4.25)).toBe('4,3');
  });

  it('says why the change at the same mix of roles leads', () => {
    const b: RoleBalancedChange = {
      before: 52.97, after: 52.42, change: -0.55, ci_low: -5.89, ci_high: 4.78, df: 3.45, verdict: 'no clear change',
      roles: [{ role: 'frontline', name: 'Mitarbeitende mit Kundenkontakt', weight: 1, share_before: 0.6, share_after: 3 / 18 }],
      flagged: true, reason: 'why',
    };
    const c: ScoreChange = {
      before: 36.25, after: 63.89, change: 27.64, ci_low: 7.06, ci_high: 48.22, df: 29.8, verdict: 'improved',
      n_before: 15, n_after: 18, role_balanced: b, role_balanced_note: null,
    };
    expect(spaces(shareMoveText(b))).toBe('der Anteil der Befragten mit der Rolle Mitarbeitende mit Kundenkontakt sank von 60 % auf 17 %');
    expect(spaces(changeHeadline(c).why)).toBe(
      'Die einfache Veränderung, +27,6 (verbessert), vermischt Fortschritt damit, wer geantwortet hat: der Anteil der Befragten mit der Rolle Mitarbeitende mit Kundenkontakt sank von 60 % auf 17 %.',
    );
  });

  it("names the whole organization and a file's problems in German", () => {
    const metric = {
      metric: 'nps', name: 'NPS', definition: '', scale: { min: -100, max: 100 }, synthetic: false,
      series: [{ period: '2025-10', unit: null, value: 10, respondents: 100, source: 'Umfrage', synthetic: false }],
    } as unknown as CustomerMetric;
    expect(coverage(metric).units).toEqual(['Gesamte Organisation']);
    expect(() => importBody('{"rows": {}}', 'a.json')).toThrow('a.json: rows muss eine Liste von Zahlen sein');
    expect(() => importBody('{"rows": [], "metadata": {}}', 'a.json')).toThrow('a.json: unbekanntes Feld „metadata“ (erwartet: {"rows": [...]})');
  });

  it('writes percentages, decimals and signs as a German reader does', () => {
    expect(spaces(percentOf(62))).toBe('62 %');
    expect(oneDecimal(4.25)).toBe('4,3');
    expect(signedWhole(12.4)).toBe('+12');
    expect(signedWhole(0)).toBe('0');
  });
});
