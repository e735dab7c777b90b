// Snyk's gates on every /rest route, and their order: authentication → version → schema validation
// → permission → handler. Also the routes outside the gates: health, unknown routes, wrong methods.
import t from 'tap';
import { auth, buildApp, call, createBody, IDS, orgPath, TOKENS, V } from '../helper.js';
import { principalOf } from '../../src/plugins/authentication.js';
import { apiVersionOf } from '../../src/plugins/versioning.js';
import { errorDocumentErrors } from '../support/spec.js';

const list = `${orgPath()}?version=${V}`;
const validCreate = createBody({ name: 'gate-test', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' });

t.test('authentication', async (t) => {
  const app = await buildApp(t);
  const get = (authorization?: string) => app.inject({ url: list, headers: authorization === undefined ? {} : { authorization } });

  const missing = await get();
  t.equal(missing.statusCode, 401);
  t.match(missing.json().errors[0], { code: 'SNYK-0005', title: 'Authentication error', status: '401' });
  t.same(errorDocumentErrors(missing.json()), []);
  t.notOk(missing.headers['snyk-version-served'], 'no version headers when the version was not resolved');
  t.match(missing.headers['snyk-request-id'], /^[0-9a-f-]{36}$/);

  t.equal((await get('token 00000000-0000-4000-8000-000000000000')).statusCode, 401, 'unknown token');
  t.equal((await get('')).statusCode, 401, 'empty header');
  for (const bad of ['Basic dXNlcjpwYXNz', TOKENS.admin, 'token', 'token a b', 'Digest x']) {
    const res = await get(bad);
    t.equal(res.statusCode, 400, `malformed: ${bad}`);
    t.equal(res.json().errors[0].code, 'SNYK-OPENAPI-0001');
  }
  for (const scheme of ['token', 'TOKEN', 'Token', 'bearer', 'Bearer']) {
    t.equal((await get(`${scheme} ${TOKENS.admin}`)).statusCode, 200, `scheme ${scheme} is case-insensitive`);
  }
  t.equal((await get('token demo-secret-frontend-deployer')).statusCode, 401, 'a client secret is not an API credential');
});

t.test('version gate', async (t) => {
  const app = await buildApp(t);
  const get = (query: string) => call(app, { url: `${orgPath()}${query}` });

  const missing = await get('');
  t.equal(missing.statusCode, 400);
  t.same(missing.json().errors[0].source, { parameter: 'version' });
  t.match(missing.json().errors[0].detail, /missing required query parameter 'version'/);
  t.equal((await get('?version=bad-wolf')).statusCode, 400);
  t.equal((await get('?version=2099-01-01')).statusCode, 400, 'a date after today');
  const early = await get('?version=2023-09-06');
  t.equal(early.statusCode, 404, 'before the first release of service accounts');
  t.notOk(early.headers['snyk-version-served']);
  t.equal((await get('?version=2024-10-15~beta')).statusCode, 404, 'a suffix on or after 2024-10-15');

  const ok = await get('?version=2024-06-01~beta');
  t.equal(ok.statusCode, 200);
  t.match(ok.headers, { 'snyk-version-requested': '2024-06-01~beta', 'snyk-version-served': '2023-09-07', 'snyk-version-lifecycle-stage': 'ga' });

  const self = await call(app, { url: '/rest/self?version=2024-01-01' });
  t.equal(self.statusCode, 404, '/self has its own releases: no GA before 2024-04-22');
  const selfExp = await call(app, { url: '/rest/self?version=2023-01-01~experimental' });
  t.equal(selfExp.statusCode, 200);
  t.match(selfExp.headers, {
    'snyk-version-served': '2022-09-14~experimental',
    'snyk-version-lifecycle-stage': 'sunset',
    deprecation: '2024-04-22T00:00:00Z',
    sunset: '2024-04-23',
  });
});

t.test('media type and body parsing', async (t) => {
  const app = await buildApp(t);
  const post = (headers: Record<string, string>, payload: string) => call(app, { method: 'POST', url: list, headers, payload });
  const body = JSON.stringify(validCreate);

  for (const type of ['application/json', 'text/plain', 'application/x-www-form-urlencoded']) {
    const res = await post({ 'content-type': type }, body);
    t.equal(res.statusCode, 400, type);
    t.match(res.json().errors[0].detail, /^Client request did not conform to OpenAPI specification/);
  }
  const noType = await app.inject({ method: 'POST', url: list, headers: { authorization: `token ${TOKENS.admin}` }, payload: Buffer.from(body) });
  t.equal(noType.statusCode, 400, 'no content type');
  t.equal((await post({ 'content-type': 'application/vnd.api+json' }, '{"data":')).statusCode, 400, 'truncated JSON');
  t.equal((await post({ 'content-type': 'application/vnd.api+json' }, '')).statusCode, 400, 'empty body');
  t.equal((await post({ 'content-type': 'application/vnd.api+json' }, '{"__proto__":{"x":1},"data":{}}')).statusCode, 400, 'prototype poisoning refused');
  const big = JSON.stringify(createBody({ name: 'x'.repeat(2 * 1024 * 1024), role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }));
  const tooBig = await post({ 'content-type': 'application/vnd.api+json' }, big);
  t.equal(tooBig.statusCode, 413);
  t.equal(tooBig.json().errors[0].code, 'SNYK-OPENAPI-0006');

  const withCharset = await post({ 'content-type': 'application/vnd.api+json; charset=utf-8' }, body);
  t.equal(withCharset.statusCode, 201, 'media type parameters are fine');
  t.equal((await call(app, { url: list, headers: { accept: 'text/html' } })).statusCode, 200, 'the Accept header is ignored');
});

t.test('gate order', async (t) => {
  const app = await buildApp(t);
  // authentication before version
  t.equal((await app.inject({ url: `${orgPath()}?version=bad` })).statusCode, 401);
  // version before schema validation (an unknown parameter would be a 400 too, but about the version)
  const v = await call(app, { url: `${orgPath()}?version=2023-01-01&unknown=1` });
  t.equal(v.statusCode, 404);
  t.same(v.json().errors[0].source, { parameter: 'version' });
  // version before the media type
  const m = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=2099-01-01`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(validCreate),
  });
  t.same(m.json().errors[0].source, { parameter: 'version' });
  // schema validation before permission: the viewer's invalid create is a 400, its valid one a 403
  const invalid = await call(app, { method: 'POST', url: list, token: TOKENS.viewer, payload: createBody({ name: 'x' }) });
  t.equal(invalid.statusCode, 400);
  const valid = await call(app, { method: 'POST', url: list, token: TOKENS.viewer, payload: validCreate });
  t.equal(valid.statusCode, 403);
  t.equal(valid.headers['snyk-version-served'], '2023-09-07', 'version headers once the version resolved, errors included');
  // permission before the account lookup: an unknown account in an invisible org is 404 for the org
  const hidden = await call(app, { url: `${orgPath(IDS.otherOrg, '00000000-0000-4000-8000-0000000000ff')}?version=${V}` });
  t.equal(hidden.statusCode, 404);
  t.same(hidden.json().errors[0].source, { parameter: 'org_id' });
});

t.test('outside the gates: health, unknown routes, wrong methods', async (t) => {
  const app = await buildApp(t);
  const health = await app.inject({ url: '/__admin/health' });
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });

  for (const url of ['/rest/nope', '/nope', `/rest/orgs/${IDS.frontend}/projects?version=${V}`]) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.equal(res.json().errors[0].code, 'SNYK-OPENAPI-0004');
    t.same(errorDocumentErrors(res.json()), []);
  }
  const put = await call(app, { method: 'PUT', url: list, payload: validCreate });
  t.equal(put.statusCode, 405);
  t.equal(put.json().errors[0].code, 'SNYK-OPENAPI-0005');
  t.match(put.headers.allow, /GET/);
  t.match(put.headers.allow, /POST/);
  const postOne = await call(app, { method: 'POST', url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}`, payload: validCreate });
  t.equal(postOne.statusCode, 405);
  t.match(postOne.headers.allow, /PATCH/);

  const ids = new Set<string>();
  for (let i = 0; i < 5; i++) ids.add((await app.inject({ url: '/__admin/health' })).headers['snyk-request-id'] as string);
  t.equal(ids.size, 5, 'a new snyk-request-id per request');
});

