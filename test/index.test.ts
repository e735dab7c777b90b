// The in-process API: startMockServer on port 0, two servers side by side, independent of the
// environment, reset() back to the seed, build() for inject(), and deterministic fixtures.
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { build, parseFixtures, seedData, startMockServer, type Fixtures, type ServiceAccountListResponse, type SingleResponse } from '../src/index.js';
import { renderFixturesSchema } from '../src/build/fixtures-schema.js';

const V = '2024-10-15';
const TOKEN = '11111111-1111-4111-8111-111111111111';
const ORG = '48dab934-c18e-4abf-b2b9-067e0fb2f0bf';
const ORG_ADMIN = '8f35d030-fdca-4335-827b-7c93e6426e7b';
const json = { 'content-type': 'application/vnd.api+json' };
const demo = JSON.parse(readFileSync(new URL('../fixtures/demo.json', import.meta.url), 'utf8')) as Fixtures;

t.test('two servers on port 0, side by side and independent', async (t) => {
  const a = await startMockServer({ port: 0 });
  t.teardown(() => a.close());
  const b = await startMockServer({ port: 0, demoToken: 'b-token-0123456789' });
  t.teardown(() => b.close());
  t.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.not(a.url, b.url);
  t.equal(a.token, '11111111-1111-4111-8111-111111111111', 'token: the demo user of the default fixtures');
  t.equal(b.token, 'b-token-0123456789', 'token: the demo token in effect');
  t.equal(a.ca, undefined);

  const create = await fetch(`${a.url}/rest/orgs/${ORG}/service_accounts?version=${V}`, {
    method: 'POST',
    headers: { ...json, authorization: `token ${a.token}` },
    body: JSON.stringify({ data: { type: 'service_account', attributes: { name: 'only-in-a', role_id: ORG_ADMIN, auth_type: 'api_key' } } }),
  });
  t.equal(create.status, 201);
  const created = (await create.json()) as SingleResponse;
  const getA = await fetch(`${a.url}/rest/orgs/${ORG}/service_accounts/${created.data.id}?version=${V}`, { headers: { authorization: `token ${a.token}` } });
  t.equal(getA.status, 200);
  const getB = await fetch(`${b.url}/rest/orgs/${ORG}/service_accounts/${created.data.id}?version=${V}`, { headers: { authorization: `token ${b.token}` } });
  t.equal(getB.status, 404, 'b does not see what a created');

  await a.reset();
  const afterReset = await fetch(`${a.url}/rest/orgs/${ORG}/service_accounts/${created.data.id}?version=${V}`, {
    headers: { authorization: `token ${a.token}` },
  });
  t.equal(afterReset.status, 404, 'reset() goes back to the seed');
  const seeded = await fetch(`${a.url}/rest/orgs/${ORG}/service_accounts?version=${V}`, { headers: { authorization: `token ${a.token}` } });
  t.equal(((await seeded.json()) as ServiceAccountListResponse).data.length, 5, 'the seeded accounts are back');
});

t.test('the environment is not read unless asked', async (t) => {
  const saved = { ...process.env };
  t.teardown(() => {
    process.env = saved;
  });
  process.env.SNYK_MOCK_DEMO_TOKEN = 'from-the-environment';
  process.env.SNYK_MOCK_ADMIN_SECRET = 'from-the-environment';
  process.env.SNYK_MOCK_STORE = 'file';
  const quiet = await startMockServer();
  t.teardown(() => quiet.close());
  t.equal(quiet.token, '11111111-1111-4111-8111-111111111111');
  t.equal(quiet.app.settings.store, 'memory');
  t.equal((await fetch(`${quiet.url}/__admin/state`)).status, 200, 'no admin secret');

  const asked = await startMockServer({ env: process.env, store: 'memory' });
  t.teardown(() => asked.close());
  t.equal(asked.token, 'from-the-environment');
  t.equal((await fetch(`${asked.url}/__admin/state`)).status, 401, 'the admin secret of the environment');
});

t.test('fixtures: a document or a file; a file store', async (t) => {
  const doc = await startMockServer({ fixtures: demo });
  t.teardown(() => doc.close());
  t.equal(doc.token, '11111111-1111-4111-8111-111111111111');
  const list = await fetch(`${doc.url}/rest/orgs/de000002-0000-4000-8000-000000000001/service_accounts?version=${V}&limit=100`, {
    headers: { authorization: `token ${doc.token}` },
  });
  t.equal(((await list.json()) as ServiceAccountListResponse).data.length, 29);

  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-index-'));
  const file = await startMockServer({ fixtures: new URL('../fixtures/demo.json', import.meta.url).pathname, store: join(dir, 'db.json') });
  t.equal(file.app.store.persistence.kind, 'file');
  await fetch(`${file.url}/__admin/groups`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'kept', id: '0d000000-0000-4000-8000-000000000001' }),
  });
  await file.close();
  const again = await startMockServer({ store: join(dir, 'db.json') });
  t.teardown(() => again.close());
  const state = (await (await fetch(`${again.url}/__admin/state`)).json()) as { groups: { id: string }[] };
  t.ok(
    state.groups.some((g) => g.id === '0d000000-0000-4000-8000-000000000001'),
    'the data file kept the group across a restart',
  );
});

