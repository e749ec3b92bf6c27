// The change at the same mix of roles (SPEC section 3) beside the plain
// change, in words: which verdict leads and why the two differ.
import type { RoleBalancedChange, ScoreChange } from './api';

type Share = RoleBalancedChange['roles'][number];

const pct = (share: number) => `${Math.round(share * 100)}%`;

// The role whose share of the respondents moved most; null when none takes part.
export function mostMoved(b: RoleBalancedChange): Share | null {
  let moved: Share | null = null;
  for (const r of b.roles) {
    if (!moved || Math.abs(r.share_after - r.share_before) > Math.abs(moved.share_after - moved.share_before)) moved = r;
  }
  return moved;
}

// "the share of Executive respondents rose from 13% to 50%".
export function shareMoveText(b: RoleBalancedChange): string {
  const r = mostMoved(b);
  if (!r) return '';
  return `the share of ${r.name} respondents ${r.share_after > r.share_before ? 'rose' : 'fell'} from ${pct(r.share_before)} to ${pct(r.share_after)}`;
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
      why: `The plain change, ${c.change > 0 ? '+' : ''}${c.change.toFixed(1)} (${c.verdict}), mixes progress with who answered: ${shareMoveText(b)}.`,
    };
  }
  return { balancedLeads: false, change: c.change, ci_low: c.ci_low, ci_high: c.ci_high, verdict: c.verdict, why: '' };
}
