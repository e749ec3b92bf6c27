import { describe, expect, it } from 'vitest';
import { actionsSummary, byDueDate, dueDate, owners } from './plan';
import type { PlannedAction } from './api';

const action = (title: string, due: string | null, owner = ''): PlannedAction => ({
  id: title, cycle: null, kind: null, title, description: '', reason: '', competency: null, target_stage: null,
  items: [], owner, success_measure: '', due, status: 'planned', overdue: false, version: 1, created_at: 0,
  updated_at: 0, history: [],
});

describe('plan helpers', () => {
  it('sorts by due date with undated actions last', () => {
    const sorted = byDueDate([action('c', null), action('b', '2026-07-01'), action('a', '2026-01-31'), action('d', null)]);
    expect(sorted.map((a) => a.title)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('lists each owner once, ignoring blanks', () => {
    expect(owners([action('a', null, 'Sam'), action('b', null, ' '), action('c', null, 'Ann'), action('d', null, 'Sam')])).toEqual(['Ann', 'Sam']);
  });
  it('shows a due date as the calendar day it names', () => {
    expect(dueDate('2026-01-31')).toContain('31');
    expect(dueDate(null)).toBe('No due date');
  });
});

describe('actionsSummary', () => {
  it('counts every action on the board, dropped ones said apart', () => {
    const s = actionsSummary({ planned: 2, in_progress: 1, done: 2, dropped: 1 });
    expect(s.headline).toBe('2 of 5 done');
    expect(s.detail).toBe('6 actions on the plan: 2 done, 1 in progress, 2 planned; 1 dropped, not counted.');
  });
  it('says so in words when there is no action', () => {
    const s = actionsSummary({ planned: 0, in_progress: 0, done: 0, dropped: 0 });
    expect(s.headline).toBe('No actions yet');
    expect(s.headline).not.toMatch(/0 of 0/);
  });
});
