// Every call the page makes. Admin calls carry the admin secret, REST calls the API token the
// presenter typed; both live in sessionStorage (this tab only, gone when it closes), never in a URL.
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { Overview, OverviewAccount } from '../src/schemas/overview.js';
import type { CreateAttributes, SingleResponse } from '../src/schemas/service-account.js';
import type { HubEvent } from '../src/services/events.js';
import type { ClockState } from '../src/schemas/clock.js';
import type { FaultCreated, FaultList, FaultRule, FaultState } from '../src/schemas/faults.js';
import type { JournalList } from '../src/schemas/journal.js';
import type { RateLimitBody, RateLimitState } from '../src/schemas/rate-limit.js';
import type { SwitchesBody, SwitchesState } from '../src/schemas/switches.js';
import type { Level } from '../src/snyk/permissions.js';

export type { Overview, HubEvent, SingleResponse, CreateAttributes, ClockState, FaultList, FaultRule, FaultState, RateLimitState, SwitchesState, Level };
export type Account = OverviewAccount;

/** The REST version the page's actions ask for. */
const REST_VERSION = '2024-10-15';

/** A value kept in this tab's sessionStorage ('' when unset). */
const stored = (key: string) => ({
  get: (): string => sessionStorage.getItem(key) ?? '',
  set: (value: string): void => (value ? sessionStorage.setItem(key, value) : sessionStorage.removeItem(key)),
});

export const session = { adminSecret: stored('snyk-mock.admin-secret'), token: stored('snyk-mock.rest-token') };

/** A failed call: the HTTP status and the ErrorDocument's first detail. */
export class CallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function failure(res: Response): Promise<CallError> {
  let detail = `${res.status} ${res.statusText}`;
  try {
    const doc = (await res.json()) as { errors?: { detail?: string }[] };
    if (doc.errors?.[0]?.detail) detail = doc.errors[0].detail;
  } catch {
    // not JSON: the status line says enough
  }
  return new CallError(res.status, detail);
}

const adminHeaders = (): Record<string, string> => (session.adminSecret.get() ? { authorization: `Bearer ${session.adminSecret.get()}` } : {});

async function admin<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(`/__admin/${path}`, { ...init, headers: { ...adminHeaders(), ...init.headers } });
  if (!res.ok) throw await failure(res);
  // 204 (a removal): no body
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const post = (body: object): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const DELETE: RequestInit = { method: 'DELETE' };

export interface OverviewParams {
  owner?: { level: Level; id: string };
  offset?: number;
  usersOffset?: number;
}

export function fetchOverview(p: OverviewParams, signal?: AbortSignal): Promise<Overview> {
  const q = new URLSearchParams();
  if (p.owner) q.set(p.owner.level === 'Org' ? 'org_id' : 'group_id', p.owner.id);
  if (p.offset) q.set('offset', String(p.offset));
  if (p.usersOffset) q.set('users_offset', String(p.usersOffset));
  const qs = q.toString();
  return admin<Overview>(`overview${qs ? `?${qs}` : ''}`, { signal });
}

export const resetToSeed = () => admin<unknown>('reset', { method: 'POST' });

/** The demo user's API token (documented and fixed; null without a demo user): the one-click "Use the demo token". */
export const fetchDemoToken = () => admin<{ token: string | null }>('demo-token').then((r) => r.token);

// ---- the test controls (the same admin routes a test suite uses)

export const requests = {
  list: (limit: number) => admin<JournalList>(`requests?limit=${limit}`),
  clear: () => admin<void>('requests', DELETE),
};

export const clock = {
  get: () => admin<ClockState>('clock'),
  set: (now: string) => admin<ClockState>('clock', post({ now })),
  advance: (advance: string) => admin<ClockState>('clock', post({ advance })),
  real: () => admin<ClockState>('clock', DELETE),
};

export const faults = {
  list: () => admin<FaultList>('faults'),
  add: (rule: FaultRule) => admin<FaultCreated>('faults', post(rule)),
  remove: (id: string) => admin<void>(`faults/${encodeURIComponent(id)}`, DELETE),
  clear: () => admin<void>('faults', DELETE),
};

export const rateLimit = {
  get: () => admin<RateLimitState>('rate-limit'),
  set: (body: RateLimitBody) => admin<RateLimitState>('rate-limit', post(body)),
};

export const switches = {
  get: () => admin<SwitchesState>('switches'),
  set: (body: SwitchesBody) => admin<SwitchesState>('switches', post(body)),
};

// ---- the REST API, as a client would call it

const ownerPath = (level: Level, ownerId: string) => `/rest/${level === 'Org' ? 'orgs' : 'groups'}/${ownerId}/service_accounts`;

async function rest(path: string, init: RequestInit = {}): Promise<Response> {
  if (!session.token.get()) throw new CallError(401, 'Enter an API token first (the demo token is in the README).');
  const res = await fetch(`${path}?version=${REST_VERSION}`, {
    ...init,
    headers: { authorization: `token ${session.token.get()}`, ...(init.body ? { 'content-type': 'application/vnd.api+json' } : {}), ...init.headers },
  });
  if (!res.ok) throw await failure(res);
  return res;
}

export async function createAccount(level: Level, ownerId: string, attributes: CreateAttributes): Promise<SingleResponse> {
  const res = await rest(ownerPath(level, ownerId), { method: 'POST', body: JSON.stringify({ data: { type: 'service_account', attributes } }) });
  return (await res.json()) as SingleResponse;
}

export async function rotateSecret(level: Level, ownerId: string, id: string): Promise<SingleResponse> {
  const res = await rest(`${ownerPath(level, ownerId)}/${id}/secrets`, {
    method: 'POST',
    body: JSON.stringify({ data: { type: 'service_account', attributes: { mode: 'replace' } } }),
  });
  return (await res.json()) as SingleResponse;
}

export async function deleteAccount(level: Level, ownerId: string, id: string): Promise<void> {
  await rest(`${ownerPath(level, ownerId)}/${id}`, { method: 'DELETE' });
}

// ---- the event stream

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unauthorized';

/**
 * Reads GET /__admin/events with a streamed fetch (EventSource cannot send the admin secret) until
 * `signal` aborts, reconnecting after the server's `retry` delay when the stream ends or fails.
 */
export async function streamEvents(onEvent: (e: HubEvent) => void, onState: (s: StreamState) => void, signal: AbortSignal): Promise<void> {
  let retry = 2000;
  while (!signal.aborted) {
    try {
      const res = await fetch('/__admin/events', { headers: adminHeaders(), signal, cache: 'no-store' });
      if (res.status === 401) {
        onState('unauthorized');
        return;
      }
      if (!res.ok || !res.body) throw await failure(res);
      onState('live');
      const messages = res.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream({ onRetry: (ms) => (retry = ms) }));
      // a reader, not `for await`: Safari cannot iterate a ReadableStream
      const reader = messages.getReader();
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        const m = r.value;
        if (m.event) onEvent({ id: Number(m.id), type: m.event, data: JSON.parse(m.data) } as HubEvent);
      }
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof CallError && err.status === 401) {
        onState('unauthorized');
        return;
      }
    }
    if (signal.aborted) return;
    onState('reconnecting');
    await new Promise((resolve) => setTimeout(resolve, retry));
  }
}
