// Words for a place among an industry's customer ratings (the benchmark
// page's "Customer ratings" card).
import type { RatingPosition } from './api';
import { percentWord } from './benchmark';

// A rating as printed: whole numbers as they are, others to one decimal.
export function ratingNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

// "Net Promoter Score, 2025" with a named rating's scale: "Review stars (1 to 5), 2025".
export function positionTitle(p: RatingPosition): string {
  const builtin = ['nps', 'csat', 'ces'].includes(p.metric);
  const scale = builtin ? '' : ` (${ratingNumber(p.scale.min)} to ${ratingNumber(p.scale.max)})`;
  return `${p.name}${scale}, ${p.year}`;
}

// "30 (2025-11, 250 customers)", or what is missing.
export function ownText(p: RatingPosition): string {
  if (!p.own) return `none for ${p.year}`;
  const n = p.own.respondents;
  return `${ratingNumber(p.own.value)} (${p.own.period}, ${n.toLocaleString('en')} ${n === 1 ? 'customer' : 'customers'})`;
}

// "ahead of 50% of peers (percentile rank 50, among 6 peers)", or null when hidden.
export function placeText(p: RatingPosition): string | null {
  if (p.percentile == null) return null;
  return `${percentWord(p.percentile)} (percentile rank ${Math.round(p.percentile)}, among ${p.peers} peers)`;
}

// "Peers' median 30, middle half 22.5 to 37.5", or null when hidden ("to":
// a dash would read as a minus before an NPS below zero).
export function spreadText(p: RatingPosition): string | null {
  if (p.median == null || p.q1 == null || p.q3 == null) return null;
  return `Peers' median ${ratingNumber(p.median)}, middle half ${ratingNumber(p.q1)} to ${ratingNumber(p.q3)}`;
}
