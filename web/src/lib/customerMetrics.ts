// Customer metrics as the progress page shows them (docs/customer-metrics.md):
// what each metric's figures cover, the body an uploaded file becomes, and a
// template file to start from.
import type { CustomerMetric, CustomerMetricsImport } from './api';
import { csvFile } from './csv';
import { t } from './i18n.svelte';

export interface MetricCoverage {
  figures: number;
  periods: number; // distinct periods
  first: string; // the earliest period, e.g. "2025-10"
  last: string;
  units: string[]; // "Whole organization" first, then the units in the series' order
  sources: string[];
}

// The name of the figures for no unit, in the reader's language.
export const wholeOrganization = () => t('results.wholeOrganization');

export function coverage(metric: CustomerMetric): MetricCoverage {
  const periods = [...new Set(metric.series.map((f) => f.period))].sort();
  const units: string[] = [];
  const sources: string[] = [];
  for (const f of metric.series) {
    const unit = f.unit ?? wholeOrganization();
    if (!units.includes(unit)) units.push(unit);
    if (!sources.includes(f.source)) sources.push(f.source);
  }
  return { figures: metric.series.length, periods: periods.length, first: periods[0] ?? '', last: periods[periods.length - 1] ?? '', units, sources };
}

// The request body for a file's text: JSON ({"rows": [...]}) when it starts
// with '{', else CSV. The server checks everything else and names the row.
export function importBody(text: string, fileName: string): CustomerMetricsImport {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed.startsWith('{')) return { csv: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (e) {
    throw new Error(t('results.metrics.notJson', { file: fileName, error: (e as Error).message }));
  }
  const doc = parsed as Record<string, unknown>;
  const other = Object.keys(doc).find((key) => key !== 'rows');
  if (other !== undefined) throw new Error(t('results.metrics.unknownField', { file: fileName, field: other }));
  if (!Array.isArray(doc.rows)) throw new Error(t('results.metrics.rowsNotList', { file: fileName }));
  return { rows: doc.rows as CustomerMetricsImport['rows'] };
}

export const TEMPLATE_COLUMNS = ['period', 'unit', 'metric', 'value', 'respondents', 'source', 'name', 'definition', 'scale_min', 'scale_max'];

// The header alone: a template with example figures in it could be
// imported unchanged as if they were real.
export function templateCsv(): string {
  return csvFile([TEMPLATE_COLUMNS]);
}

// A number as the scale gives it: "-100", "4.5".
export const scaleNumber = (v: number) => (Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100)).replace('-', '−');
