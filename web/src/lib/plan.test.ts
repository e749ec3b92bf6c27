import { afterEach, describe, expect, it } from 'vitest';
import { actionsSummary, byDueDate, dueDate, owners, statusName, undatedNote } from './plan';
import { setLang } from './i18n.svelte';
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
  it('says how many actions the calendar file leaves off the calendar', () => {
    expect(undatedNote([action('a', '2026-07-01')])).toBe('');
    expect(undatedNote([])).toBe('');
    expect(undatedNote([action('a', null), action('b', '2026-07-01')])).toBe(
      '1 action has no due date: it is in the calendar file as a task only, not on the calendar.',
    );
    expect(undatedNote([action('a', null), action('b', null)])).toMatch(/^2 actions have no due date/);
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

describe('plan helpers in German', () => {
  afterEach(() => setLang('en'));

  it('says the summary and the calendar note in German, with German plurals', () => {
    setLang('de');
    const s = actionsSummary({ planned: 2, in_progress: 1, done: 2, dropped: 1 });
    expect(s.headline).toBe('2 von 5 erledigt');
    expect(s.detail).toBe('6 Maßnahmen im Plan: 2 erledigt, 1 in Arbeit, 2 geplant; 1 verworfen, nicht mitgezählt.');
    expect(actionsSummary({ planned: 1, in_progress: 0, done: 0, dropped: 0 }).detail).toMatch(/^1 Maßnahme im Plan/);
    expect(undatedNote([action('a', null)])).toMatch(/^1 Maßnahme hat kein Fälligkeitsdatum/);
    expect(dueDate(null)).toBe('Kein Fälligkeitsdatum');
    expect(dueDate('2026-03-05')).toBe('5. März 2026');
    expect(statusName('in_progress')).toBe('In Arbeit');
  });

  it('sorts owners and titles with umlauts where German readers look for them', () => {
    setLang('de');
    expect(owners([action('a', null, 'Zoe'), action('b', null, 'Özlem'), action('c', null, 'Oliver'), action('d', null, 'Paul')])).toEqual([
      'Oliver',
      'Özlem',
      'Paul',
      'Zoe',
    ]);
    expect(byDueDate([action('Zahlen', null), action('Ärger', null), action('Bericht', null)]).map((a) => a.title)).toEqual([
      'Ärger',
      'Bericht',
      'Zahlen',
    ]);
  });
});
