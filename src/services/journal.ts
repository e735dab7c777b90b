// The request journal: a bounded ring of the requests served (not /__admin), newest first, for tests
// to assert on ("the client rotated the secret exactly once, with mode replace") and for a live
// view (subscribe). Secrets are redacted when a request is recorded, by the log redactor (the URL's
// query string, the body); the credential itself is never kept, only the principal it named.
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

const NO_STATUS = -1;

/**
 * A ring of the last `capacity` requests, held as columns (typed arrays for the numbers), one slot
 * per request: recording writes in place and keeps no object of its own, and the public entry is
 * shaped only when read (docs/decisions/0003-journal-ring.md).
 */
export class Journal implements RequestJournal {
  private readonly ids: (string | undefined)[];
  private readonly ats: Float64Array;
  private readonly methods: (string | undefined)[];
  /** the URL, secret query parameters redacted: path and query are split from it when read */
  private readonly urls: (string | undefined)[];
  private readonly statuses: Int16Array;
  private readonly durations: Float64Array;
  /** who it acted as (not the principal object: it holds the record) */
  private readonly principalTypes: (string | undefined)[];
  private readonly principalIds: (string | undefined)[];
  /** the redacted body as JSON text, capped at BODY_CAP */
  private readonly bodies: (string | undefined)[];
  private readonly truncated: Uint8Array;
  private readonly faults: (string | undefined)[];
  private readonly switches: (string | undefined)[];
  /** the slot the next entry goes to */
  private next = 0;
  private size = 0;
  /** told of every entry recorded (the dashboard's feed subscribes while a stream is open) */
  private readonly listeners = new Set<JournalListener>();

  constructor(readonly capacity: number) {
    const column = () => new Array<string | undefined>(capacity).fill(undefined);
    this.ids = column();
    this.methods = column();
    this.urls = column();
    this.principalTypes = column();
    this.principalIds = column();
    this.bodies = column();
    this.faults = column();
    this.switches = column();
    this.ats = new Float64Array(capacity);
    this.statuses = new Int16Array(capacity);
    this.durations = new Float64Array(capacity);
    this.truncated = new Uint8Array(capacity);
  }

  get enabled(): boolean {
    return this.capacity > 0;
  }

  record(facts: RequestFacts): void {
    if (this.capacity === 0) return;
    const i = this.next;
    this.next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    this.ids[i] = facts.id;
    this.ats[i] = facts.at;
    this.methods[i] = facts.method;
    this.urls[i] = redactUrl(facts.url);
    this.statuses[i] = facts.status ?? NO_STATUS;
    this.durations[i] = facts.durationMs;
    this.principalTypes[i] = facts.principal?.type;
    this.principalIds[i] = facts.principal?.id;
    this.faults[i] = facts.fault;
    this.switches[i] = facts.switched;
    this.bodies[i] = undefined;
    this.truncated[i] = 0;
    if (facts.body !== undefined && facts.body !== null) this.snapshotBody(i, facts.body, facts.rawBody);
    if (this.listeners.size > 0) {
      // shaped once, and only when somebody listens
      let entry: JournalEntry | undefined;
      for (const listener of this.listeners) {
        try {
          listener((entry ??= this.entry(i)));
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
    this.scan(filter, (i) => {
      total++;
      if (filter.limit === undefined || requests.length < filter.limit) requests.push(this.entry(i));
    });
    return { requests, total };
  }

  count(filter: JournalCountQuery = {}): number {
    let n = 0;
    this.scan(filter, () => n++);
    return n;
  }

  clear(): void {
    for (const column of [this.ids, this.methods, this.urls, this.principalTypes, this.principalIds, this.bodies, this.faults, this.switches])
      column.fill(undefined);
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

  private scan(filter: JournalCountQuery, visit: (slot: number) => void): void {
    const method = filter.method?.toUpperCase();
    const since = filter.since === undefined ? undefined : Date.parse(filter.since);
    for (let n = 1; n <= this.size; n++) {
      const i = (this.next - n + this.capacity) % this.capacity;
      if (method !== undefined && this.methods[i] !== method) continue;
      if (filter.path !== undefined && !pathOf(this.urls[i]!).startsWith(filter.path)) continue;
      if (filter.status !== undefined && this.statuses[i] !== filter.status) continue;
      if (since !== undefined && this.ats[i] < since) continue;
      visit(i);
    }
  }

  /**
   * The body as redacted JSON text, capped: a snapshot that later changes to the object cannot
   * touch. When redaction changes nothing, the text as received is that snapshot already.
   */
  private snapshotBody(i: number, body: unknown, raw: string | undefined): void {
    // forms (OAuth) arrive as URLSearchParams: kept as an object, so client_secret is redacted by name
    const value = body instanceof URLSearchParams ? Object.fromEntries(body) : body;
    const redacted = redactSecrets(value, 0, BODY_DEPTH);
    const text = redacted === body && raw !== undefined ? raw : JSON.stringify(redacted);
    if (text === undefined) return;
    const cut = text.length > BODY_CAP;
    this.truncated[i] = cut ? 1 : 0;
    this.bodies[i] = cut ? text.slice(0, BODY_CAP) : text;
  }

  /** Slot i as the public entry. */
  private entry(i: number): JournalEntry {
    const { path, query } = splitUrl(this.urls[i]!);
    const status = this.statuses[i];
    const body = this.bodies[i];
    const principalId = this.principalIds[i];
    return {
      id: this.ids[i]!,
      time: new Date(this.ats[i]).toISOString(),
      method: this.methods[i]!,
      path,
      query: queryObject(query),
      status: status === NO_STATUS ? null : status,
      duration_ms: Math.round(this.durations[i] * 100) / 100,
      principal: principalId === undefined ? null : { type: this.principalTypes[i]!, id: principalId },
      ...(body === undefined ? {} : this.truncated[i] ? { body, body_truncated: true as const } : { body: JSON.parse(body) as unknown }),
      ...(this.faults[i] ? { fault: this.faults[i] } : {}),
      ...(this.switches[i] ? { switch: this.switches[i] } : {}),
    };
  }
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
