// The strict / lenient switches (--version-check, --auth, /__admin/switches): each changes the gate,
// each error it relaxes names it, and the journal records which switch let a request through.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, call, createBody, IDS, orgPath, TOKENS, V } from '../helper.js';

const lastEntry = async (app: FastifyInstance) => (await app.inject({ url: '/__admin/requests?limit=1' })).json().requests[0];
const detail = (res: { json(): { errors: { detail: string }[] } }) => res.json().errors[0].detail;
const ALL_ACCESS = '00000000-0000-4000-8000-000000000000';

t.test('--version-check strict (the default): each refusal names the switch that relaxes it', async (t) => {
  const app = await buildApp(t);
  const get = (q: string) => call(app, { url: `/rest/self${q}` });
  const future = await get('?version=2099-01-01');
  t.equal(future.statusCode, 400);
  t.match(detail(future), /requested version newer than present date \d{4}-\d{2}-\d{2} \(start with --version-check=lenient to accept any date\)$/);
  const unmatched = await get('?version=2020-01-01');
  t.equal(unmatched.statusCode, 404);
  t.match(detail(unmatched), /no matching version for "2020-01-01" \(start with --version-check=lenient to accept any well-formed version\)$/);
  const missing = await get('');
  t.equal(missing.statusCode, 400);
  t.match(detail(missing), /missing required query parameter 'version' \(start with --version-check=off to serve requests without a valid version\)$/);
  t.match(detail(await get('?version=bad')), /invalid version "bad" \(start with --version-check=off/);
  t.same((await app.inject({ url: '/__admin/switches' })).json(), { version_check: 'strict', auth: 'strict' });
});

t.test('--version-check lenient: any well-formed version, served the newest release', async (t) => {
  const app = await buildApp(t, { settings: { versionCheck: 'lenient' } });
  const future = await call(app, { url: '/rest/self?version=2099-01-01' });
  t.equal(future.statusCode, 200);
  t.match(future.headers, { 'snyk-version-requested': '2099-01-01', 'snyk-version-served': '2024-04-22', 'snyk-version-lifecycle-stage': 'ga' });
  t.equal((await lastEntry(app)).switch, 'version-check=lenient', 'the journal says which switch let it through');
  const old = await call(app, { url: `${orgPath()}?version=2020-01-01~beta` });
  t.equal(old.statusCode, 200, 'before the first release');
  t.equal(old.headers['snyk-version-served'], '2023-09-07');
  t.equal((await call(app, { url: '/rest/self?version=2024-10-15' })).statusCode, 200);
  t.notOk((await lastEntry(app)).switch, 'a version strict would accept: no switch acted');
  const missing = await call(app, { url: '/rest/self' });
  t.equal(missing.statusCode, 400, 'lenient still needs a version');
  t.match(detail(missing), /--version-check=off/);
});

t.test('--version-check off: no version needed; the headers say what was served', async (t) => {
  const app = await buildApp(t, { settings: { versionCheck: 'off' } });
  const none = await call(app, { url: orgPath() });
  t.equal(none.statusCode, 200);
  t.match(none.headers, { 'snyk-version-requested': '2023-09-07', 'snyk-version-served': '2023-09-07' });
  t.match(none.json().links.self, /version=2023-09-07/, 'links carry the served version');
  t.equal((await lastEntry(app)).switch, 'version-check=off');
  t.equal((await call(app, { url: '/rest/self?version=garbage' })).statusCode, 200, 'a malformed one is ignored');
});

t.test('--auth strict (the default): each refusal names the switch that relaxes it', async (t) => {
  const app = await buildApp(t);
  const self = (headers: Record<string, string>) => app.inject({ url: `/rest/self?version=${V}`, headers });
  const none = await self({});
  t.equal(none.statusCode, 401);
  t.match(detail(none), /\(start with --auth=off to accept requests without a credential\)$/);
  const unknown = await self({ authorization: 'token 00000000-0000-4000-8000-00000000dead' });
  t.equal(unknown.statusCode, 401);
  t.match(detail(unknown), /\(start with --auth=presence to accept any well-formed credential\)$/);
  const malformed = await self({ authorization: 'Basic abc' });
  t.equal(malformed.statusCode, 400);
  t.match(detail(malformed), /--auth=off/);
});

t.test('--auth presence: an unknown well-formed credential acts as the all-access user', async (t) => {
  const app = await buildApp(t, { settings: { auth: 'presence' } });
  const me = await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: 'token anything-at-all' } });
  t.equal(me.statusCode, 200);
  t.match(me.json().data, { id: ALL_ACCESS, type: 'user', attributes: { username: 'all-access' } });
  t.equal((await lastEntry(app)).switch, 'auth=presence');
  t.same((await lastEntry(app)).principal, { type: 'user', id: ALL_ACCESS });
  const created = await app.inject({
    method: 'POST',
    url: `${orgPath(IDS.otherOrg)}?version=${V}`,
    headers: { authorization: 'bearer whatever', 'content-type': 'application/vnd.api+json' },
    payload: createBody({ name: 'by-presence', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201, 'all access: any org, any action');
  const viewer = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    token: TOKENS.viewer,
    payload: createBody({ name: 'by-viewer', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(viewer.statusCode, 403, 'a known credential is still its own principal');
  t.notOk((await lastEntry(app)).switch);
  const none = await app.inject({ url: `/rest/self?version=${V}` });
  t.equal(none.statusCode, 401, 'presence needs a credential');
  t.match(detail(none), /--auth=off/);
  t.equal((await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: 'Basic abc' } })).statusCode, 400, 'a well-formed one');
});

