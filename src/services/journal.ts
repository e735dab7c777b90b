// The request journal: a bounded ring of the requests served (not /__admin), newest first, for tests
// to assert on ("the client rotated the secret exactly once, with mode replace") and for a live
// view (subscribe). Secrets are redacted when a request is recorded, by the log redactor (the URL's
// query string, the body); the credential itself is never kept, only the principal it named.
// Entries are shaped as the public JSON only when read (docs/decisions/0003-journal-ring.md).
import { redactSecrets, redactUrl } from '../logging/redact.js';
import type { JournalCountQuery, JournalEntry, JournalFilter, JournalList } from '../schemas/journal.js';
import { pathOf, splitUrl } from '../snyk/http.js';
import type { Principal } from './principals.js';

/** Bodies longer than this (as JSON text) are kept as their first BODY_CAP characters. */
const BODY_CAP = 8 * 1024;
/** Request bodies are nested deeper than log lines: redact them all the way down. */
const BODY_DEPTH = 64;

/** What the journal plugin hands over for one request. */
export interface RequestFacts {
  id: string;
  /** arrival, ms since the epoch on the server clock */
  at: number;
  method: string;
  /** the request URL (path and query string) */
  url: string;
  /** null: no answer was sent (a reset fault) */
  status: number | null;
  durationMs: number;
  principal: Principal | undefined;
  body: unknown;
  /** the body's text as received, when the parser kept it: recorded as is when nothing in it is secret */
  rawBody: string | undefined;
  fault: string | undefined;
  switched: string | undefined;
}

export type JournalListener = (entry: JournalEntry) => void;

/** The journal as the in-process API offers it (`server.requests`). */
export interface RequestJournal {
  list(filter?: JournalFilter): JournalList;
  count(filter?: JournalCountQuery): number;
  clear(): void;
  subscribe(listener: JournalListener): () => void;
}

/** One request as recorded: the public entry is shaped from it when read. */
interface Recorded {
  id: string;
  at: number;
  method: string;
  /** the URL, secret query parameters redacted: path and query are split from it when read */
  url: string;
  status: number | null;
  durationMs: number;
  /** who it acted as (not the principal object: it holds the record) */
  principal: { type: string; id: string } | null;
  /** the redacted body as JSON text, capped at BODY_CAP */
  body: string | undefined;
  truncated: boolean;
  fault: string | undefined;
  switched: string | undefined;
}

export class Journal implements RequestJournal {
  /** a ring: `next` is the slot the next entry goes to */
  private readonly ring: (Recorded | undefined)[];
  private next = 0;
  private size = 0;
  /** told of every entry recorded (the dashboard's feed subscribes while a stream is open) */
  private readonly listeners = new Set<JournalListener>();

  constructor(readonly capacity: number) {
    this.ring = new Array<Recorded | undefined>(capacity).fill(undefined);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  record(facts: RequestFacts): void {
    if (this.capacity === 0) return;
    const i = this.next;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    const rec: Recorded = {
      id: facts.id,
      at: facts.at,
      method: facts.method,
      url: redactUrl(facts.url),
      status: facts.status,
      durationMs: facts.durationMs,
      principal: facts.principal ? { type: facts.principal.type, id: facts.principal.id } : null,
      body: undefined,
      truncated: false,
      fault: facts.fault,
      switched: facts.switched,
    };
    if (facts.body !== undefined && facts.body !== null) snapshotBody(rec, facts.body, facts.rawBody);
    this.ring[i] = rec;
    if (this.listeners.size > 0) {
      // shaped once, and only when somebody listens (the dashboard's feed subscribes only while a stream is open)
      let entry: JournalEntry | undefined;
      for (const listener of this.listeners) {
        try {
          listener((entry ??= toEntry(rec)));
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

  /** How many listeners there are (the dashboard's feed subscribes only while a stream is open). */
  get listening(): number {
    return this.listeners.size;
  }

  private scan(filter: JournalCountQuery, visit: (rec: Recorded) => void): void {
    const method = filter.method?.toUpperCase();
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    for (let n = 1; n <= this.size; n++) {
      const rec = this.ring[(this.next - n + this.capacity) % this.capacity]!;
      if (method !== undefined && rec.method !== method) continue;
      if (filter.path !== undefined && !pathOf(rec.url).startsWith(filter.path)) continue;
      if (filter.status !== undefined && rec.status !== filter.status) continue;
      if (since !== undefined && rec.at < since) continue;
      visit(rec);
    }
  }
}

/**
 * The body as redacted JSON text, capped: a snapshot that later changes to the object cannot
 * touch. When redaction changes nothing, the text as received is that snapshot already.
 */
function snapshotBody(rec: Recorded, body: unknown, raw: string | undefined): void {
  // forms (OAuth) arrive as URLSearchParams: kept as an object, so client_secret is redacted by name
  const value = body instanceof URLSearchParams ? Object.fromEntries(body) : body;
  const redacted = redactSecrets(value, 0, BODY_DEPTH);
  const text = redacted === body && raw !== undefined ? raw : JSON.stringify(redacted);
  if (text === undefined) return;
  rec.truncated = text.length > BODY_CAP;
  rec.body = rec.truncated ? text.slice(0, BODY_CAP) : text;
}

/** A recorded request as the public entry. */
function toEntry(rec: Recorded): JournalEntry {
  const { body } = rec;
  const { path, query } = splitUrl(rec.url);
  return {
    id: rec.id,
    time: new Date(rec.at).toISOString(),
    method: rec.method,
    path,
    query: queryObject(query),
    status: rec.status,
    duration_ms: Math.round(rec.durationMs * 100) / 100,
    principal: rec.principal && { ...rec.principal },
    ...(body === undefined ? {} : rec.truncated ? { body, body_truncated: true as const } : { body: JSON.parse(body) as unknown }),
    ...(rec.fault ? { fault: rec.fault } : {}),
    ...(rec.switched ? { switch: rec.switched } : {}),
  };
}

/** A query string as an object; a repeated parameter becomes an array of its values. */
function queryObject(search: string): Record<string, unknown> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}
