// The request journal: a bounded ring of the requests served (not /__admin), newest first, for tests
// to assert on ("the client rotated the secret exactly once, with mode replace") and for a live
// view (subscribe). Recording is cheap: secrets are redacted by the log redactor when an entry is
// recorded (headers, query, body), the body is kept as its JSON text (a snapshot, capped at 8 KiB)
// and everything else is turned into the public entry only when read.
import { redactSecrets } from '../logging.js';
import type { JournalCountQuery, JournalEntry, JournalFilter, JournalList } from '../schemas/journal.js';
import type { Principal } from './principals.js';

/** Bodies longer than this (as JSON text) are kept as their first BODY_CAP characters. */
export const BODY_CAP = 8 * 1024;
/** Request bodies are nested deeper than log lines: redact them all the way down. */
const BODY_DEPTH = 64;

/** What the journal plugin hands over for one request. */
export interface RequestFacts {
  id: string;
  /** arrival, ms since the epoch on the server clock */
  at: number;
  method: string;
  path: string;
  query: unknown;
  status: number | null;
  durationMs: number;
  principal: Principal | undefined;
  headers: Record<string, unknown>;
  body: unknown;
  fault: string | undefined;
  switched: string | undefined;
}

/** A recorded request: redacted, but not yet shaped as the public entry. */
interface Recorded extends Omit<RequestFacts, 'body'> {
  bodyText: string | undefined;
  truncated: boolean;
}

export type JournalListener = (entry: JournalEntry) => void;

/** The journal as the in-process API offers it (`server.requests`). */
export interface RequestJournal {
  list(filter?: JournalFilter): JournalList;
  count(filter?: JournalCountQuery): number;
  clear(): void;
  subscribe(listener: JournalListener): () => void;
}

export class Journal implements RequestJournal {
  private readonly ring: (Recorded | undefined)[];
  /** where the next entry goes */
  private next = 0;
  private size = 0;
  private readonly listeners = new Set<JournalListener>();

  constructor(readonly capacity: number) {
    this.ring = new Array<Recorded | undefined>(capacity);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  record(facts: RequestFacts): void {
    if (this.capacity === 0) return;
    const { body, ...rest } = facts;
    const rec: Recorded = {
      ...rest,
      query: redactSecrets(facts.query),
      headers: redactSecrets(facts.headers),
      ...bodySnapshot(body),
    };
    this.ring[this.next] = rec;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
    if (this.listeners.size > 0) {
      const entry = toEntry(rec);
      for (const listener of this.listeners) {
        try {
          listener(entry);
        } catch {
          // a listener's failure is its own: the request and the other listeners go on
        }
      }
    }
  }

  /** Matching entries, newest first; `total` counts every match, `limit` cuts the list. */
  list(filter: JournalFilter = {}): JournalList {
    const requests: JournalEntry[] = [];
    let total = 0;
    this.scan(filter, (rec) => {
      total++;
      if (filter.limit === undefined || requests.length < filter.limit) requests.push(toEntry(rec));
    });
    return { requests, total };
  }

  count(filter: JournalCountQuery = {}): number {
    let n = 0;
    this.scan(filter, () => n++);
    return n;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }

  /** Calls `listener` with every entry recorded from now on; returns the function that stops it. */
  subscribe(listener: JournalListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private scan(filter: JournalCountQuery, visit: (rec: Recorded) => void): void {
    const method = filter.method?.toUpperCase();
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    for (let i = 1; i <= this.size; i++) {
      const rec = this.ring[(this.next - i + this.capacity) % this.capacity]!;
      if (method !== undefined && rec.method !== method) continue;
      if (filter.path !== undefined && !rec.path.startsWith(filter.path)) continue;
      if (filter.status !== undefined && rec.status !== filter.status) continue;
      if (since !== undefined && rec.at < since) continue;
      visit(rec);
    }
  }
}

/** The body as redacted JSON text, capped: a snapshot that later changes to the object cannot touch. */
function bodySnapshot(body: unknown): Pick<Recorded, 'bodyText' | 'truncated'> {
  if (body === undefined || body === null) return { bodyText: undefined, truncated: false };
  // forms (OAuth) arrive as URLSearchParams: keep them as an object, so client_secret is redacted by name
  const value = body instanceof URLSearchParams ? Object.fromEntries(body) : body;
  const text = JSON.stringify(redactSecrets(value, 0, BODY_DEPTH));
  if (text === undefined) return { bodyText: undefined, truncated: false };
  return text.length > BODY_CAP ? { bodyText: text.slice(0, BODY_CAP), truncated: true } : { bodyText: text, truncated: false };
}

function toEntry(rec: Recorded): JournalEntry {
  return {
    id: rec.id,
    time: new Date(rec.at).toISOString(),
    method: rec.method,
    path: rec.path,
    query: rec.query as Record<string, unknown>,
    status: rec.status,
    duration_ms: rec.durationMs,
    principal: rec.principal ? { type: rec.principal.type, id: rec.principal.id } : null,
    headers: rec.headers,
    ...(rec.bodyText === undefined ? {} : rec.truncated ? { body: rec.bodyText, body_truncated: true as const } : { body: JSON.parse(rec.bodyText) as unknown }),
    ...(rec.fault ? { fault: rec.fault } : {}),
    ...(rec.switched ? { switch: rec.switched } : {}),
  };
}
