// The one JSON body parser (plugins/json-body.ts over snyk/json-input.ts): a body nested past 64
// levels is a 400 ErrorDocument on every route that reads JSON, at any depth (tested at 100,000),
// and changes nothing; a prototype-changing member is refused with a message that says so, not
// "not valid JSON"; the same rules for a fixtures document and a client assertion's header.
import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { build } from '../../src/app.js';
import { FixtureError, parseFixtures } from '../../src/store/seed.js';
import { buildApp, call, IDS, orgPath, testSettings, V } from '../helper.js';
import { assertionForm, CLIENTS, oauthPost, type Tap } from '../support/oauth.js';

const DEEP = 100_000;
const arrays = (n: number, inner = '') => '['.repeat(n) + inner + ']'.repeat(n);
const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const TOO_DEEP = /^Client request did not conform to OpenAPI specification: the request body is nested more than 64 levels deep/;

const send = (app: FastifyInstance, method: 'POST' | 'PATCH', url: string, payload: string, contentType = 'application/json') =>
  call(app, { method, url, payload, headers: { 'content-type': contentType } });

function tooDeep(t: Tap, res: LightMyRequestResponse, what: string) {
  t.equal(res.statusCode, 400, `${what}: 400 (${res.body.slice(0, 160)})`);
  t.match(res.headers['content-type'], /^application\/vnd\.api\+json/, `${what}: an ErrorDocument`);
  t.match(res.json(), { jsonapi: { version: '1.0' }, errors: [{ status: '400', detail: TOO_DEEP, source: { pointer: '/' } }] }, what);
}

/** The accounts of acme-frontend, by name. */
const names = async (app: FastifyInstance) =>
  (await call(app, { url: `${orgPath()}?version=${V}&limit=100` }))
    .json()
    .data.map((d: { attributes: { name: string } }) => d.attributes.name)
    .sort();

t.test('a body nested 100,000 levels deep: a 400 ErrorDocument on /__admin/seed, and nothing changes', async (t) => {
  const app = await buildApp(t);
  const before = await names(app);
  t.ok(before.includes('frontend-ci'));
  const state = (await app.inject({ url: '/__admin/state' })).json();
  for (const [what, body] of [
    ['arrays at the top', arrays(DEEP)],
    ['arrays in a member', `{"groups":${arrays(DEEP)}}`],
    ['objects', objects(DEEP)],
    ['4,000 arrays (the 500 of issue 19)', `{"groups":${arrays(4000)}}`],
    ['a state document', `{"schemaVersion":2,"groups":${arrays(DEEP)}}`],
  ] as const) {
    tooDeep(t, await send(app, 'POST', '/__admin/seed', body), what);
  }
  t.same(await names(app), before, 'the accounts are all still there');
  t.same((await app.inject({ url: '/__admin/state' })).json(), state, 'the state is as it was');
});

t.test('64 levels are read; 65 are refused (the bound, on the text, strings not counted)', async (t) => {
  const app = await buildApp(t);
  // 64 levels: read, then refused by the fixtures' own validation
  const at = await send(app, 'POST', '/__admin/seed', `{"groups":${arrays(63)}}`);
  t.equal(at.statusCode, 400);
  t.match(at.json().errors[0].detail, /^Invalid fixtures/, '64 levels reach the fixtures check');
  tooDeep(t, await send(app, 'POST', '/__admin/seed', `{"groups":${arrays(64)}}`), '65 levels');
  // brackets inside strings (escaped quotes too) are text, not nesting
  const inString = await send(app, 'POST', '/__admin/groups', JSON.stringify({ name: `q\\"${'['.repeat(200)}` }));
  t.equal(inString.statusCode, 201, inString.body);
});

