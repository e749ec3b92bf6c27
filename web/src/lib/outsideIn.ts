// Outside-in (docs/outside-in.md) for the pages: the customer metric's
// points on the time axis of the maturity trend, the units where both
// exist, and the correlation and delivery gap in plain words.
import type { CustomerMetric, MaturityPoint, OutsideInCorrelation } from './api';
import { t, formatNumber, compareText } from './i18n.svelte';

const DAY = 86_400_000;

// Noon UTC of a YYYY-MM-DD day, in milliseconds.
export const dayTime = (day: string) => Date.parse(`${day}T12:00:00Z`);

// Where a figure's period sits on a time axis: the middle of its month, or
// its day.
export function periodTime(period: string): number {
  if (/^\d{4}-\d{2}$/.test(period)) {
    const [y, m] = period.split('-').map(Number);
    const first = Date.UTC(y, m - 1, 1, 12);
    const next = Date.UTC(y, m, 1, 12);
    return first + Math.floor((next - first) / DAY / 2) * DAY;
  }
  return dayTime(period);
}

// Where a cycle's maturity score sits: its last day (closed, else closing,
// else today), the day its answers were complete.
export const cycleTime = (point: Pick<MaturityPoint, 'last'>) => dayTime(point.last);

// The groups with both a maturity trend and a customer series of `metric`:
// the whole organization ('') first, then units by name.
export function groupsWithBoth(maturity: MaturityPoint[], metric: CustomerMetric | undefined): string[] {
  if (!metric) return [];
  const withMaturity = new Set(maturity.map((p) => p.unit ?? ''));
  const withFigures = new Set(metric.series.map((f) => f.unit ?? ''));
  return [...withMaturity].filter((g) => withFigures.has(g)).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : compareText(a, b)));
}

export const groupName = (unit: string | null | undefined) => (unit ? unit : t('results.wholeOrganization'));

// "ρ = 0.83 (n = 9)" or why there is no correlation.
export function correlationHeadline(c: OutsideInCorrelation): string {
  if (c.rho == null) return t('results.outsideIn.noCorrelation');
  return t('results.outsideIn.rho', { rho: formatNumber(c.rho, { minimumFractionDigits: 2, maximumFractionDigits: 2 }), n: c.n });
}

// The correlation's strength in words (Spearman's rho, by its size).
export function correlationWords(c: OutsideInCorrelation): string {
  if (c.rho == null) return c.reason ?? '';
  const r = Math.abs(c.rho);
  const strength = r >= 0.7 ? 'strong' : r >= 0.4 ? 'moderate' : r >= 0.2 ? 'weak' : 'none';
  const direction = r < 0.2 ? 'none' : c.rho > 0 ? 'higher' : 'lower';
  return t('results.outsideIn.association', { strength, direction, n: c.n });
}

// "12 points above the customers' figure", as the report words it.
export function gapWords(gap: number | null | undefined): string {
  if (gap == null) return '–';
  const points = Math.round(Math.abs(gap));
  if (points === 0) return t('results.outsideIn.gapLevel');
  return gap > 0 ? t('results.outsideIn.gapAbove', { points }) : t('results.outsideIn.gapBelow', { points });
}

// A metric's value as printed: whole numbers without decimals, else one.
export const metricValue = (v: number | null | undefined) =>
  v == null ? '–' : Math.abs(v - Math.round(v)) < 1e-9 ? formatNumber(Math.round(v)) : formatNumber(v, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
