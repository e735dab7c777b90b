// `compare`: replays a transcript against a mock (one started in-process on fixtures read from the
// transcript, or a running one at `against`, seeded through its admin API) and reports every
// difference between what the upstream answered and what the mock answers, exchange by exchange.
import { randomBytes, randomUUID } from 'node:crypto';
import { request } from 'undici';
import { startMockServer, type MockServer } from '../index.js';
import { Differ, type Found } from './diff.js';
import { IdMap } from './idmap.js';
import { isPlaceholder } from './normalise.js';
import { seedFrom } from './seed.js';
import { parseBody, serialiseBody, type Exchange, type RecordedResponse, type Transcript } from './transcript.js';

interface Difference extends Found {
  index: number;
  method: string;
  path: string;
}

interface Skipped {
  index: number;
  method: string;
  path: string;
  reason: string;
}

export interface CompareResult {
  against: string;
  exchanges: number;
  differences: Difference[];
  skipped: Skipped[];
  /** how the replay went where it could not follow the transcript (a seed it could not make) */
  notes: string[];
}

const PLACEHOLDERS = /<secret:\d+>/g;

/** A stand-in of the same form for a secret the recording brought along (a bad token of an error path). */
function standIn(form: string | undefined): string {
  if (form === 'uuid') return randomUUID();
  if (form === 'snyk-token')
    return `snyk_uat.${randomBytes(4).toString('hex')}.${randomBytes(12).toString('base64url')}.${randomBytes(12).toString('base64url')}`;
  if (form === 'jwt') return `eyJhbGciOiJIUzI1NiJ9.${Buffer.from('{"sub":"parity"}').toString('base64url')}.${randomBytes(16).toString('base64url')}`;
  return randomBytes(16).toString('hex');
}

/**
 * Before the replay: the recording's own token (a placeholder sent with a credential before any
 * response issued it, on a request the upstream accepted) is the seeded user's token; any other
 * such placeholder (the bad tokens of error paths) gets a stand-in of its form.
 */
function mapRecordingSecrets(t: Transcript, map: IdMap, token: string): void {
  const issued = new Set<string>();
  const foreign = new Set<string>();
  for (const ex of t.exchanges) {
    const auth = ex.request.headers.authorization?.replace(/^\S+\s+/, '');
    const used = JSON.stringify([ex.request.query, ex.request.body, auth]).match(PLACEHOLDERS) ?? [];
    for (const p of used) {
      if (issued.has(p)) continue;
      if (p === auth && ex.response.status < 400) map.learn(p, token);
      else foreign.add(p);
    }
    for (const p of JSON.stringify(ex.response).match(PLACEHOLDERS) ?? []) issued.add(p);
  }
  for (const p of foreign) if (!map.has(p)) map.learn(p, standIn(t.meta.secret_forms?.[p]));
}

/** Why an exchange cannot be replayed, if it cannot: a client assertion is signed with a key the transcript never holds. */
function unreplayable(ex: Exchange): string | undefined {
  if (ex.request.body.kind !== 'form') return undefined;
  const assertion = ex.request.body.value.find(([k]) => k === 'client_assertion')?.[1];
  if (assertion !== undefined && isPlaceholder(assertion)) {
    return "a client assertion is signed with the recorder's private key, which no transcript holds: it cannot be made again";
  }
  return undefined;
}

async function send(base: string, ex: Exchange, map: IdMap): Promise<RecordedResponse> {
  const req = map.request(ex.request);
  const query = new URLSearchParams(req.query).toString();
  const res = await request(`${base}${req.path}${query ? `?${query}` : ''}`, {
    method: req.method as 'GET',
    headers: req.headers,
    body: serialiseBody(req.body),
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  const text = await res.body.text();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers, body: parseBody(headers['content-type'], text) };
}

/** Seeds a running mock through its admin API (POST /__admin/seed). */
async function seedRunning(base: string, fixtures: unknown): Promise<void> {
  const res = await request(`${base}/__admin/seed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixtures) });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`seeding ${base} failed: ${res.statusCode} ${text.slice(0, 500)}`);
}

export async function compare(t: Transcript, opts: { against?: string } = {}): Promise<CompareResult> {
  const token = randomUUID();
  const seed = seedFrom(t, token);
  const notes: string[] = [];
  const map = new IdMap();
  for (const id of seed.ids) map.learn(id, id);
  mapRecordingSecrets(t, map, token);

  let mock: MockServer | undefined;
  let base: string;
  if (opts.against) {
    base = opts.against.replace(/\/+$/, '');
    await seedRunning(base, seed.fixtures);
  } else {
    // the mock's time runs from the recording's start, so expiries written then are still ahead
    const startedAt = Date.parse(t.meta.recorded_at);
    const t0 = Date.now();
    const clock = Number.isNaN(startedAt) ? undefined : { now: () => new Date(startedAt + (Date.now() - t0)) };
    try {
      mock = await startMockServer({ fixtures: seed.fixtures, clock, logLevel: 'silent' });
    } catch (err) {
      // what the upstream said about itself does not make fixtures (an upstream that is no Snyk):
      // the groups and orgs its paths name, and the user, are enough to replay
      notes.push(`the transcript's discovery reads did not make a seed (${(err as Error).message.split('\n')[0]}); seeded the called groups and orgs only`);
      const minimal = seedFrom(
        { ...t, exchanges: t.exchanges.filter((ex) => !/^\/(rest\/(self|groups|orgs)(\/[^/]+)?|v1\/.*)$/.test(ex.request.path)) },
        token,
      );
      mock = await startMockServer({ fixtures: minimal.fixtures, clock, logLevel: 'silent' });
    }
    base = mock.url;
  }
  const differences: Difference[] = [];
  const skipped: Skipped[] = [];
  try {
    for (const ex of t.exchanges) {
      const at = { index: ex.index, method: ex.request.method, path: ex.request.path };
      const reason = unreplayable(ex);
      if (reason) {
        skipped.push({ ...at, reason });
        // what that exchange issued stays unmapped; later uses of it are foreign credentials
        continue;
      }
      let got: RecordedResponse;
      try {
        got = await send(base, ex, map);
      } catch (err) {
        differences.push({ ...at, where: 'request', what: `the mock did not answer: ${(err as Error).message}` });
        continue;
      }
      for (const f of new Differ(map).response(ex.response, got)) differences.push({ ...at, ...f });
    }
  } finally {
    await mock?.close();
  }
  return { against: opts.against ?? 'an in-process mock', exchanges: t.exchanges.length, differences, skipped, notes };
}

/** One line per difference: `#12 POST /rest/orgs/…/service_accounts  $.data.id: form: upstream uuid, mock string`. */
export function formatReport(r: CompareResult): string {
  const lines = r.differences.map((d) => `#${d.index} ${d.method} ${d.path}  ${d.where}: ${d.what}`);
  for (const s of r.skipped) lines.push(`#${s.index} ${s.method} ${s.path}  skipped: ${s.reason}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(
    `${r.differences.length} difference${r.differences.length === 1 ? '' : 's'} in ${r.exchanges} exchanges (against ${r.against}${r.skipped.length ? `, ${r.skipped.length} skipped` : ''})`,
  );
  return lines.join('\n');
}
