// Why a group's figures are hidden, in words, from the server's structured
// reason (HiddenReason in openapi.json): every hidden figure says its true
// reason, fewer than k people or the smaller group it would reveal by
// subtraction, and which one.
import type { Schemas } from './api';
import { t } from './i18n.svelte';

type Hidden = Schemas['HiddenReason'];
type HiddenSegment = { name: string; suppressed: boolean; reason?: string; hidden?: Hidden };

// "Hidden: fewer than 3 people answered" / "Hidden: large enough, but
// showing it would let the answers of the fewer than 3 people in Digital be
// worked out by subtraction". A segment without a structured reason (an
// older report) keeps the server's sentence.
export function hiddenBecause(s: HiddenSegment, k: number): string {
  const h = s.hidden;
  return t('results.hidden.prefixed', { reason: hiddenReason(s, k) });
}

// The reason alone, without "Hidden:".
export function hiddenReason(s: HiddenSegment, k: number): string {
  const h = s.hidden;
  if (!h) return s.reason ? s.reason.replace(/; hidden to protect anonymity$/, '') : t('results.hidden.fewer', { k });
  switch (h.code) {
    case 'reveals_smaller_group':
      return t('results.hidden.revealsSmaller', { revealed: revealed(h) });
    case 'inside_filtered_group':
      return t('results.hidden.insideFiltered');
    default:
      return h.imported_excluded ? t('results.hidden.fewerImported', { k: h.k }) : t('results.hidden.fewer', { k: h.k });
  }
}

// "the answers of a group of fewer than 3 people in Digital"
export function revealed(h: Hidden): string {
  return h.group?.phrase ? t('results.hidden.answersOf', { group: h.group.phrase }) : t('results.hidden.answersOfSmaller');
}

// One line per hidden group, for the pages that list them together:
// "Digital: fewer than 3 people answered. Retail stores: large enough, but …"
export function hiddenList(segments: HiddenSegment[], k: number): string[] {
  return segments.filter((s) => s.suppressed).map((s) => t('results.hidden.listLine', { name: s.name, reason: hiddenReason(s, k) }));
}

// After the organization card's score: what the stage is, as it was
// actually reached (the weakest unit's needs a unit that can be shown).
export function rollupNote(r: { applied?: string; unit?: string | null } | null | undefined): string {
  if (!r) return '';
  if (r.applied === 'weakest_unit') return t('results.rollup.weakestUnit', { unit: r.unit ?? '' });
  if (r.applied === 'pooled_no_unit_shown') return t('results.rollup.pooled');
  return '';
}