t.test('--auth off: no credential needed', async (t) => {
  const app = await buildApp(t, { settings: { auth: 'off' } });
  const me = await app.inject({ url: `/rest/self?version=${V}` });
  t.equal(me.statusCode, 200);
  t.equal(me.json().data.id, ALL_ACCESS);
  t.equal((await lastEntry(app)).switch, 'auth=off');
  t.equal((await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: 'Basic abc' } })).statusCode, 200, 'a malformed header is ignored');
  t.equal((await app.inject({ url: '/rest/self' })).statusCode, 400, 'the version gate is its own switch');
});

t.test('both switches on one request, changed at run time', async (t) => {
  const app = await buildApp(t);
  const set = await app.inject({ method: 'POST', url: '/__admin/switches', payload: { auth: 'off', version_check: 'off' } });
  t.same(set.json(), { version_check: 'off', auth: 'off' });
  t.equal((await app.inject({ url: '/rest/self' })).statusCode, 200);
  t.equal((await lastEntry(app)).switch, 'auth=off, version-check=off');
  t.same(
    (await app.inject({ method: 'POST', url: '/__admin/switches', payload: { auth: 'strict' } })).json(),
    { version_check: 'off', auth: 'strict' },
    'the other switch keeps its value',
  );
  t.equal((await app.inject({ url: '/rest/self' })).statusCode, 401);
});

t.test('bad switch values are 400 ErrorDocuments', async (t) => {
  const app = await buildApp(t);
  for (const [body, pointer] of [
    [{ auth: 'maybe' }, '/auth'],
    [{ version_check: 'loose' }, '/version_check'],
    [{ auth: 'off', verbose: true }, '/verbose'],
    [{}, '/'],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/__admin/switches', payload: body });
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.match(res.json().errors[0], { status: '400', source: { pointer } }, JSON.stringify(body));
  }
  t.same((await app.inject({ url: '/__admin/switches' })).json(), { version_check: 'strict', auth: 'strict' });
});

t.test('with an admin secret, every test control needs it', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 'controls-secret' } });
  const routes: [string, string, object?][] = [
    ['GET', '/__admin/requests'],
    ['GET', '/__admin/requests/count'],
    ['DELETE', '/__admin/requests'],
    ['GET', '/__admin/clock'],
    ['POST', '/__admin/clock', { advance: '1m' }],
    ['DELETE', '/__admin/clock'],
    ['GET', '/__admin/faults'],
    ['POST', '/__admin/faults', { status: 503, times: 1, path: '/nowhere' }],
    ['DELETE', '/__admin/faults'],
    ['GET', '/__admin/rate-limit'],
    ['POST', '/__admin/rate-limit', { enabled: false }],
    ['GET', '/__admin/switches'],
    ['POST', '/__admin/switches', { auth: 'strict' }],
  ];
  for (const [method, url, payload] of routes) {
    const denied = await app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
    t.equal(denied.statusCode, 401, `${method} ${url} without the secret`);
    const allowed = await app.inject({ method: method as 'GET', url, headers: { authorization: 'Bearer controls-secret' }, ...(payload ? { payload } : {}) });
    t.ok([200, 201, 204].includes(allowed.statusCode), `${method} ${url} with it: ${allowed.statusCode}`);
  }
});
