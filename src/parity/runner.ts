// The scenario runner: sends the plan (scenarios.ts) to a base URL (the mock, Snyk, or the recording
// proxy), at most at Snyk's documented rate, waiting out a 429's retry-after. Whatever it creates
// is deleted at the end, also after a failure halfway, and a final sweep deletes every account
// whose name starts with the run's prefix.
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'undici';
import { plan } from './scenarios.js';
import { type Auth, type Scope, type Step, VERSION } from './step.js';

/** Snyk's documented limit is 1620 requests a minute per API key; the runner keeps under it. */
export const DOCUMENTED_PER_MINUTE = 1620;
/** The default rate: with the bucket's burst of a second's worth (26), at most 1586 in any minute. */
export const DEFAULT_PER_MINUTE = 1560;

export interface RunOptions {
  base: string;
  token: string;
  org: string;
  group: string;
  orgRole?: string;
  groupRole?: string;
  jwksUrl?: string;
  /** signs a client assertion for a client id (private_key_jwt token requests) */
  sign?: (clientId: string) => Promise<string>;
  dryRun?: boolean;
  /** requests per minute (default DEFAULT_PER_MINUTE, under the documented 1620); Infinity for none */
  perMinute?: number;
  prefix?: string;
  log?: (line: string) => void;
}

export interface RunResult {
  prefix: string;
  sent: number;
  skipped: number;
  /** accounts the final delete and the sweep could not delete */
  left: string[];
}

/** A token bucket: `perMinute` a minute, bursts of at most a second's worth. */
export class Bucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<unknown> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.tokens = this.capacity;
    this.last = now();
  }
  private get capacity() {
    return Math.max(1, Math.floor(this.perMinute / 60));
  }
  async take(): Promise<void> {
    if (!Number.isFinite(this.perMinute)) return;
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.perMinute) / 60_000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.sleep(Math.ceil(((1 - this.tokens) * 60_000) / this.perMinute));
    }
  }
}

