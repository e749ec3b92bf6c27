// Links created by one page for another to show: repeating a cycle makes
// the next cycle's links, whose tokens exist only in that response, and the
// next cycle's page shows them once. Kept in memory only.
import type { CreatedInvitation } from './api';

let pending: { cycle: string; links: CreatedInvitation[] } | null = null;

export function handOverLinks(cycle: string, links: CreatedInvitation[]) {
  pending = { cycle, links };
}

// The links handed over for `cycle`, once; [] when none.
export function takeLinks(cycle: string): CreatedInvitation[] {
  if (pending?.cycle !== cycle) return [];
  const { links } = pending;
  pending = null;
  return links;
}
