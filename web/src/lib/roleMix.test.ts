import { beforeEach, describe, expect, it } from 'vitest';
import { setLang } from './i18n.svelte';
import { changeHeadline, mostMoved, shareMoveText } from './roleMix';
import type { RoleBalancedChange, ScoreChange } from './api';

const balanced = (verdict: RoleBalancedChange['verdict'], flagged = true): RoleBalancedChange => ({
  before: 52.97, after: 52.42, change: -0.55, ci_low: -5.89, ci_high: 4.78, df: 3.45, verdict,
  roles: [
    { role: 'executive', name: 'Executive', weight: 11 / 27, share_before: 2 / 15, share_after: 0.5 },
    { role: 'manager', name: 'Manager', weight: 4 / 27, share_before: 2 / 15, share_after: 2 / 18 },
    { role: 'frontline', name: 'Frontline employee', weight: 12 / 27, share_before: 0.6, share_after: 3 / 18 },
  ],
  flagged, reason: flagged ? 'why' : null,
});

const change = (b: RoleBalancedChange | null): ScoreChange => ({
  before: 36.25, after: 63.89, change: 27.64, ci_low: 7.06, ci_high: 48.22, df: 29.8, verdict: 'improved',
  n_before: 15, n_after: 18, role_balanced: b, role_balanced_note: b ? null : 'No change at the same mix of roles: fewer than two roles …',
});

describe('role mix', () => {
  beforeEach(() => setLang('en'));

  it('names the role whose share moved most', () => {
    expect(mostMoved(balanced('no clear change'))?.role).toBe('frontline');
    expect(shareMoveText(balanced('no clear change'))).toBe('the share of Frontline employee respondents fell from 60% to 17%');
  });
  it('leads with the change at the same mix of roles when the verdicts differ, and says why', () => {
    const h = changeHeadline(change(balanced('no clear change')));
    expect(h.balancedLeads).toBe(true);
    expect(h.verdict).toBe('no clear change');
    expect(h.change).toBe(-0.55);
    expect(h.why).toBe('The plain change, +27.6 (improved), mixes progress with who answered: the share of Frontline employee respondents fell from 60% to 17%.');
  });
  it('keeps the plain change when the verdicts agree or there is no balanced change', () => {
    expect(changeHeadline(change(balanced('improved'))).balancedLeads).toBe(false);
    const plain = changeHeadline(change(null));
    expect(plain.balancedLeads).toBe(false);
    expect(plain.verdict).toBe('improved');
    expect(plain.change).toBe(27.64);
    expect(plain.why).toBe('');
  });
});
