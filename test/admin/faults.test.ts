// Fault rules (/__admin/faults) and --latency: gateway 5xx from the error catalog, resets the client
// sees as connection errors, delays before the real answer; matching by method, path glob,
// principal, times and probability; a faulted write changes nothing.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { buildApp, call, createBody, groupPath, IDS, orgPath, TOKENS, V } from '../helper.js';

const self = `/rest/self?version=${V}`;
const addFault = async (app: FastifyInstance, rule: object) => {
  const res = await app.inject({ method: 'POST', url: '/__admin/faults', payload: rule });
  if (res.statusCode !== 201) throw new Error(`add fault: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
};
const faultList = async (app: FastifyInstance) => (await app.inject({ url: '/__admin/faults' })).json();

t.test('status: a gateway error from the catalog, `times` times, then the real answer', async (t) => {
  const app = await buildApp(t);
  const id = await addFault(app, { method: 'GET', path: '/rest/self', status: 503, times: 2 });
  t.match(id, /^fault-\d+$/);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await call(app, { url: self })).statusCode);
  t.same(statuses, [503, 503, 200, 200], 'fires exactly twice, then stops');
  t.match((await faultList(app)).faults, [{ id, method: 'GET', path: '/rest/self', status: 503, times: 2, fired: 2, retired: true }]);
  const entries = (await app.inject({ url: '/__admin/requests?status=503' })).json();
  t.equal(entries.total, 2);
  t.equal(entries.requests[0].fault, id, 'the journal names the rule');
  t.equal(entries.requests[0].principal, null, 'the fault acted before authentication');
});

t.test('each status is the catalog entry for it', async (t) => {
  const app = await buildApp(t);
  for (const [status, code, title] of [
    [500, 'SNYK-9999', 'Unable to process request'],
    [502, 'SNYK-0008', 'Unable to fulfill the request'],
    [503, 'SNYK-0009', 'Unable to fulfill the request'],
    [504, 'SNYK-0004', 'Server communication error'],
  ] as const) {
    const id = await addFault(app, { status, times: 1 });
    const res = await call(app, { url: self });
    t.equal(res.statusCode, status);
    t.match(res.headers['content-type'], 'application/vnd.api+json');
    t.match(res.headers['snyk-request-id'], /^[0-9a-f-]{36}$/);
    t.match(res.json(), { jsonapi: { version: '1.0' }, errors: [{ status: String(status), code, title, detail: new RegExp(`fault rule ${id}`) }] });
  }
  t.equal((await call(app, { url: self })).statusCode, 200);
});

t.test('a faulted POST creates nothing', async (t) => {
  const app = await buildApp(t);
  await addFault(app, { method: 'POST', path: '/rest/orgs/*/service_accounts', status: 500 });
  const before = app.store.state.count('service_accounts');
  const res = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'never-made', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(res.statusCode, 500);
  t.equal(app.store.state.count('service_accounts'), before, 'no account was stored');
  const list = await call(app, { url: `${orgPath()}?version=${V}&limit=100` });
  t.equal(list.statusCode, 200, 'a GET is not a POST: not faulted');
  t.notOk(list.json().data.some((a: { attributes: { name: string } }) => a.attributes.name === 'never-made'));
});

t.test('path globs: * is one segment, ** any number; the method must match', async (t) => {
  const app = await buildApp(t);
  const one = await addFault(app, { method: 'get', path: '/rest/orgs/*/service_accounts', status: 502 });
  t.equal((await call(app, { url: `${orgPath(IDS.frontend)}?version=${V}` })).statusCode, 502, '* matches an org id');
  t.equal((await call(app, { url: `${orgPath(IDS.backend)}?version=${V}` })).statusCode, 502, '… any org id');
  t.equal((await call(app, { url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}` })).statusCode, 200, '* is not two segments');
  t.equal((await call(app, { url: `${groupPath()}?version=${V}` })).statusCode, 200, 'another path');
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `${orgPath()}?version=${V}`,
        payload: createBody({ name: 'glob-post', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
      })
    ).statusCode,
    201,
    'another method',
  );
  await app.inject({ method: 'DELETE', url: `/__admin/faults/${one}` });

  await addFault(app, { path: '/rest/groups/**', status: 504 });
  t.equal((await call(app, { url: `${groupPath()}?version=${V}` })).statusCode, 504, '** matches one segment more');
  t.equal((await call(app, { url: `${groupPath(IDS.acmeGroup, IDS.sa.groupAdminBot)}?version=${V}` })).statusCode, 504, '** matches three more');
  t.equal((await call(app, { url: `${orgPath()}?version=${V}` })).statusCode, 200, 'not another prefix');
  await app.inject({ method: 'DELETE', url: '/__admin/faults' });

  await addFault(app, { path: '/**/secrets', status: 503 });
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `${orgPath(IDS.frontend, IDS.sa.frontendDeployer)}/secrets?version=${V}`,
        payload: { data: { type: 'service_account', attributes: { mode: 'create' } } },
      })
    ).statusCode,
    503,
    '** in the middle',
  );
  t.equal((await call(app, { url: self })).statusCode, 200);
});

