// The request journal (/__admin/requests): bounded, newest first, filterable, counted, emptied, and
// redacted (no api key, client secret or access token the mock minted ever appears in it).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, call, createBody, IDS, orgPath, TOKENS, V } from '../helper.js';
import { form, oauthPost } from '../support/oauth.js';

const self = `/rest/self?version=${V}`;
const journal = async (app: FastifyInstance, query = '') => {
  const res = await app.inject({ url: `/__admin/requests${query}` });
  if (res.statusCode !== 200) throw new Error(`journal: ${res.statusCode} ${res.body}`);
  return res.json() as { requests: Record<string, any>[]; total: number }; // eslint-disable-line @typescript-eslint/no-explicit-any
};

t.test('bounded by --journal-size, newest first, one entry per answer', async (t) => {
  const app = await buildApp(t, { settings: { journalSize: 3 } });
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await call(app, { url: `${self}&i=${i}` })).headers['snyk-request-id'] as string);
  const { requests, total } = await journal(app);
  t.equal(total, 3, 'only the last 3 are kept');
  t.same(
    requests.map((r) => r.id),
    [ids[4], ids[3], ids[2]],
    'newest first, by snyk-request-id',
  );
  t.match(requests[0], { method: 'GET', path: '/rest/self', query: { version: V, i: '4' }, status: 400, principal: { type: 'user', id: IDS.users.admin } });
  t.type(requests[0].duration_ms, 'number');
  t.match(requests[0].time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  t.notOk('fault' in requests[0] || 'switch' in requests[0], 'nothing acted on it');
});

t.test('what is and is not journaled', async (t) => {
  const app = await buildApp(t);
  await app.inject({ url: '/__admin/health' });
  await app.inject({ url: '/__admin/state' });
  await app.inject({ url: '/rest/nowhere' });
  await app.inject({ url: self });
  await oauthPost(app, 'token', { grant_type: 'client_credentials' });
  const { requests } = await journal(app);
  t.same(
    requests.map((r) => [r.method, r.path, r.status]),
    [
      ['POST', '/oauth2/token', 401],
      ['GET', '/rest/self', 401],
      ['GET', '/rest/nowhere', 404],
    ],
    'the API, OAuth and unknown routes; never /__admin',
  );
  t.equal(requests[1].principal, null, 'no principal without a credential');
});