t.test('a port in use is an error, the server that failed is closed, and it leaves no file behind', async (t) => {
  const a = await startMockServer();
  t.teardown(() => a.close());
  const port = Number(new URL(a.url).port);
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-index-'));
  const db = join(dir, 'data', 'db.json');
  await t.rejects(startMockServer({ port, store: db, https: true }), /EADDRINUSE/);
  // nothing is written before the server listens: no data file, log, lock, certificate, nor the
  // directory the start made for them
  t.same(readdirSync(dir), [], 'no file left behind');
  const again = await startMockServer({ store: db });
  t.teardown(() => again.close());
  t.equal(again.app.store.persistence.kind, 'file', 'the data file opens again');
});

t.test('fixtures given as a document: every collection optional, validated before anything is stored', async (t) => {
  const partial = await startMockServer({
    fixtures: {
      groups: [{ id: '0d000000-0000-4000-8000-000000000001', name: 'only a group' }],
      users: [{ id: '0d000000-0000-4000-8000-000000000002', name: 'U', email: 'u@x.example', username: 'u', demo: true, token: 'partial-fixtures-token' }],
    },
  });
  t.teardown(() => partial.close());
  t.equal(partial.token, 'partial-fixtures-token');
  const state = (await (await fetch(`${partial.url}/__admin/state`)).json()) as { groups: unknown[]; orgs: unknown[]; roles: unknown[] };
  t.equal(state.groups.length, 1);
  t.equal(state.orgs.length, 0, 'left out: empty');
  t.equal(state.roles.length, 4, 'the built-in roles');

  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-index-')), 'db.json');
  const invalid = { groups: [{ id: 'not-a-uuid', name: 'g' }], orgs: 'x' } as unknown as Fixtures;
  await t.rejects(startMockServer({ store: db, fixtures: invalid }), {
    name: 'FixtureError',
    message: /invalid fixtures \(the fixtures option\): \/groups\/0\/id: .*\/orgs: /,
  });
  t.notOk(existsSync(db), 'nothing stored');
  await t.rejects(
    startMockServer({
      fixtures: {
        users: [
          {
            id: '0d000000-0000-4000-8000-000000000002',
            name: 'U',
            email: 'e',
            username: 'u',
            roles: [{ role_id: '0d000000-0000-4000-8000-000000000009', org_id: '0d000000-0000-4000-8000-000000000003' }],
          },
        ],
      },
    }),
    {
      message: /\/users\/0\/roles\/0\/org_id: no org 0d000000-0000-4000-8000-000000000003/,
    },
  );
});

t.test("--demo-token on a data file that already exists: it becomes the demo user's token", async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-index-')), 'db.json');
  const first = await startMockServer({ store: db });
  t.equal(first.token, TOKEN, 'the fixtures token at first');
  await first.close();
  const second = await startMockServer({ store: db, demoToken: 'a-demo-token-of-my-own' });
  t.equal(second.token, 'a-demo-token-of-my-own');
  const self = async (url: string, token: string) => (await fetch(`${url}/rest/self?version=${V}`, { headers: { authorization: `token ${token}` } })).status;
  t.equal(await self(second.url, 'a-demo-token-of-my-own'), 200, 'the demo token authenticates');
  t.equal(await self(second.url, TOKEN), 401, 'the token it replaces does not');
  const me = (await (await fetch(`${second.url}/rest/self?version=${V}`, { headers: { authorization: 'token a-demo-token-of-my-own' } })).json()) as {
    data: { id: string };
  };
  t.equal(me.data.id, '7c65ba80-bb77-4720-a770-d655348d4521', 'as the demo user');
  await second.reset();
  t.equal(await self(second.url, 'a-demo-token-of-my-own'), 200, 'and after a reset');
  await second.close();
  const third = await startMockServer({ store: db });
  t.teardown(() => third.close());
  t.equal(await self(third.url, 'a-demo-token-of-my-own'), 200, 'it is stored: a later start without the setting keeps it');
});

t.test('build() for inject()', async (t) => {
  const app = await build(undefined, { logger: false });
  t.teardown(() => app.close());
  const res = await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: 'token 11111111-1111-4111-8111-111111111111' } });
  t.equal(res.statusCode, 200);
});

