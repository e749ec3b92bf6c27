// The change at the same mix of roles (SPEC section 3) beside the plain
// change, in words: which verdict leads and why the two differ.
import type { RoleBalancedChange, ScoreChange } from './api';
import { t, formatNumber } from './i18n.svelte';

type Share = RoleBalancedChange['roles'][number];

const pct = (share: number) => formatNumber(Math.round(share * 100) / 100, { style: 'percent' });

// The role whose share of the respondents moved most; null when none takes part.
export function mostMoved(b: RoleBalancedChange): Share | null {
  let moved: Share | null = null;
  for (const r of b.roles) {
    if (!moved || Math.abs(r.share_after - r.share_before) > Math.abs(moved.share_after - moved.share_before)) moved = r;
  }
  return moved;
}

// A change's verdict in words ("improved"), from the server's code.
export function verdictText(verdict: string): string {
  if (verdict === 'improved') return t('results.verdict.improved');
  if (verdict === 'declined') return t('results.verdict.declined');
  if (verdict === 'no clear change') return t('results.verdict.noClearChange');
  return verdict;
}

// "the share of Executive respondents rose from 13% to 50%".
export function shareMoveText(b: RoleBalancedChange): string {
  const r = mostMoved(b);
  if (!r) return '';
  const values = { role: r.name, before: pct(r.share_before), after: pct(r.share_after) };
  return r.share_after > r.share_before ? t('results.roleMix.rose', values) : t('results.roleMix.fell', values);
}

export const shareText = (share: number) => pct(share);

// The change to lead with: the one at the same mix of roles when its
// verdict differs from the plain one (and says why), else the plain one.
export interface ChangeHeadline {
  balancedLeads: boolean;
  change: number | null;
  ci_low: number | null;
  ci_high: number | null;
  verdict: string;
  // Why the plain change misleads, when the balanced one leads.
  why: string;
}

export function changeHeadline(c: ScoreChange): ChangeHeadline {
  const b = c.role_balanced;
  if (b && c.change != null && b.verdict !== c.verdict) {
    return {
      balancedLeads: true,
      change: b.change,
      ci_low: b.ci_low,
      ci_high: b.ci_high,
      verdict: b.verdict,
      why: t('results.roleMix.why', {
        change: formatNumber(c.change, { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: 'exceptZero' }),
        verdict: verdictText(c.verdict),
        move: shareMoveText(b),
      }),
    };
  }
  return { balancedLeads: false, change: c.change, ci_low: c.ci_low, ci_high: c.ci_high, verdict: c.verdict, why: '' };
}
