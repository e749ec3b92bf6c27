import { describe, expect, it } from 'vitest';
import { sizeBand } from './format';

describe('sizeBand', () => {
  it('names the unit once', () => {
    expect(sizeBand('250–999')).toBe('250–999 employees');
    expect(sizeBand('250–999 employees')).toBe('250–999 employees');
    expect(sizeBand(' 250-999 Employees. ')).toBe('250-999 Employees.');
    expect(sizeBand('1,000+ employees (group)')).toBe('1,000+ employees (group)');
    expect(sizeBand('50 staff')).toBe('50 staff');
    expect(sizeBand('1 employee')).toBe('1 employee');
  });
  it('is empty when no band is given', () => {
    expect(sizeBand('')).toBe('');
    expect(sizeBand('   ')).toBe('');
  });
});
