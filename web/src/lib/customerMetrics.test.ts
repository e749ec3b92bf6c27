import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import type { CustomerMetric } from './api';
import { coverage, importBody, scaleNumber, templateCsv } from './customerMetrics';

const nps: CustomerMetric = {
  metric: 'nps',
  name: 'Net Promoter Score',
  definition: 'Promoters minus detractors',
  scale: { min: -100, max: 100 },
  builtin: true,
  synthetic: false,
  series: [
    { period: '2026-01', unit: null, value: 10, respondents: 100, source: 'Survey A', synthetic: false },
    { period: '2026-02', unit: null, value: 12, respondents: 100, source: 'Survey A', synthetic: false },
    { period: '2025-12', unit: 'Sales', value: 8, respondents: 30, source: 'Survey B', synthetic: false },
    { period: '2026-01', unit: 'Sales', value: 9, respondents: 30, source: 'Survey A', synthetic: false },
  ],
};

describe('coverage', () => {
  beforeEach(() => setLang('en'));

  it('counts figures and periods, and lists units and sources once each', () => {
    expect(coverage(nps)).toEqual({
      figures: 4,
      periods: 3,
      first: '2025-12',
      last: '2026-02',
      units: ['Whole organization', 'Sales'],
      sources: ['Survey A', 'Survey B'],
    });
  });
});

describe('importBody', () => {
  it('sends CSV text as it is and a JSON file as its rows', () => {
    expect(importBody('period,unit\n', 'a.csv')).toEqual({ csv: 'period,unit\n' });
    expect(importBody('\uFEFF {"rows": [{"period": "2026-01"}]}', 'a.json')).toEqual({ rows: [{ period: '2026-01' }] });
  });
  it('says what is wrong with a JSON file before sending it', () => {
    expect(() => importBody('{"rows": [', 'a.json')).toThrow(/^a.json is not valid JSON/);
    expect(() => importBody('{"rows": [], "metadata": {}}', 'a.json')).toThrow("a.json: unknown field 'metadata'");
    expect(() => importBody('{"rows": {}}', 'a.json')).toThrow('a.json: rows must be a list of figures');
  });
});

describe('templateCsv', () => {
  it('is the header alone, with a byte-order mark', () => {
    expect(templateCsv()).toBe('\uFEFFperiod,unit,metric,value,respondents,source,name,definition,scale_min,scale_max\r\n');
  });
});

describe('scaleNumber', () => {
  it('writes a minus sign and at most two decimals', () => {
    expect(scaleNumber(-100)).toBe('−100');
    expect(scaleNumber(4.125)).toBe('4.13');
  });
});