t.test('filters: method, path prefix, status, since, limit; count; clear', async (t) => {
  const app = await buildApp(t);
  await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2030-01-01T00:00:00Z' } });
  await call(app, { url: self }); // 200
  await call(app, { url: `${orgPath()}?version=${V}` }); // 200
  await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2030-01-02T00:00:00Z' } });
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'journaled', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  }); // 201
  t.equal(created.statusCode, 201);
  await call(app, { url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}` }); // 200
  await call(app, { url: `${orgPath()}` }); // 400: no version

  t.equal((await journal(app)).total, 5);
  const posts = await journal(app, '?method=post');
  t.equal(posts.total, 1, 'method, any case');
  t.match(posts.requests[0], {
    method: 'POST',
    status: 201,
    time: '2030-01-02T00:00:00.000Z',
    body: { data: { attributes: { name: 'journaled', auth_type: 'api_key' } } },
  });
  t.equal((await journal(app, `?path=${encodeURIComponent(orgPath())}`)).total, 4, 'path prefix: the list, the create, the get and the 400');
  t.equal((await journal(app, '?path=/rest/self')).total, 1);
  t.equal((await journal(app, '?path=/oauth2')).total, 0);
  t.equal((await journal(app, '?status=400')).total, 1);
  t.equal((await journal(app, '?status=200')).total, 3);
  const since = await journal(app, '?since=2030-01-01T12:00:00Z');
  t.equal(since.total, 3, 'since: on the server clock');
  t.ok(
    since.requests.every((r) => r.time >= '2030-01-02'),
    'only entries at or after it',
  );
  const limited = await journal(app, '?status=200&limit=2');
  t.equal(limited.requests.length, 2, 'limit cuts the list');
  t.equal(limited.total, 3, 'total counts every match');
  t.equal(limited.requests[0].path, orgPath(IDS.frontend, IDS.sa.frontendCi), 'newest first');

  const count = async (q = '') => (await app.inject({ url: `/__admin/requests/count${q}` })).json();
  t.same(await count(), { count: 5 });
  t.same(await count('?method=GET&status=200&path=/rest/orgs'), { count: 2 });
  t.same(await count('?since=2030-01-02T00:00:00Z'), { count: 3 });

  const cleared = await app.inject({ method: 'DELETE', url: '/__admin/requests' });
  t.equal(cleared.statusCode, 204);
  t.same(await journal(app), { requests: [], total: 0 });
  await call(app, { url: self });
  t.equal((await journal(app)).total, 1, 'recording goes on after a clear');
});

t.test('"the client rotated the secret exactly once, with mode replace"', async (t) => {
  const app = await buildApp(t);
  const secrets = `${orgPath(IDS.frontend, IDS.sa.frontendDeployer)}/secrets?version=${V}`;
  const res = await call(app, { method: 'POST', url: secrets, payload: { data: { type: 'service_account', attributes: { mode: 'replace' } } } });
  t.equal(res.statusCode, 200);
  const rotations = await journal(app, `?method=POST&path=${encodeURIComponent(secrets.split('?')[0])}`);
  t.equal(rotations.total, 1);
  t.equal(rotations.requests[0].body.data.attributes.mode, 'replace');
});

t.test('redacted: no minted api key, client secret or access token is journaled', async (t) => {
  const app = await buildApp(t);
  const create = async (name: string, auth_type: string) => {
    const res = await call(app, { method: 'POST', url: `${orgPath()}?version=${V}`, payload: createBody({ name, role_id: IDS.roles.orgAdmin, auth_type }) });
    t.equal(res.statusCode, 201, `create ${auth_type}`);
    return res.json().data;
  };
  const keyed = await create('journal-key', 'api_key');
  const apiKey: string = keyed.attributes.api_key;
  const oauth = await create('journal-oauth', 'oauth_client_secret');
  const clientId: string = oauth.attributes.client_id;
  const firstSecret: string = oauth.attributes.client_secret;
  const secretsUrl = `${orgPath(IDS.frontend, oauth.id)}/secrets?version=${V}`;
  const added = await call(app, { method: 'POST', url: secretsUrl, payload: { data: { type: 'service_account', attributes: { mode: 'create' } } } });
  const secondSecret: string = added.json().data.attributes.client_secret;
  // the secret travels in a request body here, and in a form below
  t.equal(
    (await call(app, { method: 'POST', url: secretsUrl, payload: { data: { type: 'service_account', attributes: { mode: 'delete', secret: firstSecret } } } }))
      .statusCode,
    200,
  );
  const token = await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: clientId, client_secret: secondSecret });
  t.equal(token.statusCode, 200);
  const accessToken: string = token.json().access_token;
  t.equal((await app.inject({ url: self, headers: { authorization: `token ${apiKey}` } })).statusCode, 200);
  t.equal((await app.inject({ url: self, headers: { authorization: `bearer ${accessToken}` } })).statusCode, 200);
  // clients do put secrets in the URL: redacted by name there too
  await app.inject({ url: `${self}&client_secret=${encodeURIComponent(secondSecret)}&token=${accessToken}`, headers: { authorization: `token ${apiKey}` } });
  t.equal((await oauthPost(app, 'revoke', form({ token: accessToken, client_id: clientId, client_secret: secondSecret }))).statusCode, 200);
  // a secret member whose name is escaped in the text: the text as received is not what is recorded
  const escaped = `{"data":{"type":"service_account","attributes":{"mode":"delete","s\\u0065cret":"${secondSecret}"}}}`;
  t.equal((await call(app, { method: 'POST', url: secretsUrl, payload: escaped })).statusCode, 400, 'the last secret stays');

  const minted = { apiKey, firstSecret, secondSecret, accessToken, adminToken: TOKENS.admin };
  const { requests, total } = await journal(app);
  t.equal(total, 10);
  const text = JSON.stringify(requests);
  for (const [what, secret] of Object.entries(minted)) t.notOk(text.includes(secret), `${what} is not in the journal`);
  t.match(requests.find((r) => r.path === '/oauth2/token')!.body, { grant_type: 'client_credentials', client_id: clientId, client_secret: '[Redacted]' });
  const deletes = requests.filter((r) => r.body?.data?.attributes?.mode === 'delete');
  t.equal(deletes.length, 2);
  for (const d of deletes) t.same(d.body.data.attributes, { mode: 'delete', secret: '[Redacted]' });
  t.match(requests.find((r) => r.query.client_secret)!.query, { client_secret: '[Redacted]', token: '[Redacted]' });
  t.same(requests.find((r) => r.principal?.id === keyed.id)!.principal, { type: 'service_account', id: keyed.id }, 'the principal, never the credential');

  // positive control: the same scan finds a secret that travels under a name the redactor does not know
  await app.inject({ url: `${self}&note=${apiKey}`, headers: { authorization: `token ${apiKey}` } });
  t.ok(JSON.stringify((await journal(app)).requests).includes(apiKey), 'the check would see a leaked key');
});

t.test('a body is recorded as sent, when nothing in it is secret', async (t) => {
  const app = await buildApp(t);
  const text =
    '{ "data": { "type": "service_account",\n  "attributes": { "name": "spaced", "role_id": "' + IDS.roles.orgAdmin + '", "auth_type": "api_key" } } }';
  t.equal((await call(app, { method: 'POST', url: `${orgPath()}?version=${V}`, payload: text })).statusCode, 201);
  t.same((await journal(app)).requests[0].body, JSON.parse(text));
});

t.test('bodies over 8 KiB are kept as their first 8 KiB', async (t) => {
  const app = await buildApp(t);
  const name = 'n'.repeat(10_000);
  await call(app, { method: 'POST', url: `${orgPath()}?version=${V}`, payload: createBody({ name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }) });
  const [entry] = (await journal(app)).requests;
  t.equal(entry.body_truncated, true);
  t.equal(entry.body.length, 8192);
  t.ok(entry.body.startsWith('{"data":{"type":"service_account","attributes":{"name":"nnnn'));
});

t.test('a slot taken over by a newer request keeps nothing of the one before', async (t) => {
  const app = await buildApp(t, { settings: { journalSize: 1 } });
  await app.inject({ method: 'POST', url: '/__admin/faults', payload: { method: 'POST', path: '/rest/orgs/**', delay_ms: 1, times: 1 } });
  await app.inject({ method: 'POST', url: '/__admin/switches', payload: { version_check: 'off' } });
  const name = 'n'.repeat(10_000);
  // no version: let through by the switch
  await call(app, { method: 'POST', url: orgPath(), payload: createBody({ name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }) });
  t.match(
    (await journal(app)).requests,
    [{ method: 'POST', status: 201, body_truncated: true, fault: String, switch: 'version-check=off' }],
    'the first: a fault, a switch, a capped body',
  );
  await app.inject({ url: self });
  const { requests } = await journal(app);
  t.match(requests, [{ method: 'GET', status: 401, principal: null }], 'the second, in the same slot');
  for (const member of ['body', 'body_truncated', 'fault', 'switch']) t.notOk(member in requests[0], `without the first one's ${member}`);
});

