// Cursor pagination as Snyk's REST API does it: `starting_after` / `ending_before` are opaque cursors
// (`v1.<base64>` like Snyk's examples), `limit` the page size, and `links` are paths relative to the
// /rest base that repeat `version`, `limit` and the list's filters. A cursor names a position in the
// list's order (a sort key, then the id), not an offset, so pages stay stable while items are
// inserted or deleted. Each list picks its order: service accounts by creation, orgs by name.
import { badRequest } from './errors.js';

/** A place in a list's order: the item's sort key, then its id (unique, so the order is total). */
export interface Position {
  key: string;
  id: string;
}

function comparePositions(a: Position, b: Position): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The order of one kind of list: how an item's sort key is read from it. */
export class Ordering<K extends { id: string }> {
  constructor(private readonly sortKey: (item: K) => string) {}

  position(item: K): Position {
    return { key: this.sortKey(item), id: item.id };
  }

  /** For Array.prototype.sort. */
  readonly compare = (a: K, b: K): number => comparePositions(this.position(a), this.position(b));

  /** Binary search in a sorted array: index of the first item after `p` (upper) or at/after it. */
  private bound(items: readonly K[], p: Position, upper: boolean): number {
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = comparePositions(this.position(items[mid]), p);
      if (c < 0 || (upper && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  upperBound(items: readonly K[], p: Position): number {
    return this.bound(items, p, true);
  }

  lowerBound(items: readonly K[], p: Position): number {
    return this.bound(items, p, false);
  }

  /** Slices one page out of a sorted array in O(log n + limit). */
  slice<T extends K>(sorted: readonly T[], req: PageRequest): Page<T> {
    let start: number;
    let end: number;
    if (req.ending_before) {
      end = this.lowerBound(sorted, req.ending_before);
      start = Math.max(0, end - req.limit);
    } else {
      start = req.starting_after ? this.upperBound(sorted, req.starting_after) : 0;
      end = Math.min(sorted.length, start + req.limit);
    }
    return { items: sorted.slice(start, end), hasPrev: start > 0, hasNext: end < sorted.length };
  }
}

/** Service accounts: oldest first. */
export const BY_CREATION = new Ordering<{ id: string; created_at: string }>((x) => x.created_at);
/** Orgs and groups: alphabetical by name, case-insensitively ("in alphabetical order of their name"). */
export const BY_NAME = new Ordering<{ id: string; name: string }>((x) => x.name.toLowerCase());

export function encodeCursor(p: Position): string {
  return 'v1.' + Buffer.from(JSON.stringify({ c: p.key, i: p.id })).toString('base64url');
}

export function decodeCursor(cursor: string): Position | undefined {
  if (!cursor.startsWith('v1.')) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor.slice(3), 'base64url').toString('utf8')) as unknown;
    if (v && typeof v === 'object' && typeof (v as { c?: unknown }).c === 'string' && typeof (v as { i?: unknown }).i === 'string') {
      return { key: (v as { c: string }).c, id: (v as { i: string }).i };
    }
  } catch {
    /* not JSON: fall through */
  }
  return undefined;
}

export interface PageRequest {
  limit: number;
  starting_after?: Position;
  ending_before?: Position;
}

export interface Page<T> {
  items: T[];
  /** there are items before the first one of this page */
  hasPrev: boolean;
  /** there are items after the last one of this page */
  hasNext: boolean;
}

export interface PageLinks {
  self: string;
  first: string;
  next?: string;
  prev?: string;
}

/** What a link repeats: `version` and `limit` first, as Snyk's links do, then the list's filters. */
export interface LinkQuery {
  /** the collection's path, relative to the /rest base */
  path: string;
  version: string;
  limit: number;
  filters?: Record<string, string | readonly string[] | boolean | undefined>;
}

/** Builds the links of a page; `self` repeats the cursor the page was asked for with. */
function pageLinks<K extends { id: string }>(
  q: LinkQuery,
  ordering: Ordering<K>,
  page: Page<K>,
  self: { starting_after?: string; ending_before?: string },
): PageLinks {
  const link = (cursor?: [string, string]) => {
    const params = new URLSearchParams({ version: q.version, limit: String(q.limit) });
    for (const [name, value] of Object.entries(q.filters ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
    }
    if (cursor) params.set(cursor[0], cursor[1]);
    return `${q.path}?${params.toString()}`;
  };
  const selfCursor: [string, string] | undefined = self.starting_after
    ? ['starting_after', self.starting_after]
    : self.ending_before
      ? ['ending_before', self.ending_before]
      : undefined;
  const links: PageLinks = { self: link(selfCursor), first: link() };
  const last = page.items[page.items.length - 1];
  const first = page.items[0];
  if (page.hasNext && last) links.next = link(['starting_after', encodeCursor(ordering.position(last))]);
  if (page.hasPrev && first) links.prev = link(['ending_before', encodeCursor(ordering.position(first))]);
  return links;
}

/** The pagination members of a list's query string, as the spec declares them. */
export interface PageQuery {
  limit: number;
  starting_after?: string;
  ending_before?: string;
}

/**
 * One page of a sorted list and its links: the one implementation every list operation uses.
 * Bad cursors, or both cursors at once, are 400s naming the parameter.
 */
export function listPage<K extends { id: string }, T extends K>(
  sorted: readonly T[],
  ordering: Ordering<K>,
  q: PageQuery,
  link: Omit<LinkQuery, 'limit'>,
): { items: T[]; links: PageLinks } {
  if (q.starting_after !== undefined && q.ending_before !== undefined) {
    throw badRequest('starting_after and ending_before cannot be used together.', { parameter: 'ending_before' });
  }
  const cursor = (name: 'starting_after' | 'ending_before') => {
    const raw = q[name];
    if (raw === undefined) return undefined;
    const p = decodeCursor(raw);
    if (!p) throw badRequest(`${name} is not a cursor returned by this API.`, { parameter: name });
    return p;
  };
  const page = ordering.slice(sorted, { limit: q.limit, starting_after: cursor('starting_after'), ending_before: cursor('ending_before') });
  return { items: page.items, links: pageLinks({ ...link, limit: q.limit }, ordering, page, q) };
}