t.test('principal_id and probability', async (t) => {
  const app = await buildApp(t);
  await addFault(app, { principal_id: IDS.users.viewer, status: 503 });
  t.equal((await call(app, { url: self, token: TOKENS.viewer })).statusCode, 503, 'the named principal');
  t.equal((await call(app, { url: self, token: TOKENS.admin })).statusCode, 200, 'another principal');
  t.equal((await app.inject({ url: self })).statusCode, 401, 'no credential: no principal to match');
  await app.inject({ method: 'DELETE', url: '/__admin/faults' });

  const never = await addFault(app, { probability: 0, status: 500 });
  const always = await addFault(app, { probability: 1, status: 502 });
  for (let i = 0; i < 5; i++) t.equal((await call(app, { url: self })).statusCode, 502);
  t.match(
    (await faultList(app)).faults,
    [
      { id: never, probability: 0, fired: 0, retired: false },
      { id: always, probability: 1, fired: 5, retired: false },
    ],
    'probability 0 never fires (and the next rule is tried); 1 always does',
  );
});

t.test('reset: the client sees a connection error, and nothing reached the handler', async (t) => {
  const app = await buildApp(t);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const id = await addFault(app, { method: 'POST', path: '/rest/orgs/*/service_accounts', reset: true, times: 1 });
  const before = app.store.state.count('service_accounts');
  const post = () =>
    request(`${base}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, {
      method: 'POST',
      headers: { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify(createBody({ name: 'reset-me', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' })),
    });
  const err = await post().then(
    (res) => new Error(`an answer: ${res.statusCode}`),
    (e: Error & { code?: string }) => e,
  );
  t.match(err, { code: /^(UND_ERR_SOCKET|ECONNRESET)$/ }, `a connection error (${err.message})`);
  t.equal(app.store.state.count('service_accounts'), before, 'nothing was created');
  const [entry] = (await app.inject({ url: '/__admin/requests' })).json().requests;
  t.match(entry, { method: 'POST', status: null, fault: id }, 'journaled without a status');
  const retry = await post();
  t.equal(retry.statusCode, 201, 'the rule is spent: the retry goes through');
  await retry.body.dump();
});

t.test('delay: the real answer, later', async (t) => {
  const app = await buildApp(t);
  const id = await addFault(app, { path: '/rest/self', delay_ms: 1500 });
  let delayedDone = false;
  const delayed = call(app, { url: self }).then((res) => {
    delayedDone = true;
    return res;
  });
  const other = await call(app, { url: `${orgPath()}?version=${V}` });
  t.equal(other.statusCode, 200);
  t.equal(delayedDone, false, 'a request sent later, to another path, is answered first');
  const res = await delayed;
  t.equal(res.statusCode, 200);
  t.equal(res.json().data.id, IDS.users.admin, 'the real answer');
  t.equal((await app.inject({ url: '/__admin/requests?path=/rest/self' })).json().requests[0].fault, id);

  await app.inject({ method: 'DELETE', url: '/__admin/faults' });
  await addFault(app, { delay_ms: { min: 1, max: 3 } });
  t.equal((await call(app, { url: self })).statusCode, 200, 'a random delay in a range');
});

t.test('--latency holds every answer but /__admin', async (t) => {
  const app = await buildApp(t, { settings: { latency: '1500-1600' } });
  t.same((await faultList(app)).latency_ms, { min: 1500, max: 1600 });
  let apiDone = false;
  const api = call(app, { url: self }).then((res) => {
    apiDone = true;
    return res;
  });
  t.equal((await app.inject({ url: '/__admin/health' })).statusCode, 200);
  t.equal(apiDone, false, '/__admin is answered while the API request waits');
  t.equal((await api).statusCode, 200);
  t.notOk((await app.inject({ url: '/__admin/requests' })).json().requests[0].fault, 'latency is not a fault rule');
});

t.test('/__admin is never faulted', async (t) => {
  const app = await buildApp(t);
  await addFault(app, { status: 503 });
  t.equal((await app.inject({ url: '/__admin/health' })).statusCode, 200);
  t.equal((await app.inject({ url: '/__admin/faults' })).statusCode, 200);
  t.equal((await call(app, { url: self })).statusCode, 503);
  t.equal((await app.inject({ url: '/oauth2/jwks' })).statusCode, 503, 'OAuth is behind the gateway too');
});

t.test('list, remove one, remove all', async (t) => {
  const app = await buildApp(t);
  const a = await addFault(app, { path: '/rest/self', status: 500 });
  const b = await addFault(app, { path: '/rest/orgs/**', reset: true });
  t.same(
    (await faultList(app)).faults.map((f: { id: string }) => f.id),
    [a, b],
    'in the order they are tried',
  );
  t.same((await faultList(app)).latency_ms, null);
  t.equal((await app.inject({ method: 'DELETE', url: `/__admin/faults/${a}` })).statusCode, 204);
  t.equal((await call(app, { url: self })).statusCode, 200, 'a removed rule no longer fires');
  t.same(
    (await faultList(app)).faults.map((f: { id: string }) => f.id),
    [b],
  );
  const missing = await app.inject({ method: 'DELETE', url: `/__admin/faults/${a}` });
  t.equal(missing.statusCode, 404);
  t.match(missing.json().errors[0], { status: '404', detail: `No fault rule ${a}.`, source: { parameter: 'id' } });
  t.equal((await app.inject({ method: 'DELETE', url: '/__admin/faults' })).statusCode, 204);
  t.same((await faultList(app)).faults, []);
});

t.test('bad rules are 400 ErrorDocuments, and add nothing', async (t) => {
  const app = await buildApp(t);
  for (const [rule, pointer] of [
    [{ status: 418 }, '/status'],
    [{ status: 'busy' }, '/status'],
    [{ status: 503, reset: true }, '/'],
    [{ path: '/rest/**' }, '/'],
    [{ reset: false }, '/reset'],
    [{ status: 503, probability: 1.5 }, '/probability'],
    [{ status: 503, times: 0 }, '/times'],
    [{ status: 503, method: 'GE T' }, '/method'],
    [{ status: 503, path: 'rest/self' }, '/path'],
    [{ delay_ms: { min: 5, max: 1 } }, '/delay_ms'],
    [{ delay_ms: 60_001 }, '/delay_ms'],
    [{ delay_ms: { min: 1 } }, '/delay_ms'],
    [{ status: 503, principal: 'x' }, '/principal'],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/__admin/faults', payload: rule });
    t.equal(res.statusCode, 400, JSON.stringify(rule));
    t.match(res.json().errors[0], { status: '400', code: 'SNYK-OPENAPI-0001', source: { pointer } }, JSON.stringify(rule));
  }
  const empty = await app.inject({ method: 'POST', url: '/__admin/faults', headers: { 'content-type': 'application/json' } });
  t.equal(empty.statusCode, 400, 'no body: no action');
  t.same((await faultList(app)).faults, []);
});