t.test('--journal-size 0 turns it off', async (t) => {
  const app = await buildApp(t, { settings: { journalSize: 0 } });
  await call(app, { url: self });
  t.same(await journal(app), { requests: [], total: 0 });
  t.same((await app.inject({ url: '/__admin/requests/count' })).json(), { count: 0 });
});

t.test('subscribe: live entries for a dashboard, until unsubscribed', async (t) => {
  const app = await buildApp(t);
  const seen: string[] = [];
  const stop = app.journal.subscribe((e) => seen.push(`${e.method} ${e.path} ${e.status}`));
  app.journal.subscribe(() => {
    throw new Error('a failing listener does not break the request');
  });
  t.equal((await call(app, { url: self })).statusCode, 200);
  stop();
  await call(app, { url: self });
  t.same(seen, ['GET /rest/self 200']);
});

t.test('bad filters are 400 ErrorDocuments', async (t) => {
  const app = await buildApp(t);
  for (const [url, parameter] of [
    ['/__admin/requests?status=abc', 'status'],
    ['/__admin/requests?status=99', 'status'],
    ['/__admin/requests?limit=0', 'limit'],
    ['/__admin/requests?since=yesterday', 'since'],
    ['/__admin/requests?method=', 'method'],
    ['/__admin/requests?bogus=1', 'bogus'],
    ['/__admin/requests/count?limit=5', 'limit'],
  ]) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 400, url);
    t.match(res.json().errors[0], { status: '400', code: 'SNYK-OPENAPI-0001', source: { parameter } }, url);
  }
});