t.test('/rest/self for a user', async (t) => {
  const app = await buildApp(t);
  const res = await call(app, { url: `/rest/self?version=${V}` });
  t.equal(res.statusCode, 200);
  t.match(res.json().data, {
    id: IDS.users.admin,
    type: 'user',
    attributes: { name: 'Demo Admin', email: /@/, username: 'demo-admin', default_org_context: IDS.frontend },
  });
  t.equal(res.headers['snyk-version-served'], '2024-04-22');
  const viaKey = await call(app, { url: `/rest/self?version=${V}`, token: TOKENS.frontendCi });
  t.same(viaKey.json().data.attributes, { name: 'frontend-ci', default_org_context: IDS.frontend });
});

t.test('a route that reads the principal or the version without its gate gets a 401 / 400, not a crash', async (t) => {
  const app = await buildApp(t);
  app.get('/__ungated/principal', async (req) => ({ id: principalOf(req).id }));
  app.get('/__ungated/version', async (req) => ({ version: apiVersionOf(req) }));
  const who = await app.inject({ url: '/__ungated/principal', headers: auth() });
  t.equal(who.statusCode, 401);
  t.match(who.json(), { errors: [{ status: '401', detail: /requires an authentication token/ }] });
  const version = await app.inject({ url: `/__ungated/version?version=${V}` });
  t.equal(version.statusCode, 400);
  t.match(version.json(), { errors: [{ status: '400', source: { parameter: 'version' } }] });
});
