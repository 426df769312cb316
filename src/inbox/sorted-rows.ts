// A tab's rows are kept sorted the way the engine pages them: newest activity first, then id
// descending. Changes return a new array (the state is immutable) and leave every row object
// that did not change as it was.

/** What a row is sorted by. */
export interface RowKey {
  id: string;
  lastActivityAt: string;
}

/** Negative when `a` comes first (is newer) in a tab. */
export function compareRows(a: RowKey, b: RowKey): number {
  if (a.lastActivityAt !== b.lastActivityAt) return a.lastActivityAt > b.lastActivityAt ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** Index of the first row that does not come before `key`. */
function lowerBound(rows: readonly RowKey[], key: RowKey): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRows(rows[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where the row `key` (as it was sorted) sits, or -1. */
export function indexOfRow(rows: readonly RowKey[], key: RowKey): number {
  const i = lowerBound(rows, key);
  if (rows[i]?.id === key.id) return i;
  // The row was stored under another key (should not happen): fall back to a scan.
  return rows.findIndex((r) => r.id === key.id);
}

/**
 * `rows` with `previous` taken out (when given and present) and `next` put in its place by
 * sort order (when given). Returns `rows` itself when nothing changes.
 */
export function replaceRow<T extends RowKey>(rows: readonly T[], previous: RowKey | null, next: T | null): readonly T[] {
  const at = previous ? indexOfRow(rows, previous) : -1;
  if (at < 0 && next === null) return rows;
  if (at >= 0 && next !== null && compareRows(previous!, next) === 0) {
    // Same place: swap the object only.
    if (rows[at] === next) return rows;
    const copy = rows.slice();
    copy[at] = next;
    return copy;
  }
  const copy = rows.slice();
  if (at >= 0) copy.splice(at, 1);
  if (next !== null) copy.splice(lowerBound(copy, next), 0, next);
  return copy;
}
