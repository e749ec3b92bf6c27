import { afterEach, describe, expect, it } from 'vitest';
import {
  andList,
  date,
  dateTime,
  dayList,
  decimal,
  defaultCycleName,
  fromClosingDateInput,
  fromDateInput,
  participantTitle,
  plural,
  roleName,
  score,
  signed,
  sizeBand,
  toDateInput,
} from './format';
import { setLang } from './i18n.svelte';

describe('sizeBand', () => {
  it('names the unit once', () => {
    expect(sizeBand('250–999')).toBe('250–999 employees');
    expect(sizeBand('250–999 employees')).toBe('250–999 employees');
    expect(sizeBand(' 250-999 Employees. ')).toBe('250-999 Employees.');
    // The canonical bands the server stores read as people write them.
    expect(sizeBand('250-999')).toBe('250–999 employees');
    expect(sizeBand('1000-4999')).toBe('1,000–4,999 employees');
    expect(sizeBand('1,000–4,999')).toBe('1,000–4,999 employees');
    expect(sizeBand('5000+')).toBe('5,000+ employees');
    expect(sizeBand('1-49')).toBe('1–49 employees');
    expect(sizeBand('1,000+ employees (group)')).toBe('1,000+ employees (group)');
    expect(sizeBand('50 staff')).toBe('50 staff');
    expect(sizeBand('1 employee')).toBe('1 employee');
  });
  it('is empty when no band is given', () => {
    expect(sizeBand('')).toBe('');
    expect(sizeBand('   ')).toBe('');
  });
});

describe('defaultCycleName', () => {
  it('names the month it is made in, never a season that does not fit', () => {
    expect(defaultCycleName(new Date(2026, 11, 7))).toBe('December 2026 assessment');
    expect(defaultCycleName(new Date(2027, 2, 1))).toBe('March 2027 assessment');
    expect(defaultCycleName(new Date(2026, 11, 7))).not.toMatch(/Autumn|Spring/);
  });
});

describe('participantTitle', () => {
  it("is the cycle's title, or a neutral one, never the internal name", () => {
    expect(participantTitle('How we serve customers', 'Helios')).toBe('How we serve customers');
    expect(participantTitle('', 'Helios')).toBe('Helios customer-experience assessment');
    expect(participantTitle(null, '')).toBe('Customer-experience assessment');
  });
});

describe('andList and dayList', () => {
  it('says a list of days in words and reads one typed', () => {
    expect(andList([])).toBe('');
    expect(andList([3])).toBe('3');
    expect(andList([1, 3, 7])).toBe('1, 3 and 7');
    expect(dayList('3, 7')).toEqual([3, 7]);
    expect(dayList(' 3 and 7 ')).toEqual([3, 7]);
    expect(dayList('')).toEqual([]);
    expect(dayList('3, soon')).toBeNull();
    expect(dayList('2.5')).toBeNull();
  });
});

describe('dates from a date field', () => {
  it('opens at the start of the day chosen and closes at its end, the same day both ways', () => {
    const opens = fromDateInput('2027-03-01')!;
    const closes = fromClosingDateInput('2027-03-01')!;
    expect(new Date(opens).getHours()).toBe(0);
    expect(closes - opens).toBe((24 * 3600 - 1) * 1000);
    expect(toDateInput(opens)).toBe('2027-03-01');
    expect(toDateInput(closes)).toBe('2027-03-01');
    expect(fromClosingDateInput('')).toBeNull();
  });
});

describe('format in German', () => {
  afterEach(() => setLang('en'));

  it('writes numbers, signs and dates as German readers do', () => {
    setLang('de');
    expect(decimal(2.5)).toBe('2,50');
    expect(decimal(1234.5, 1)).toBe('1234,5');
    expect(signed(0.25)).toBe('+0,25');
    expect(signed(-0.3, 1)).toBe('-0,3');
    expect(signed(0)).toBe('0,00');
    expect(score(61.6)).toBe('62');
    expect(date(Date.UTC(2026, 2, 15, 12))).toMatch(/^15\. März 2026$/);
    expect(dateTime(new Date(2027, 0, 12, 9, 5).getTime())).toMatch(/^12\. Jan\. 2027, 09:05$/);
  });

  it('names roles, size bands, lists and plurals in German', () => {
    setLang('de');
    expect(roleName('executive')).toBe('Geschäftsleitung');
    expect(roleName(null)).toBe('Keine Rolle angegeben');
    expect(roleName('sachbearbeitung')).toBe('Sachbearbeitung');
    expect(sizeBand('1000-4999')).toBe('1.000–4.999 Beschäftigte');
    expect(sizeBand('5000+')).toBe('5.000+ Beschäftigte');
    expect(sizeBand('250 Mitarbeitende')).toBe('250 Mitarbeitende');
    expect(andList([1, 3, 7])).toBe('1, 3 und 7');
    expect(dayList('3 und 7')).toEqual([3, 7]);
    expect(plural(1, 'Antwort', 'Antworten')).toBe('1 Antwort');
    expect(plural(1200, 'Antwort', 'Antworten')).toBe('1.200 Antworten');
    expect(defaultCycleName(new Date(2026, 11, 7))).toBe('Erhebung Dezember 2026');
    expect(participantTitle('', 'Müller & Söhne')).toBe('Customer-Experience-Einschätzung bei Müller & Söhne');
  });

  it('keeps English as it was', () => {
    expect(decimal(2.5)).toBe('2.50');
    expect(signed(1.5, 1)).toBe('+1.5');
    expect(signed(-0.3, 1)).toBe('-0.3');
    expect(roleName('frontline')).toBe('Frontline');
    expect(roleName('')).toBe('No role given');
    expect(plural(2, 'answer')).toBe('2 answers');
  });
});
