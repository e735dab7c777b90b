// Cursor pagination as Snyk's REST API does it: `starting_after` / `ending_before` are opaque cursors
// (`v1.<base64>` like Snyk's examples), `limit` the page size, and `links` are paths relative to the
// /rest base that repeat `version` and `limit`. A cursor names a position in the (created_at, id)
// order, not an offset, so pages stay stable while accounts are inserted or deleted.

export interface SortKey {
  created_at: string;
  id: string;
}

export function compareKeys(a: SortKey, b: SortKey): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function encodeCursor(k: SortKey): string {
  return 'v1.' + Buffer.from(JSON.stringify({ c: k.created_at, i: k.id })).toString('base64url');
}

export function decodeCursor(cursor: string): SortKey | undefined {
  if (!cursor.startsWith('v1.')) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor.slice(3), 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && typeof (v as { c?: unknown }).c === 'string' && typeof (v as { i?: unknown }).i === 'string') {
      return { created_at: (v as { c: string }).c, id: (v as { i: string }).i };
    }
  } catch {
    /* not JSON: fall through */
  }
  return undefined;
}

/** Binary search in a sorted array: index of the first element > `k` (upper) or >= `k` (lower). */
function bound<T extends SortKey>(items: readonly T[], k: SortKey, upper: boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeys(items[mid], k);
    if (c < 0 || (upper && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const upperBound = <T extends SortKey>(items: readonly T[], k: SortKey) => bound(items, k, true);
export const lowerBound = <T extends SortKey>(items: readonly T[], k: SortKey) => bound(items, k, false);

export interface PageRequest {
  limit: number;
  starting_after?: SortKey;
  ending_before?: SortKey;
}

export interface Page<T> {
  items: T[];
  /** there are items before the first one of this page */
  hasPrev: boolean;
  /** there are items after the last one of this page */
  hasNext: boolean;
}

/** Slices one page out of a sorted array in O(log n + limit). */
export function slicePage<T extends SortKey>(sorted: readonly T[], req: PageRequest): Page<T> {
  let start: number;
  let end: number;
  if (req.ending_before) {
    end = lowerBound(sorted, req.ending_before);
    start = Math.max(0, end - req.limit);
  } else {
    start = req.starting_after ? upperBound(sorted, req.starting_after) : 0;
    end = Math.min(sorted.length, start + req.limit);
  }
  return { items: sorted.slice(start, end), hasPrev: start > 0, hasNext: end < sorted.length };
}

export interface PageLinks {
  self: string;
  first: string;
  next?: string;
  prev?: string;
}

/**
 * Builds the links of a page. `path` is relative to the /rest base; the query carries `version`
 * and `limit` first, as Snyk's links do, then the cursor.
 */
export function pageLinks(path: string, version: string, limit: number, page: Page<SortKey>, self: { starting_after?: string; ending_before?: string }): PageLinks {
  const link = (cursor?: [string, string]) => {
    const q = new URLSearchParams({ version, limit: String(limit) });
    if (cursor) q.set(cursor[0], cursor[1]);
    return `${path}?${q.toString()}`;
  };
  const selfCursor: [string, string] | undefined = self.starting_after
    ? ['starting_after', self.starting_after]
    : self.ending_before
      ? ['ending_before', self.ending_before]
      : undefined;
  const links: PageLinks = { self: link(selfCursor), first: link() };
  const last = page.items[page.items.length - 1];
  const first = page.items[0];
  if (page.hasNext && last) links.next = link(['starting_after', encodeCursor(last)]);
  if (page.hasPrev && first) links.prev = link(['ending_before', encodeCursor(first)]);
  return links;
}
