// /__admin reset, seed and state: back to the seed (not empty), fixtures validated with pointers,
// and a state export that holds no clear secret yet re-imports with every credential still valid.
import t from 'tap';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp, call, createBody, IDS, orgPath, TOKENS } from '../helper.js';

const V = '2024-10-15';
const demo = JSON.parse(readFileSync(new URL('../../fixtures/demo.json', import.meta.url), 'utf8'));
const admin = (app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method,
    url: `/__admin/${url}`,
    headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
  });
const self = (app: FastifyInstance, token: string, scheme = 'token') =>
  app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: `${scheme} ${token}` } });
const clientCredentials = (app: FastifyInstance, clientId: string, secret: string) =>
  app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
  });

t.test('reset goes back to the seed the server started with, not to empty', async (t) => {
  const app = await buildApp(t);
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'temp', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201);
  const del = await call(app, { method: 'DELETE', url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}` });
  t.equal(del.statusCode, 204);
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 401, "the deleted account's key is gone");

  const reset = await admin(app, 'POST', 'reset');
  t.equal(reset.statusCode, 200);
  t.match(reset.headers['content-type'], /^application\/json/);
  t.match(reset.json(), { status: 'ok', source: 'seed', counts: { groups: 2, orgs: 3, users: 3, service_accounts: 14 } });
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 200, 'the seeded api key works again');
  const list = await call(app, { url: `${orgPath()}?version=${V}` });
  t.notOk(list.json().data.some((s: { attributes: { name: string } }) => s.attributes.name === 'temp'));

  // a reset with an empty JSON body, as some clients send it
  const empty = await app.inject({ method: 'POST', url: '/__admin/reset', headers: { 'content-type': 'application/json' } });
  t.equal(empty.statusCode, 200);

  // after seeding other fixtures, reset still returns to the start-up seed
  t.equal((await admin(app, 'POST', 'seed', demo)).statusCode, 200);
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 401);
  await admin(app, 'POST', 'reset');
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 200);
});

t.test('seed with a fixtures document', async (t) => {
  const app = await buildApp(t);
  const res = await admin(app, 'POST', 'seed', demo);
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { source: 'fixtures', counts: { groups: 2, orgs: 7, service_accounts: 39 } });
  t.equal((await self(app, TOKENS.admin)).statusCode, 200, 'the demo token of demo.json');
  t.equal((await self(app, 'de00a0a0-0000-4000-8000-000000000030')).statusCode, 200, 'an api key of demo.json');
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 401, 'the old state is gone');
});

t.test('seed validates, and points at every problem', async (t) => {
  const app = await buildApp(t);
  const bad = structuredClone(demo);
  bad.groups[0].id = 'not-a-uuid';
  bad.orgs[1].extra = true;
  delete bad.users[0].name;
  const res = await admin(app, 'POST', 'seed', bad);
  t.equal(res.statusCode, 400);
  const errors = res.json().errors as { status: string; detail: string; source: { pointer: string } }[];
  t.ok(errors.length >= 3, 'one error per problem');
  const pointers = errors.map((e) => e.source.pointer);
  t.ok(pointers.includes('/groups/0/id'), pointers.join(' '));
  t.ok(
    pointers.some((p) => p.startsWith('/orgs/1')),
    pointers.join(' '),
  );
  t.ok(
    pointers.some((p) => p.startsWith('/users/0')),
    pointers.join(' '),
  );
  t.ok(errors.every((e) => e.status === '400'));
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 200, 'a rejected seed changes nothing');

  // references are checked too
  const dangling = structuredClone(demo);
  dangling.orgs[0].group_id = '00000000-0000-4000-8000-000000000000';
  const ref = await admin(app, 'POST', 'seed', dangling);
  t.equal(ref.statusCode, 400);
  t.equal(ref.json().errors[0].source.pointer, '/orgs/0/group_id');

  for (const body of ['[]', '"x"', '{"schemaVersion": 99}', '{not json']) {
    const r = await app.inject({ method: 'POST', url: '/__admin/seed', headers: { 'content-type': 'application/json' }, payload: body });
    t.equal(r.statusCode, 400, body);
    t.ok(r.json().errors[0].source?.pointer !== undefined || /JSON/.test(r.json().errors[0].detail), body);
  }
  const state = await admin(app, 'GET', 'state');
  const broken = state.json();
  broken.users[0].id = 42;
  const badState = await admin(app, 'POST', 'seed', broken);
  t.equal(badState.statusCode, 400);
  t.equal(badState.json().errors[0].source.pointer, '/users/0/id');
  const dup = state.json();
  dup.groups.push(dup.groups[0]);
  const dupRes = await admin(app, 'POST', 'seed', dup);
  t.equal(dupRes.statusCode, 400);
  t.match(dupRes.json().errors[0].detail, /duplicate id/);
});

t.test('state round-trip: digests only, and every credential still valid after re-import', async (t) => {
  const app = await buildApp(t);
  // credentials minted at run time, besides the seeded ones
  const key = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'runtime-key', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  const apiKey = key.json().data.attributes.api_key as string;
  const oauth = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'runtime-oauth', role_id: IDS.roles.orgAdmin, auth_type: 'oauth_client_secret' }),
  });
  const { client_id: clientId, client_secret: clientSecret } = oauth.json().data.attributes as { client_id: string; client_secret: string };
  const user = await admin(app, 'POST', 'users', { name: 'Runtime User', roles: [{ role: 'Group Viewer', group_id: IDS.acmeGroup }] });
  const userToken = user.json().token as string;
  const issued = await clientCredentials(app, clientId, clientSecret);
  t.equal(issued.statusCode, 200, issued.body);
  const accessToken = issued.json().access_token as string;

  const state = await admin(app, 'GET', 'state');
  t.equal(state.statusCode, 200);
  t.match(state.headers['content-type'], /^application\/json/);
  const text = state.body;
  for (const secret of [apiKey, clientSecret, userToken, accessToken, TOKENS.admin, TOKENS.frontendCi, TOKENS.frontendDeployerSecret]) {
    t.notOk(text.includes(secret), 'no clear secret in the state export');
  }
  const doc = state.json();
  t.equal(doc.schemaVersion, 2);
  t.ok(doc.credentials.every((c: { id: string }) => /^[0-9a-f]{64}$/.test(c.id)));

  await admin(app, 'POST', 'reset');
  t.equal((await self(app, apiKey)).statusCode, 401, 'the reset dropped the runtime key');
  t.equal((await self(app, userToken)).statusCode, 401);

  const seeded = await admin(app, 'POST', 'seed', doc);
  t.equal(seeded.statusCode, 200, seeded.body);
  t.equal(seeded.json().source, 'state');
  t.same((await admin(app, 'GET', 'state')).json(), doc, 'the same state, exported again');
  t.equal((await self(app, accessToken, 'bearer')).statusCode, 200, 'an access token issued before the export is valid again');
  t.equal((await self(app, apiKey)).statusCode, 200, 'runtime api key valid again');
  t.equal((await self(app, userToken)).statusCode, 200, 'runtime user token valid again');
  t.equal((await self(app, TOKENS.frontendCi)).statusCode, 200, 'seeded api key 5a000000-…a001 valid');
  t.equal((await self(app, TOKENS.admin)).statusCode, 200, 'demo token valid');
  t.equal((await clientCredentials(app, clientId, clientSecret)).statusCode, 200, 'runtime client secret still obtains tokens');
  t.equal((await clientCredentials(app, 'c1000000-0000-4000-8000-000000000002', TOKENS.frontendDeployerSecret)).statusCode, 200, 'seeded client secret too');

  // and into another server altogether
  const other = await buildApp(t);
  t.equal((await admin(other, 'POST', 'seed', doc)).statusCode, 200);
  t.equal((await self(other, apiKey)).statusCode, 200, 'the export moves between servers');
});

t.test('health is always open; the rest needs the admin secret when one is set', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 'let-me-in' } });
  t.equal((await admin(app, 'GET', 'health')).statusCode, 200);
  for (const [method, url, body] of [
    ['POST', 'reset'],
    ['POST', 'seed', demo],
    ['GET', 'state'],
    ['POST', 'groups', { name: 'g' }],
    ['POST', 'orgs', { name: 'o' }],
    ['POST', 'users', { name: 'u' }],
    ['POST', 'grants', { user_id: IDS.users.viewer, role: 'Group Admin', group_id: IDS.acmeGroup }],
  ] as const) {
    const none = await admin(app, method, url, body);
    t.equal(none.statusCode, 401, `${method} ${url} without the secret`);
    t.match(none.json(), { errors: [{ status: '401' }] });
    t.equal((await admin(app, method, url, body, { authorization: 'Bearer wrong' })).statusCode, 401, `${method} ${url} with a wrong secret`);
    t.equal((await admin(app, method, url, body, { authorization: 'token let-me-in' })).statusCode, 401, `${method} ${url} with the wrong scheme`);
  }
  t.equal((await admin(app, 'GET', 'state', undefined, { authorization: 'Bearer let-me-in' })).statusCode, 200);
  t.equal((await admin(app, 'POST', 'groups', { name: 'ok' }, { authorization: 'bearer let-me-in' })).statusCode, 201);
});

t.test('admin errors are JSON:API error documents', async (t) => {
  const app = await buildApp(t);
  const unknown = await admin(app, 'GET', 'nothing-here');
  t.equal(unknown.statusCode, 404);
  t.match(unknown.json(), { jsonapi: { version: '1.0' }, errors: [{ status: '404' }] });
  const wrong = await admin(app, 'GET', 'reset');
  t.equal(wrong.statusCode, 405);
});
