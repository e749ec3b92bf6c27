import { describe, expect, it } from 'vitest';
import { sizeBand } from './format';

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
