// What the plan pages share: status names and order, and how actions sort.
import type { ActionStatus, PlannedAction } from './api';
import { compareText, i18n, t } from './i18n.svelte';

export const STATUSES: ActionStatus[] = ['planned', 'in_progress', 'done', 'dropped'];

export const statusName = (status: ActionStatus) =>
  ({
    planned: t('setup.plan.status.planned'),
    in_progress: t('setup.plan.status.in_progress'),
    done: t('setup.plan.status.done'),
    dropped: t('setup.plan.status.dropped'),
  })[status];

// "2026-06-30" -> "30 Jun 2026" in the reader's locale (the date itself, not a moment in a time zone).
export const dueDate = (due: string | null | undefined) => {
  if (!due) return t('setup.plan.noDueDate');
  const [y, m, d] = due.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(i18n.lang, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
};

// By due date, earliest first; actions without one last, then by title.
export function byDueDate(actions: PlannedAction[]): PlannedAction[] {
  return [...actions].sort((a, b) => {
    if (a.due !== b.due) {
      if (!a.due) return 1;
      if (!b.due) return -1;
      return a.due < b.due ? -1 : 1;
    }
    return compareText(a.title, b.title);
  });
}

// The distinct owners, for the filter.
export const owners = (actions: PlannedAction[]) =>
  [...new Set(actions.map((a) => a.owner.trim()).filter(Boolean))].sort(compareText);

// What the progress page says of the plan, counting what the board shows:
// every action, with those dropped said apart (they leave the rate). No
// action: a sentence, not "0 of 0".
export function actionsSummary(a: { planned: number; in_progress: number; done: number; dropped: number }): {
  headline: string;
  detail: string;
} {
  const total = a.planned + a.in_progress + a.done + a.dropped;
  if (total === 0) return { headline: t('setup.plan.summary.none'), detail: t('setup.plan.summary.noneDetail') };
  const kept = total - a.dropped;
  const counts = { total, done: a.done, in_progress: a.in_progress, planned: a.planned, dropped: a.dropped };
  return {
    headline: kept ? t('setup.plan.summary.headline', { done: a.done, kept }) : t('setup.plan.summary.allDropped'),
    detail: a.dropped ? t('setup.plan.summary.detailDropped', counts) : t('setup.plan.summary.detail', counts),
  };
}

// What the calendar file (.ics) leaves off the calendar: actions without a
// due date are tasks only there (the server counts them the same way, an
// invalid date as none). Empty when every action has a date.
export function undatedNote(actions: PlannedAction[]): string {
  const undated = actions.filter((a) => !a.due).length;
  if (undated === 0) return '';
  return t('setup.plan.undatedNote', { undated });
}
