// What the plan pages share: status names and order, and how actions sort.
import type { ActionStatus, PlannedAction } from './api';

export const STATUSES: ActionStatus[] = ['planned', 'in_progress', 'done', 'dropped'];

export const statusName = (status: ActionStatus) =>
  ({ planned: 'Planned', in_progress: 'In progress', done: 'Done', dropped: 'Dropped' })[status];

// "2026-06-30" -> "30 Jun 2026" in the reader's locale (the date itself, not a moment in a time zone).
export const dueDate = (due: string | null | undefined) => {
  if (!due) return 'No due date';
  const [y, m, d] = due.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, {
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
    return a.title.localeCompare(b.title);
  });
}

// The distinct owners, for the filter.
export const owners = (actions: PlannedAction[]) =>
  [...new Set(actions.map((a) => a.owner.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));

// What the progress page says of the plan, counting what the board shows:
// every action, with those dropped said apart (they leave the rate). No
// action: a sentence, not "0 of 0".
export function actionsSummary(a: { planned: number; in_progress: number; done: number; dropped: number }): {
  headline: string;
  detail: string;
} {
  const total = a.planned + a.in_progress + a.done + a.dropped;
  if (total === 0) return { headline: 'No actions yet', detail: 'Draft a plan from a cycle’s results, or add actions by hand.' };
  const kept = total - a.dropped;
  const parts = [`${a.done} done`, `${a.in_progress} in progress`, `${a.planned} planned`];
  const dropped = a.dropped ? `; ${a.dropped} dropped, not counted` : '';
  return {
    headline: kept ? `${a.done} of ${kept} done` : 'All dropped',
    detail: `${total} ${total === 1 ? 'action' : 'actions'} on the plan: ${parts.join(', ')}${dropped}.`,
  };
}
