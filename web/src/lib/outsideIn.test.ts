import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { correlationHeadline, correlationWords, gapWords, groupsWithBoth, metricValue, periodTime } from './outsideIn';
import type { CustomerMetric, MaturityPoint, OutsideInCorrelation } from './api';

const metric = (units: (string | null)[]): CustomerMetric => ({
  metric: 'nps',
  name: 'Net Promoter Score',
  definition: 'd',
  scale: { min: -100, max: 100 },
  builtin: true,
  synthetic: false,
  series: units.map((unit) => ({ period: '2026-03', unit, value: 10, respondents: 100, source: 's', synthetic: false })),
});
const point = (unit: string | null): MaturityPoint => ({ cycle: 'c', cycle_name: 'C', unit, score: 50, first: '2026-03-01', last: '2026-03-31' });
const correlation = (rho: number | null, n: number, reason: string | null = null): OutsideInCorrelation => ({
  metric: 'nps',
  name: 'NPS',
  n,
  rho,
  min_pairs: 8,
  caution: 'c',
  reason,
  pairs: [],
});

describe('outside-in', () => {
  beforeEach(() => setLang('en'));

  it('places a month at its middle and a day at noon', () => {
    expect(new Date(periodTime('2026-02')).toISOString()).toBe('2026-02-15T12:00:00.000Z');
    expect(new Date(periodTime('2026-03-07')).toISOString()).toBe('2026-03-07T12:00:00.000Z');
  });
  it('offers only groups with both a maturity trend and customer figures, the whole organization first', () => {
    expect(groupsWithBoth([point(null), point('Support'), point('Sales')], metric(['Sales', null, 'Digital']))).toEqual(['', 'Sales']);
    expect(groupsWithBoth([point('Sales')], undefined)).toEqual([]);
  });
  it('states a correlation only with rho, and says why not otherwise', () => {
    expect(correlationHeadline(correlation(0.8313, 8))).toBe('ρ = 0.83 (n = 8)');
    expect(correlationHeadline(correlation(null, 3, 'only 3 pairs'))).toBe('No correlation stated');
    expect(correlationWords(correlation(null, 3, 'only 3 pairs'))).toBe('only 3 pairs');
    expect(correlationWords(correlation(-0.5, 9))).toContain('moderate association over 9 pairs');
    expect(correlationWords(correlation(-0.5, 9))).toContain('lower customer figures');
    expect(correlationWords(correlation(0.1, 9))).toContain('hardly any');
  });
  it('words the delivery gap as the report does', () => {
    expect(gapWords(5.4)).toBe("5 points above the customers' figure");
    expect(gapWords(-1)).toBe("1 point below the customers' figure");
    expect(gapWords(0.3)).toBe("level with the customers' figure");
    expect(gapWords(null)).toBe('–');
    expect(metricValue(4.25)).toBe('4.3');
    expect(metricValue(-20)).toBe('-20');
  });
});