t.test('deterministic: the same fixtures give the same ids and listings', async (t) => {
  const now = new Date('2026-01-01T00:00:00Z');
  const fx = parseFixtures(demo);
  // client ids left out of the fixtures are derived, not random
  const noClientIds = parseFixtures({ ...demo, service_accounts: demo.service_accounts!.map(({ client_id: _c, ...s }) => s) });
  t.same(seedData(fx, { now }), seedData(parseFixtures(structuredClone(demo)), { now }));
  t.same(seedData(noClientIds, { now }), seedData(noClientIds, { now }));
  t.ok(
    seedData(noClientIds, { now })
      .service_accounts.filter((s) => s.client_id)
      .every((s) => /^[0-9a-f-]{36}$/.test(s.client_id!)),
  );

  // relative fixture times ("+90d") resolve against the start time: one clock for both
  const clock = { now: () => now };
  const a = await startMockServer({ fixtures: noClientIds, clock });
  t.teardown(() => a.close());
  const b = await startMockServer({ fixtures: noClientIds, clock });
  t.teardown(() => b.close());
  const pages = async (url: string, token: string) => {
    const out: unknown[] = [];
    let next: string | undefined = `/rest/orgs/de000002-0000-4000-8000-000000000001/service_accounts?version=${V}&limit=10`;
    while (next) {
      const body = (await (
        await fetch(`${url}${next.startsWith('/rest') ? next : `/rest${next}`}`, { headers: { authorization: `token ${token}` } })
      ).json()) as ServiceAccountListResponse;
      out.push(body.data);
      next = typeof body.links.next === 'string' ? body.links.next : undefined;
    }
    return out;
  };
  const pa = await pages(a.url, a.token!);
  t.equal(pa.length, 3, 'three pages of 10');
  t.same(pa, await pages(b.url, b.token!), 'same listings, page by page, ids and client ids included');
});

t.test('fixtures/schema.json is generated from the TypeBox schema, and not stale', async (t) => {
  const committed = readFileSync(new URL('../fixtures/schema.json', import.meta.url), 'utf8');
  t.equal(committed, renderFixturesSchema(), 'run `npm run fixtures:schema` after changing src/schemas/fixtures.ts');
  // and the shipped fixtures are valid against it, for editors that read "$schema"
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(committed));
  for (const name of ['default.json', 'demo.json']) {
    const doc = JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
    t.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`);
    t.equal(doc.$schema, './schema.json');
  }
  t.notOk(validate({ groups: [{ id: 'x', name: 'g' }] }), 'and it rejects bad fixtures');
  t.ok(validate({ groups: [] }), 'every collection is optional');
});

t.test('test controls in-process: requests, clock, faults, rateLimit, switches', async (t) => {
  const mock = await startMockServer({ journalSize: 50 });
  t.teardown(() => mock.close());
  const self = (headers: Record<string, string> = { authorization: `token ${mock.token}` }) => fetch(`${mock.url}/rest/self?version=${V}`, { headers });

  // the journal
  t.equal((await self()).status, 200);
  t.match(mock.requests.list({ method: 'GET', path: '/rest/self' }), { total: 1, requests: [{ method: 'GET', path: '/rest/self', status: 200 }] });
  t.equal(mock.requests.count({ status: 200 }), 1);
  const live: number[] = [];
  const stop = mock.requests.subscribe((e) => live.push(e.status ?? 0));
  await self();
  stop();
  t.same(live, [200]);
  mock.requests.clear();
  t.equal(mock.requests.count(), 0);

  // the clock: a one-hour token expires in milliseconds
  mock.clock.set('2030-01-01T00:00:00Z');
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'c1000000-0000-4000-8000-000000000002',
    client_secret: 'demo-secret-frontend-deployer',
  });
  const token = ((await (await fetch(`${mock.url}/oauth2/token`, { method: 'POST', body: form })).json()) as { access_token: string }).access_token;
  t.equal((await self({ authorization: `bearer ${token}` })).status, 200);
  t.same(mock.clock.advance('90m'), { now: '2030-01-01T01:30:00.000Z', frozen: true });
  t.equal((await self({ authorization: `bearer ${token}` })).status, 401);
  t.equal(mock.clock.real().frozen, false);
  t.throws(() => mock.clock.advance('soon'), { status: 400, message: /advance must be a duration/ });

  // faults
  const { id } = mock.faults.add({ path: '/rest/self', status: 503, times: 1 });
  t.equal((await self()).status, 503);
  t.equal((await self()).status, 200);
  t.match(mock.faults.list().faults, [{ id, fired: 1, retired: true }]);
  mock.faults.remove(id);
  t.same(mock.faults.list().faults, []);
  t.throws(() => mock.faults.remove(id), { status: 404, message: /No fault rule/ });
  // a JavaScript caller gets the checks the admin route's schema makes
  t.throws(() => mock.faults.add({ status: 418 } as never), { status: 400, message: /\/status/ });
  mock.faults.clear();

  // the rate limit
  mock.clock.set('2030-01-01T00:00:00Z');
  t.match(mock.rateLimit.set({ limit: 1, window_seconds: 10 }), { enabled: true, limit: 1 });
  t.equal((await self()).status, 200);
  const limited = await self();
  t.equal(limited.status, 429);
  t.equal(limited.headers.get('retry-after'), '10');
  mock.clock.advance('10s');
  t.equal((await self()).status, 200);
  t.equal(mock.rateLimit.set({ enabled: false }).enabled, false);
  t.throws(() => mock.rateLimit.set({ limit: 0, window_seconds: 1 }), { status: 400, message: /\/limit/ });

  // the switches
  t.same(mock.switches.set({ auth: 'off' }), { version_check: 'strict', auth: 'off' });
  t.equal((await self({})).status, 200);
  t.same(mock.switches.state(), { version_check: 'strict', auth: 'off' });
  t.throws(() => mock.switches.set({ auth: 'never' } as never), { status: 400, message: /\/auth/ });
});
