// Conformance through an independent validator: Stoplight Prism's validation proxy, in front of
// the in-process mock, checks every response against the official spec extract. Every operation
// is driven through it, each success and each error path, for both levels, and /self; any
// response-side violation fails, except the deliberate deviations the README lists (403 on
// create, 409 on create and rename, 405, 413). Prism answers malformed JSON itself: those cases are
// left to the direct tests (test/routes/gates.test.ts).
import t, { type Test } from 'tap';
import { request } from 'undici';
import { startMockServer } from '../../src/index.js';
import { createBody, IDS, TOKENS, V } from '../helper.js';
import { errorDocumentErrors } from '../support/spec.js';
import { startPrism, violationsOf, type Violation } from '../support/prism.js';

// Prism's start is most of this file's time (~30 s alone on a quiet 2-core machine): 6× that
t.setTimeout(180_000);
const mock = await startMockServer();
t.teardown(() => mock.close());
const port = new URL(mock.url).port;
// reached as snyk-mock.localhost: see test/support/prism-preload.cjs
const prism = await startPrism(t, `http://snyk-mock.localhost:${port}/rest`);

/** The deliberate deviations of the README: a status the spec does not declare for the operation. */
type Deviation = 'create-403' | 'create-409' | 'rename-409' | '405' | '413';
const UNDECLARED_STATUS = /status code|response code|not.*defined|match.*returned/i;

interface Sent {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
  violations: Violation[];
}

let requests = 0;
async function send(method: string, path: string, opts: { token?: string | null; body?: unknown; raw?: string; query?: string } = {}): Promise<Sent> {
  const { token = TOKENS.admin, body, raw, query = `version=${V}` } = opts;
  const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const res = await request(`${prism}${path}${query ? `?${query}` : ''}`, {
    method: method as 'GET',
    headers: {
      ...(token ? { authorization: `token ${token}` } : {}),
      ...(payload !== undefined ? { 'content-type': 'application/vnd.api+json' } : {}),
    },
    body: payload,
  });
  requests++;
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: text ? JSON.parse(text) : undefined, violations: violationsOf(res.headers) };
}

/** Asserts the status and that Prism found nothing wrong with the response (but a listed deviation). */
function conforms(t: Test, label: string, res: Sent, status: number, deviation?: Deviation) {
  t.equal(res.status, status, `${label} → ${status} ${JSON.stringify(res.body)?.slice(0, 200)}`);
  const response = res.violations.filter((v) => v.location[0] === 'response');
  if (deviation) {
    // Prism cannot pick a response schema for an undeclared status (and for 405 it matched no
    // operation at all), so the body is checked here against the spec's ErrorDocument
    t.ok(
      response.every((v) => UNDECLARED_STATUS.test(v.message)),
      `${label}: only the listed deviation (${deviation}) is reported: ${JSON.stringify(res.violations)}`,
    );
    t.same(errorDocumentErrors(res.body), [], `${label}: an ErrorDocument`);
    return;
  }
  t.same(response, [], `${label}: no response violation`);
}

/** For a request the client got right, Prism must see no request violation either. */
function validRequest(t: Test, label: string, res: Sent) {
  t.same(
    res.violations.filter((v) => v.location[0] === 'request'),
    [],
    `${label}: the request itself conforms`,
  );
}

const LEVELS = [
  {
    level: 'Org',
    base: `/orgs/${IDS.frontend}/service_accounts`,
    foreign: `/orgs/${IDS.otherOrg}/service_accounts`,
    role: IDS.roles.orgAdmin,
    wrongRole: IDS.roles.groupAdmin,
  },
  {
    level: 'Group',
    base: `/groups/${IDS.acmeGroup}/service_accounts`,
    foreign: `/groups/${IDS.otherGroup}/service_accounts`,
    role: IDS.roles.groupAdmin,
    wrongRole: IDS.roles.orgAdmin,
  },
] as const;

const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
const MISSING = '00000000-0000-4000-8000-000000000000';

