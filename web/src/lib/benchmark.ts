// Words for benchmark figures, shared by the page and its charts.

// "ahead of 62% of peers" for a mid-rank percentile.
export function percentWord(percentile: number): string {
  return `ahead of ${Math.round(percentile)}% of peers`;
}

// "4 peers in this selection; 1 more needed (at least 5)".
export function tooFew(n: number, missing: number, minimum: number): string {
  return `${n} ${n === 1 ? 'peer' : 'peers'} in this selection; ${missing} more needed (a comparison needs at least ${minimum})`;
}