/** Seconds (or an HTTP date) of a retry-after header, as milliseconds; capped at two minutes. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number {
  if (!value) return 1000;
  const s = Number(value);
  const ms = Number.isFinite(s) ? s * 1000 : Date.parse(value) - now;
  return Math.min(120_000, Math.max(0, Number.isFinite(ms) ? ms : 1000));
}

type Vars = Map<string, string>;
const TEMPLATE = /\{([a-z]+:)?([A-Za-z][\w.]*)\}/g;

function pick(body: unknown, path: string): string | undefined {
  if (path.startsWith('role:') && Array.isArray(body)) {
    const r = body.find((x) => (x as { name?: string })?.name === path.slice(5)) as { publicId?: string } | undefined;
    return r?.publicId;
  }
  let v: unknown = body;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export async function run(o: RunOptions): Promise<RunResult> {
  const log = o.log ?? ((l: string) => console.log(l));
  const prefix = o.prefix ?? `parity-${randomBytes(4).toString('hex')}`;
  const base = o.base.replace(/\/+$/, '');
  const vars: Vars = new Map(
    Object.entries({ org: o.org, group: o.group, orgRole: o.orgRole, groupRole: o.groupRole }).filter((e): e is [string, string] => e[1] !== undefined),
  );
  const bucket = new Bucket(o.perMinute ?? DEFAULT_PER_MINUTE);
  const created = new Map<string, { scope: Scope; id: string }>();
  const steps = plan({ jwksUrl: o.jwksUrl, canSign: o.sign !== undefined, prefix, now: new Date() });
  const result: RunResult = { prefix, sent: 0, skipped: 0, left: [] };

  /** Fills a template; undefined when a value it names is missing. */
  const fill = async (text: string): Promise<string | undefined> => {
    let missing = false;
    const parts: string[] = [];
    let at = 0;
    for (const m of text.matchAll(TEMPLATE)) {
      const v = vars.get(m[2]);
      if (v === undefined) missing = true;
      let out = v ?? '';
      if (m[1] === 'cursor:') {
        const params = new URL(out || '/', 'http://x').searchParams;
        out = params.get('starting_after') ?? params.get('ending_before') ?? '';
      }
      if (m[1] === 'assertion:' && v !== undefined) out = await o.sign!(v);
      if (m[1] && !out) missing = true;
      parts.push(text.slice(at, m.index), out);
      at = m.index! + m[0].length;
    }
    parts.push(text.slice(at));
    return missing ? undefined : parts.join('');
  };
  const fillDeep = async (v: unknown): Promise<unknown> => {
    if (typeof v === 'string') return fill(v).then((s) => s ?? MISSING);
    if (Array.isArray(v)) return Promise.all(v.map(fillDeep));
    if (v !== null && typeof v === 'object') return Object.fromEntries(await Promise.all(Object.entries(v).map(async ([k, x]) => [k, await fillDeep(x)])));
    return v;
  };
  const MISSING = `\u0000missing`;

  const authHeader = async (auth: Auth = 'user'): Promise<string | undefined | null> => {
    if (auth === 'none') return null;
    if (auth === 'user') return `token ${o.token}`;
    if (auth === 'bad') return `token ${randomUUID()}`;
    if (auth === 'malformed') return 'Basic bm90OmFwcGxpY2FibGU=';
    const v = await fill(auth.value);
    return v === undefined ? undefined : `${auth.scheme} ${v}`;
  };

  async function send(method: string, path: string, query: URLSearchParams, headers: Record<string, string>, body?: string) {
    for (let attempt = 0; ; attempt++) {
      await bucket.take();
      result.sent++;
      const res = await request(`${base}${path}${query.size ? `?${query}` : ''}`, {
        method: method as 'GET',
        headers,
        body,
        headersTimeout: 60_000,
        bodyTimeout: 60_000,
      });
      const text = await res.body.text();
      if (res.statusCode === 429 && attempt < 5) {
        const wait = retryAfterMs(res.headers['retry-after'] as string | undefined);
        log(`     429: waiting ${Math.round(wait / 1000)} s (retry-after)`);
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json };
    }
  }

  async function step(s: Step): Promise<void> {
    const path = await fill(s.path);
    const query = new URLSearchParams();
    // `version` is a /rest parameter: /oauth2 and /v1 have none
    const q = { ...(s.path.startsWith('/rest/') ? { version: VERSION } : {}), ...s.query };
    for (const [k, v] of Object.entries(q)) if (v !== null) query.set(k, (await fill(v)) ?? MISSING);
    const auth = await authHeader(s.auth);
    const headers: Record<string, string> = { accept: 'application/vnd.api+json' };
    if (auth) headers.authorization = auth;
    let body: string | undefined;
    if (s.json !== undefined) body = JSON.stringify(await fillDeep(s.json));
    if (s.form !== undefined) body = new URLSearchParams((await fillDeep(s.form)) as Record<string, string>).toString();
    if (s.raw !== undefined) body = await fill(s.raw);
    if (body !== undefined) headers['content-type'] = s.contentType ?? (s.form ? 'application/x-www-form-urlencoded' : 'application/vnd.api+json');
    if (path === undefined || auth === undefined || body?.includes(MISSING) || query.toString().includes(encodeURIComponent(MISSING))) {
      result.skipped++;
      log(`  skip    ${s.method} ${s.path}  ${s.label} (a value it needs is missing)`);
      return;
    }
    const res = await send(s.method, path, query, headers, body);
    log(`  ${String(res.status).padEnd(6)}  ${s.method} ${path}  ${s.label}`);
    const id = pick(res.json, 'data.id');
    if (s.creates && res.status === 201 && id) {
      vars.set(s.creates.as, id);
      created.set(s.creates.as, { scope: s.creates.scope, id });
    }
    if (s.deletes && res.status < 300) created.delete(s.deletes);
    for (const [name, p] of Object.entries(s.save ?? {})) {
      const v = pick(res.json, p);
      if (v !== undefined && !(p.startsWith('role:') && vars.has(name))) vars.set(name, v);
    }
  }

  if (o.dryRun) {
    log(`plan (dry run, nothing sent): prefix ${prefix}, ${steps.length} steps against ${base}`);
    for (const s of steps) log(`  ${s.method.padEnd(6)} ${s.path}${s.query ? ` ${JSON.stringify(s.query)}` : ''}  ${s.label}`);
    log('  then: delete what is left of what it created, and sweep accounts named with the prefix');
    return result;
  }
  log(`prefix ${prefix}: ${steps.length} steps against ${base}`);
  try {
    for (const s of steps) await step(s);
  } finally {
    await cleanUp();
  }
  return result;

  async function cleanUp() {
    const ownerPath = (scope: Scope) => (scope === 'org' ? `/rest/orgs/${o.org}` : `/rest/groups/${o.group}`);
    const del = async (scope: Scope, id: string) => {
      const r = await send('DELETE', `${ownerPath(scope)}/service_accounts/${id}`, new URLSearchParams({ version: VERSION }), {
        authorization: `token ${o.token}`,
      }).catch(() => ({ status: 0 }));
      log(`  ${String(r.status).padEnd(6)}  DELETE ${ownerPath(scope)}/service_accounts/${id}  clean-up`);
      return r.status === 204 || r.status === 404;
    };
    for (const { scope, id } of created.values()) if (!(await del(scope, id))) result.left.push(id);
    // the sweep: every account named with the prefix, page by page
    for (const scope of ['org', 'group'] as Scope[]) {
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const q = new URLSearchParams({ version: VERSION, limit: '100', ...(cursor ? { starting_after: cursor } : {}) });
        const r = await send('GET', `${ownerPath(scope)}/service_accounts`, q, { authorization: `token ${o.token}` }).catch(() => undefined);
        const data = (r?.json as { data?: { id: string; attributes?: { name?: string; level?: string } }[] })?.data;
        if (!r || r.status !== 200 || !Array.isArray(data)) break;
        for (const sa of data) {
          const mine =
            sa.attributes?.name?.startsWith(prefix) && (sa.attributes.level ?? (scope === 'org' ? 'Org' : 'Group')) === (scope === 'org' ? 'Org' : 'Group');
          if (mine && !(await del(scope, sa.id))) result.left.push(sa.id);
        }
        const next = pick(r.json, 'links.next');
        cursor = next ? new URL(next, 'http://x').searchParams.get('starting_after') : null;
        if (!cursor) break;
      }
    }
  }
}
