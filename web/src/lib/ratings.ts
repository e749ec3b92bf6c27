// Words for a place among an industry's customer ratings (the benchmark
// page's "Customer ratings" card).
import type { RatingPosition } from './api';
import { percentWord } from './benchmark';
import { t, formatNumber } from './i18n.svelte';

// A rating as printed: whole numbers as they are, others to one decimal.
export function ratingNumber(value: number): string {
  return Number.isInteger(value) ? formatNumber(value) : formatNumber(value, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

// "Net Promoter Score, 2025" with a named rating's scale: "Review stars (1 to 5), 2025".
export function positionTitle(p: RatingPosition): string {
  const builtin = ['nps', 'csat', 'ces'].includes(p.metric);
  if (builtin) return t('results.ratings.title', { name: p.name, year: String(p.year) });
  return t('results.ratings.titleScale', { name: p.name, min: ratingNumber(p.scale.min), max: ratingNumber(p.scale.max), year: String(p.year) });
}

// "30 (2025-11, 250 customers)", or what is missing.
export function ownText(p: RatingPosition): string {
  if (!p.own) return t('results.ratings.noneFor', { year: String(p.year) });
  return t('results.ratings.own', { value: ratingNumber(p.own.value), period: p.own.period, n: p.own.respondents });
}

// "ahead of 50% of peers (percentile rank 50, among 6 peers)", or null when hidden.
export function placeText(p: RatingPosition): string | null {
  if (p.percentile == null) return null;
  return t('results.ratings.place', { ahead: percentWord(p.percentile), rank: Math.round(p.percentile), peers: p.peers });
}

// "Peers' median 30, middle half 22.5 to 37.5", or null when hidden ("to":
// a dash would read as a minus before an NPS below zero).
export function spreadText(p: RatingPosition): string | null {
  if (p.median == null || p.q1 == null || p.q3 == null) return null;
  return t('results.ratings.spread', { median: ratingNumber(p.median), q1: ratingNumber(p.q1), q3: ratingNumber(p.q3) });
}