t.test('every other admin POST, the REST writes and a path no route serves: 400 at 100,000 levels', async (t) => {
  const app = await buildApp(t);
  const body = `{"name":${arrays(DEEP)}}`;
  for (const route of ['groups', 'orgs', 'users', 'grants', 'faults', 'clock', 'rate-limit', 'switches']) {
    tooDeep(t, await send(app, 'POST', `/__admin/${route}`, body), `POST /__admin/${route}`);
  }
  const rest = { contentType: 'application/vnd.api+json', body: `{"data":{"type":"service_account","attributes":{"name":${arrays(DEEP)}}}}` };
  tooDeep(t, await send(app, 'POST', `${orgPath()}?version=${V}`, rest.body, rest.contentType), 'create');
  tooDeep(t, await send(app, 'PATCH', `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}`, rest.body, rest.contentType), 'rename');
  tooDeep(t, await send(app, 'POST', `${orgPath(IDS.frontend, IDS.sa.frontendDeployer)}/secrets?version=${V}`, objects(DEEP), rest.contentType), 'secrets');
  const nowhere = await send(app, 'POST', '/no/such/route', arrays(DEEP));
  t.equal(nowhere.statusCode, 400, 'a path no route serves reads its body with the same parser');
  t.match(nowhere.json().errors[0].detail, TOO_DEEP);
  t.same(
    (await call(app, { url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}` })).json().data.attributes.name,
    'frontend-ci',
    'the rename changed nothing',
  );
});

t.test('/oauth2 at 100,000 levels: a JSON body is refused (forms only), a client assertion nested past 64 is an invalid_client', async (t) => {
  const app = await buildApp(t);
  const json = await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/json' }, payload: arrays(DEEP) });
  t.equal(json.statusCode, 400);
  t.match(json.json(), { error: 'invalid_request', error_description: /Content-Type: application\/x-www-form-urlencoded/ });
  // a form holds 64 KiB: a 100,000-level assertion is too large to be read at all
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const assertion = (header: string) =>
    `${b64(header)}.${b64(JSON.stringify({ iss: CLIENTS.frontendSigner.id, sub: CLIENTS.frontendSigner.id, exp: 9_999_999_999, jti: 'j' }))}.${b64('sig')}`;
  const huge = await oauthPost(app, 'token', assertionForm(assertion(`{"alg":${arrays(DEEP)},"kid":"k"}`)));
  t.equal(huge.statusCode, 413);
  t.match(huge.json(), { error: 'invalid_request' });
  // the deepest that fits (20,000 levels): the header was turned into text (a 500) before
  for (const header of [`{"alg":${arrays(20_000)},"kid":"k"}`, `{"alg":"RS256","kid":${arrays(65)}}`]) {
    const res = await oauthPost(app, 'token', assertionForm(assertion(header)));
    t.equal(res.statusCode, 401, res.body.slice(0, 200));
    t.same(res.json(), {
      error: 'invalid_client',
      error_description: "client_assertion's header is nested more than 64 levels deep (arrays in arrays, objects in objects).",
    });
  }
});

t.test('a __proto__ or constructor.prototype member: refused, and the message says which and where', async (t) => {
  const app = await buildApp(t);
  const before = await names(app);
  for (const [url, contentType, body, pointer, member] of [
    ['/__admin/seed', 'application/json', '{"__proto__":{"polluted":1}}', '/__proto__', '__proto__'],
    [
      '/__admin/seed',
      'application/json',
      '{"groups":[{"id":"x","name":"y","constructor":{"prototype":{"polluted":1}}}]}',
      '/groups/0/constructor',
      'constructor',
    ],
    ['/__admin/groups', 'application/json', '{"name":"g","a/b~c":{"__proto__":[]}}', '/a~1b~0c/__proto__', '__proto__'],
    [
      `${orgPath()}?version=${V}`,
      'application/vnd.api+json',
      '{"data":{"type":"service_account","attributes":{"name":"p","__proto__":{"role_id":"x"}}}}',
      '/data/attributes/__proto__',
      '__proto__',
    ],
  ] as const) {
    const res = await send(app, 'POST', url, body, contentType);
    t.equal(res.statusCode, 400, `${url} ${body}`);
    const [error] = res.json().errors;
    t.equal(error.source.pointer, pointer);
    t.match(error.detail, new RegExp(`has a member named "${member}".*which is refused: merged into another object it could change that object's prototype`));
    t.notMatch(error.detail, /not valid JSON/);
  }
  t.same(await names(app), before, 'nothing was created or replaced');
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was touched');
  // a constructor member that holds no prototype is data like any other, left to the route's own checks
  const plain = await send(app, 'POST', '/__admin/seed', '{"constructor":1}');
  t.equal(plain.statusCode, 400);
  t.match(plain.json().errors[0].detail, /^Invalid fixtures: \/constructor/);
  // a byte order mark before the JSON is dropped, as before
  t.equal((await send(app, 'POST', '/__admin/groups', '\uFEFF{"name":"bom"}')).statusCode, 201);
  // malformed JSON is still said to be malformed
  const broken = await send(app, 'POST', '/__admin/seed', '{"groups":[');
  t.match(broken.json().errors[0], { status: '400', detail: /the request body is not valid JSON$/, source: { pointer: '/' } });
});

t.test('fixtures documents obey the same rules: in-process, and a file at start', async (t) => {
  const deep: unknown[] = [];
  let inner = deep;
  for (let i = 0; i < DEEP; i++) inner = (inner[0] = []) as unknown[];
  t.throws(() => parseFixtures({ groups: deep }, 'the fixtures option'), FixtureError);
  t.throws(() => parseFixtures({ groups: deep }), { errors: [{ pointer: '', detail: /^the document is nested more than 64 levels deep/ }] });
  const cyclic: Record<string, unknown> = { groups: [] };
  (cyclic.groups as unknown[]).push(cyclic);
  t.throws(() => parseFixtures(cyclic), { errors: [{ detail: /nested more than 64 levels/ }] }, 'a cycle ends there too');
  await t.rejects(build(testSettings(), { logger: false, fixtures: { groups: deep } as never }), FixtureError);
  const file = join(mkdtempSync(join(tmpdir(), 'snyk-mock-deep-')), 'deep.json');
  writeFileSync(file, `{"groups":${arrays(DEEP)}}`);
  await t.rejects(build(testSettings({ fixtures: file }), { logger: false }), { name: 'FixtureError', message: /deep\.json.*nested more than 64 levels deep/ });
  writeFileSync(file, '{"groups":[],"__proto__":{"x":1}}');
  await t.rejects(build(testSettings({ fixtures: file }), { logger: false }), { message: /\/__proto__: the document has a member named "__proto__"/ });
});

t.test('a body nested to the bound is journaled and read back whole', async (t) => {
  const app = await buildApp(t);
  const nested = JSON.parse(`{"data":{"type":"service_account","attributes":{"name":"n","x":${arrays(60)}}}}`);
  const res = await call(app, { method: 'POST', url: `${orgPath()}?version=${V}`, payload: nested });
  t.equal(res.statusCode, 400);
  const [entry] = (await app.inject({ url: '/__admin/requests?limit=1' })).json().requests;
  t.same(entry.body, nested);
});
