import { describe, expect, it } from 'vitest';
import { andList, dayList, defaultCycleName, fromClosingDateInput, fromDateInput, participantTitle, sizeBand, toDateInput } from './format';

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