for (const c of LEVELS) {
  t.test(`${c.level}: every success path`, async (t) => {
    const ok = (label: string, res: Sent, status: number) => {
      conforms(t, label, res, status);
      validRequest(t, label, res);
      if (status !== 204 || c.level === 'Group')
        t.match(res.headers.location, new RegExp(`^http://snyk-mock\\.localhost:${port}/rest/`), `${label}: location is a URL`);
    };
    const created: Record<string, string> = {};
    const attributes: Record<string, Record<string, unknown>> = {
      api_key: {},
      oauth_client_secret: { access_token_ttl_seconds: 7200 },
      oauth_private_key_jwt: { jwks_url: 'https://keys.example/jwks.json' },
      access_token: { access_token_expires_at: future() },
    };
    for (const [auth_type, extra] of Object.entries(attributes)) {
      const res = await send('POST', c.base, { body: createBody({ name: `prism-${c.level}-${auth_type}`, role_id: c.role, auth_type, ...extra }) });
      ok(`create ${auth_type}`, res, 201);
      created[auth_type] = res.body.data.id;
    }
    for (let i = 0; i < 12; i++)
      await send('POST', c.base, { body: createBody({ name: `prism-${c.level}-page-${i}`, role_id: c.role, auth_type: 'api_key' }) });

    let page = await send('GET', c.base, { query: `version=${V}&limit=10` });
    ok('list', page, 200);
    let pages = 1;
    while (page.body.links.next) {
      page = await send('GET', page.body.links.next.split('?')[0], { query: page.body.links.next.split('?')[1] });
      ok(`list page ${++pages} (links.next)`, page, 200);
    }
    t.ok(pages >= 2, `paged through ${pages} pages`);
    const prev = await send('GET', page.body.links.prev.split('?')[0], { query: page.body.links.prev.split('?')[1] });
    ok('list (links.prev)', prev, 200);

    const id = created.oauth_client_secret;
    ok('get', await send('GET', `${c.base}/${id}`), 200);
    ok(
      'rename',
      await send('PATCH', `${c.base}/${id}`, { body: { data: { type: 'service_account', id, attributes: { name: `prism-${c.level}-renamed` } } } }),
      200,
    );
    ok('secrets replace', await send('POST', `${c.base}/${id}/secrets`, { body: { data: { type: 'service_account', attributes: { mode: 'replace' } } } }), 200);
    const second = await send('POST', `${c.base}/${id}/secrets`, { body: { data: { type: 'service_account', attributes: { mode: 'create' } } } });
    ok('secrets create', second, 200);
    ok(
      'secrets delete',
      await send('POST', `${c.base}/${id}/secrets`, {
        body: { data: { type: 'service_account', attributes: { mode: 'delete', secret: second.body.data.attributes.client_secret } } },
      }),
      200,
    );
    for (const [auth_type, sa] of Object.entries(created)) ok(`delete ${auth_type}`, await send('DELETE', `${c.base}/${sa}`), 204);
    conforms(t, 'get after delete', await send('GET', `${c.base}/${id}`), 404);
  });

  t.test(`${c.level}: every error path`, async (t) => {
    const body = (name: string, extra: Record<string, unknown> = {}) => createBody({ name, role_id: c.role, auth_type: 'oauth_client_secret', ...extra });
    const sa = (await send('POST', c.base, { body: body(`prism-${c.level}-errors`) })).body.data.id as string;
    const other = (await send('POST', c.base, { body: body(`prism-${c.level}-taken`) })).body.data.id as string;
    const apiKeyAccount = (await send('POST', c.base, { body: createBody({ name: `prism-${c.level}-key`, role_id: c.role, auth_type: 'api_key' }) })).body.data
      .id as string;
    const one = `${c.base}/${sa}`;
    const rename = (name: string, id = sa) => ({ data: { type: 'service_account', id, attributes: { name } } });
    const mode = (m: string, secret?: string) => ({ data: { type: 'service_account', attributes: { mode: m, ...(secret ? { secret } : {}) } } });
    const ops = [
      { name: 'list', method: 'GET', path: c.base, body: undefined },
      { name: 'create', method: 'POST', path: c.base, body: body('never-created') },
      { name: 'get', method: 'GET', path: one, body: undefined },
      { name: 'rename', method: 'PATCH', path: one, body: rename('never-renamed') },
      { name: 'secrets', method: 'POST', path: `${one}/secrets`, body: mode('create') },
      { name: 'delete', method: 'DELETE', path: one, body: undefined },
    ] as const;

    for (const op of ops) {
      // 401: no credential, an unknown one
      conforms(t, `${op.name} without a credential`, await send(op.method, op.path, { token: null, body: op.body }), 401);
      conforms(t, `${op.name} with an unknown token`, await send(op.method, op.path, { token: MISSING, body: op.body }), 401);
      // 400: version missing, malformed, in the future; an unknown query parameter
      conforms(t, `${op.name} without version`, await send(op.method, op.path, { body: op.body, query: '' }), 400);
      conforms(t, `${op.name} with a malformed version`, await send(op.method, op.path, { body: op.body, query: 'version=bad' }), 400);
      conforms(t, `${op.name} with a future version`, await send(op.method, op.path, { body: op.body, query: 'version=2999-01-01' }), 400);
      conforms(t, `${op.name} with an unknown query parameter`, await send(op.method, op.path, { body: op.body, query: `version=${V}&unknown=1` }), 400);
      // 404: a version before the first release; an org/group the caller cannot see
      conforms(t, `${op.name} before the first release`, await send(op.method, op.path, { body: op.body, query: 'version=2023-01-01' }), 404);
      conforms(t, `${op.name} on a foreign ${c.level}`, await send(op.method, op.path.replace(c.base, c.foreign), { body: op.body }), 404);
      // 400: a path id that is not a uuid
      conforms(
        t,
        `${op.name} with a bad owner id`,
        await send(op.method, op.path.replace(c.base, c.base.replace(/[0-9a-f-]{36}/, 'not-a-uuid')), { body: op.body }),
        400,
      );
    }
    // 403: the Group Viewer may read but not write
    conforms(t, 'create as a viewer', await send('POST', c.base, { token: TOKENS.viewer, body: body('viewer-create') }), 403, 'create-403');
    conforms(t, 'rename as a viewer', await send('PATCH', one, { token: TOKENS.viewer, body: rename('viewer-rename') }), 403);
    conforms(t, 'secrets as a viewer', await send('POST', `${one}/secrets`, { token: TOKENS.viewer, body: mode('create') }), 403);
    conforms(t, 'delete as a viewer', await send('DELETE', one, { token: TOKENS.viewer }), 403);
    conforms(t, 'list as a viewer (allowed)', await send('GET', c.base, { token: TOKENS.viewer }), 200);
    // 404: an account that does not exist
    for (const op of ops.filter((o) => o.path !== c.base)) {
      conforms(
        t,
        `${op.name} of a missing account`,
        await send(op.method, op.path.replace(sa, MISSING), { body: op.name === 'rename' ? rename('x', MISSING) : op.body }),
        404,
      );
    }
    // 400: bodies that break the schema or the rules the spec states in prose
    conforms(t, 'create without attributes', await send('POST', c.base, { body: { data: { type: 'service_account' } } }), 400);
    conforms(t, 'create with an unknown member', await send('POST', c.base, { body: { ...body('x'), extra: 1 } }), 400);
    conforms(t, 'create with a bad auth_type', await send('POST', c.base, { body: body('x', { auth_type: 'password' }) }), 400);
    conforms(t, 'create with a role of the other level', await send('POST', c.base, { body: body('x', { role_id: c.wrongRole }) }), 400);
    conforms(t, 'create private_key_jwt without jwks_url', await send('POST', c.base, { body: body('x', { auth_type: 'oauth_private_key_jwt' }) }), 400);
    conforms(t, 'create access_token without expiry', await send('POST', c.base, { body: body('x', { auth_type: 'access_token' }) }), 400);
    conforms(t, 'create with an empty name', await send('POST', c.base, { body: body(' ') }), 400);
    conforms(t, 'create without a body', await send('POST', c.base), 400);
    conforms(t, 'list with limit 5', await send('GET', c.base, { query: `version=${V}&limit=5` }), 400);
    conforms(t, 'list with a foreign cursor', await send('GET', c.base, { query: `version=${V}&starting_after=v1.bm9wZQ` }), 400);
    conforms(t, 'list with both cursors', await send('GET', c.base, { query: `version=${V}&starting_after=a&ending_before=b` }), 400);
    conforms(t, 'get with a bad account id', await send('GET', `${c.base}/not-a-uuid`), 400);
    conforms(t, 'rename with another data.id', await send('PATCH', one, { body: rename('x', other) }), 400);
    conforms(t, 'rename without attributes', await send('PATCH', one, { body: { data: { type: 'service_account', id: sa } } }), 400);
    conforms(t, 'secrets with a bad mode', await send('POST', `${one}/secrets`, { body: mode('rotate') }), 400);
    conforms(t, 'secrets delete without secret', await send('POST', `${one}/secrets`, { body: mode('delete') }), 400);
    conforms(t, 'secrets delete of the last secret', await send('POST', `${one}/secrets`, { body: mode('delete', 'not-a-secret') }), 400);
    conforms(t, 'secrets on an api_key account', await send('POST', `${c.base}/${apiKeyAccount}/secrets`, { body: mode('replace') }), 400);
    // deliberate deviations (README): 409 on duplicate names, 405, 413
    conforms(t, 'create with a taken name', await send('POST', c.base, { body: body(`prism-${c.level}-taken`) }), 409, 'create-409');
    conforms(t, 'rename to a taken name', await send('PATCH', one, { body: rename(`prism-${c.level}-taken`) }), 409, 'rename-409');
    conforms(t, 'PUT on an account', await send('PUT', one, { body: rename('x') }), 405, '405');
    conforms(t, 'an oversized body', await send('POST', c.base, { body: body('x'.repeat(1024 * 1024 + 10)) }), 413, '413');
  });
}

t.test('/self', async (t) => {
  conforms(t, 'self', await send('GET', '/self'), 200);
  conforms(t, 'self as a service account', await send('GET', '/self', { token: '5a000000-0000-4000-8000-00000000a001' }), 200);
  conforms(t, 'self without a credential', await send('GET', '/self', { token: null }), 401);
  conforms(t, 'self without version', await send('GET', '/self', { query: '' }), 400);
  conforms(t, 'self before its GA', await send('GET', '/self', { query: 'version=2024-01-01' }), 404);
  conforms(t, 'self with an unknown query parameter', await send('GET', '/self', { query: `version=${V}&x=1` }), 400);
});

t.test('requests went through Prism', async (t) => {
  t.ok(requests > 200, `${requests} requests validated`);
});
