// Why a group's figures are hidden, in words, from the server's structured
// reason (HiddenReason in openapi.json): every hidden figure says its true
// reason, fewer than k people or the smaller group it would reveal by
// subtraction, and which one.
import type { Schemas } from './api';

type Hidden = Schemas['HiddenReason'];
type HiddenSegment = { name: string; suppressed: boolean; reason?: string; hidden?: Hidden };

// "Hidden: fewer than 3 people answered" / "Hidden: large enough, but
// showing it would let the answers of the fewer than 3 people in Digital be
// worked out by subtraction". A segment without a structured reason (an
// older report) keeps the server's sentence.
export function hiddenBecause(s: HiddenSegment, k: number): string {
  const h = s.hidden;
  if (!h) return s.reason ? `Hidden: ${s.reason.replace(/; hidden to protect anonymity$/, '')}` : `Hidden: fewer than ${k} people answered`;
  switch (h.code) {
    case 'reveals_smaller_group':
      return `Hidden: large enough, but showing it would let ${revealed(h)} be worked out by subtraction from the other figures`;
    case 'inside_filtered_group':
      return "Hidden: a breakdown inside this group's own view would be a finer cut than the anonymity rule allows";
    default:
      return h.imported_excluded
        ? `Hidden: fewer than ${h.k} people answered themselves (imported answers do not count)`
        : `Hidden: fewer than ${h.k} people answered`;
  }
}

// "the answers of a group of fewer than 3 people in Digital"
export function revealed(h: Hidden): string {
  return `the answers of ${h.group?.phrase ?? 'a smaller group'}`;
}

// One line per hidden group, for the pages that list them together:
// "Digital: fewer than 3 people answered. Retail stores: large enough, but …"
export function hiddenList(segments: HiddenSegment[], k: number): string[] {
  return segments.filter((s) => s.suppressed).map((s) => `${s.name}: ${hiddenBecause(s, k).replace(/^Hidden: /, '')}`);
}

// After the organization card's score: what the stage is, as it was
// actually reached (the weakest unit's needs a unit that can be shown).
export function rollupNote(r: { applied?: string; unit?: string | null } | null | undefined): string {
  if (!r) return '';
  if (r.applied === 'weakest_unit') return `; the weakest unit's stage (${r.unit})`;
  if (r.applied === 'pooled_no_unit_shown') return "; everyone's answers pooled, since no unit can be shown";
  return '';
}
