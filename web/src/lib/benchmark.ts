// Words for benchmark figures, shared by the page and its charts.
import { t } from './i18n.svelte';

// "ahead of 62% of peers" for a mid-rank percentile.
export function percentWord(percentile: number): string {
  return t('results.benchmark.ahead', { percent: Math.round(percentile) / 100 });
}

// "4 peers in this selection; 1 more needed (at least 5)".
export function tooFew(n: number, missing: number, minimum: number): string {
  return t('results.benchmark.tooFew', { n, missing, minimum });
}
