// The 12 operations through HTTP, for both levels from one table, with every error each can return.
// Every response is also checked against the official spec with an independent validator (Ajv).
import t, { type Test } from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, call, createBody, IDS, TOKENS, V } from '../helper.js';
import { errorDocumentErrors, specErrors } from '../support/spec.js';

interface LevelCase {
  level: 'Org' | 'Group';
  owner: string;
  /** an org/group the demo admin cannot see */
  foreign: string;
  template: string;
  role: string;
  /** a role of the other level */
  wrongRole: string;
  /** a seeded account of this owner */
  seeded: string;
}

const LEVELS: LevelCase[] = [
  {
    level: 'Org',
    owner: IDS.frontend,
    foreign: IDS.otherOrg,
    template: '/orgs/{org_id}/service_accounts',
    role: IDS.roles.orgAdmin,
    wrongRole: IDS.roles.groupAdmin,
    seeded: IDS.sa.frontendCi,
  },
  {
    level: 'Group',
    owner: IDS.acmeGroup,
    foreign: IDS.otherGroup,
    template: '/groups/{group_id}/service_accounts',
    role: IDS.roles.groupAdmin,
    wrongRole: IDS.roles.orgAdmin,
    seeded: IDS.sa.groupAdminBot,
  },
];

const base = (c: LevelCase, owner = c.owner) => `/rest/${c.level === 'Org' ? 'orgs' : 'groups'}/${owner}/service_accounts`;
const url = (c: LevelCase, id?: string, query = `version=${V}`, owner = c.owner) => `${base(c, owner)}${id ? `/${id}` : ''}?${query}`;

/** Asserts status, JSON:API media type, request id, and conformance with the spec's response schema. */
function expectResponse(t: Test, res: LightMyRequestResponse, status: number, method: string, template: string) {
  t.equal(res.statusCode, status, `${method} ${template} → ${status}: ${res.body.slice(0, 300)}`);
  t.match(res.headers['snyk-request-id'], /^[0-9a-f-]{36}$/, 'snyk-request-id');
  if (status !== 204) {
    t.match(res.headers['content-type'], /^application\/vnd\.api\+json/);
    t.same(specErrors(method, template, status, res.json()), [], 'body matches the official spec');
  } else t.equal(res.body, '');
  return status === 204 ? undefined : res.json();
}

/** Error helper: status, catalog code and where it points. */
function expectError(t: Test, res: LightMyRequestResponse, status: number, code: string, source?: Record<string, string>) {
  t.equal(res.statusCode, status, res.body.slice(0, 400));
  const body = res.json();
  t.same(errorDocumentErrors(body), [], 'an ErrorDocument as the spec defines it');
  t.match(body.errors[0], { status: String(status), code, links: { about: /^https:\/\/docs\.snyk\.io\/scan-with-snyk\/error-catalog#/ } });
  if (source) t.same(body.errors[0].source, source);
  return body;
}

async function create(app: FastifyInstance, c: LevelCase, attributes: Record<string, unknown>, token?: string) {
  return call(app, { method: 'POST', url: url(c), payload: createBody({ role_id: c.role, ...attributes }), token });
}

for (const c of LEVELS) {
  t.test(`${c.level} level`, async (t) => {
    const app = await buildApp(t);
    const tpl = c.template;
    const one = `${tpl}/{serviceaccount_id}`;

    t.test('list', async (t) => {
      const res = await call(app, { url: url(c) });
      const body = expectResponse(t, res, 200, 'GET', tpl);
      t.ok(body.data.length > 0);
      t.ok(
        body.data.every((sa: { attributes: { level: string } }) => sa.attributes.level === c.level),
        `a ${c.level} list holds ${c.level}-level accounts only`,
      );
      t.equal(res.headers['snyk-version-served'], '2023-09-07');
      t.equal(res.headers.location, `http://localhost:80${base(c)}`, 'location: the origin called + /rest + the path');
      if (c.level === 'Group') t.same(body.meta, { access_tokens: { max_active_tokens: 3, max_expiry_days: 365 } });
      else t.notOk('meta' in body, 'the org list has no meta');
      for (const sa of body.data) {
        for (const secret of ['api_key', 'client_secret', 'access_token']) t.notOk(secret in sa.attributes, `${secret} never listed`);
      }
    });

    t.test('list limit and query validation', async (t) => {
      for (const limit of ['5', '15', '110', 'ten']) {
        expectError(t, await call(app, { url: url(c, undefined, `version=${V}&limit=${limit}`) }), 400, 'SNYK-OPENAPI-0001', { parameter: 'limit' });
      }
      expectError(t, await call(app, { url: url(c, undefined, `version=${V}&starting_after=garbage`) }), 400, 'SNYK-OPENAPI-0001', {
        parameter: 'starting_after',
      });
      expectError(t, await call(app, { url: url(c, undefined, `version=${V}&unknown=1`) }), 400, 'SNYK-OPENAPI-0001', { parameter: 'unknown' });
      const res = await call(app, { url: url(c, undefined, `version=${V}&limit=20`) });
      t.equal(res.statusCode, 200);
    });

    t.test('create, get, patch, delete', async (t) => {
      const res = await create(app, c, { name: `ci-${c.level}`, auth_type: 'api_key' });
      const created = expectResponse(t, res, 201, 'POST', tpl);
      const id = created.data.id;
      t.match(created.data.attributes, { name: `ci-${c.level}`, auth_type: 'api_key', role_id: c.role, level: c.level, api_key: /^[0-9a-f-]{36}$/ });
      t.ok(Date.parse(created.data.attributes.created_at) > 0);
      t.equal(res.headers.location, `http://localhost:80${base(c)}/${id}`);

      const got = expectResponse(t, await call(app, { url: url(c, id) }), 200, 'GET', one);
      t.equal(got.data.attributes.name, `ci-${c.level}`);
      t.notOk('api_key' in got.data.attributes, 'api_key shown on create only');

      const patched = await call(app, {
        method: 'PATCH',
        url: url(c, id),
        payload: { data: { type: 'service_account', id, attributes: { name: `renamed-${c.level}` } } },
      });
      t.equal(expectResponse(t, patched, 200, 'PATCH', one).data.attributes.name, `renamed-${c.level}`);
      t.equal((await call(app, { url: url(c, id) })).json().data.attributes.name, `renamed-${c.level}`);

      const del = await call(app, { method: 'DELETE', url: url(c, id) });
      expectResponse(t, del, 204, 'DELETE', one);
      t.equal(del.headers.location !== undefined, c.level === 'Group', 'location on the group delete only, as in the spec');
      expectError(t, await call(app, { url: url(c, id) }), 404, 'SNYK-OPENAPI-0004', { parameter: 'serviceaccount_id' });
      expectError(t, await call(app, { method: 'DELETE', url: url(c, id) }), 404, 'SNYK-OPENAPI-0004');
    });

    t.test('create per auth type shows its credential once and omits fields without value', async (t) => {
      const oauth = expectResponse(
        t,
        await create(app, c, {
          name: `oauth-${c.level}`,
          auth_type: 'oauth_client_secret',
          access_token_ttl_seconds: 7200,
          jwks_url: 'https://ignored.example',
        }),
        201,
        'POST',
        tpl,
      );
      t.match(oauth.data.attributes, { client_id: /^[0-9a-f-]{36}$/, client_secret: /.{20,}/, access_token_ttl_seconds: 7200 });
      t.not(oauth.data.attributes.client_id, oauth.data.id, 'client_id is not the account id');
      t.notOk('jwks_url' in oauth.data.attributes, 'jwks_url ignored for oauth_client_secret');

      const jwt = expectResponse(
        t,
        await create(app, c, { name: `jwt-${c.level}`, auth_type: 'oauth_private_key_jwt', jwks_url: 'https://keys.example/jwks.json' }),
        201,
        'POST',
        tpl,
      );
      t.match(jwt.data.attributes, { jwks_url: 'https://keys.example/jwks.json', access_token_ttl_seconds: 3600, client_id: /./ });
      t.notOk('client_secret' in jwt.data.attributes);

      const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const at = expectResponse(
        t,
        await create(app, c, { name: `token-${c.level}`, auth_type: 'access_token', access_token_expires_at: expires, access_token_ttl_seconds: 4000 }),
        201,
        'POST',
        tpl,
      );
      t.match(at.data.attributes, { access_token: /^snyk_sat\.[a-z0-9]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, access_token_expires_at: expires });
      t.notOk('access_token_ttl_seconds' in at.data.attributes, 'ttl ignored for access_token');
      const payload = JSON.parse(Buffer.from(at.data.attributes.access_token.split('.')[2], 'base64url').toString());
      t.equal(payload.h, 'http://localhost:80', 'the token names the mock, scheme included, as its API host (h claim)');

      const key = expectResponse(t, await create(app, c, { name: `key-${c.level}`, auth_type: 'api_key', access_token_expires_at: expires }), 201, 'POST', tpl);
      t.notOk('access_token_expires_at' in key.data.attributes);
      t.notOk('client_id' in key.data.attributes);
    });

    t.test('create: rules the spec states in prose → 400', async (t) => {
      const bad = async (attrs: Record<string, unknown>, pointer: string) => expectError(t, await create(app, c, attrs), 400, 'SNYK-OPENAPI-0001', { pointer });
      const now = Date.now();
      await bad({ name: 'j1', auth_type: 'oauth_private_key_jwt' }, '/data/attributes/jwks_url');
      await bad({ name: 'j2', auth_type: 'oauth_private_key_jwt', jwks_url: 'http://keys.example/jwks' }, '/data/attributes/jwks_url');
      await bad({ name: 'j3', auth_type: 'oauth_private_key_jwt', jwks_url: 'not a url' }, '/data/attributes/jwks_url');
      await bad({ name: 'a1', auth_type: 'access_token' }, '/data/attributes/access_token_expires_at');
      await bad(
        { name: 'a2', auth_type: 'access_token', access_token_expires_at: new Date(now - 1000).toISOString() },
        '/data/attributes/access_token_expires_at',
      );
      await bad(
        { name: 'a3', auth_type: 'access_token', access_token_expires_at: new Date(now + 367 * 86_400_000).toISOString() },
        '/data/attributes/access_token_expires_at',
      );
      await bad({ name: 'a4', auth_type: 'access_token', access_token_expires_at: 'tomorrow' }, '/data/attributes/access_token_expires_at');
      await bad({ name: 't1', auth_type: 'oauth_client_secret', access_token_ttl_seconds: 3599 }, '/data/attributes/access_token_ttl_seconds');
      await bad({ name: 't2', auth_type: 'oauth_client_secret', access_token_ttl_seconds: 86401 }, '/data/attributes/access_token_ttl_seconds');
      await bad({ name: 'r1', auth_type: 'api_key', role_id: c.wrongRole }, '/data/attributes/role_id');
      await bad({ name: 'r2', auth_type: 'api_key', role_id: '00000000-0000-4000-8000-000000000000' }, '/data/attributes/role_id');
      await bad({ name: 'r3', auth_type: 'api_key', role_id: 'not-a-uuid' }, '/data/attributes/role_id');
      await bad({ name: '', auth_type: 'api_key' }, '/data/attributes/name');
      await bad({ name: '   ', auth_type: 'api_key' }, '/data/attributes/name');
      await bad({ name: 'x', auth_type: 'password' }, '/data/attributes/auth_type');
      await bad({ auth_type: 'api_key' }, '/data/attributes/name');
      await bad({ name: 'x', auth_type: 'api_key', extra: 1 }, '/data/attributes/extra');
      const names = (await call(app, { url: url(c, undefined, `version=${V}&limit=100`) }))
        .json()
        .data.map((s: { attributes: { name: string } }) => s.attributes.name);
      t.notOk(
        names.some((n: string) => /^(j\d|a\d|t\d|r\d|x)$/.test(n)),
        'nothing was created by a rejected request',
      );
    });

    t.test('create: body shape', async (t) => {
      expectError(
        t,
        await call(app, {
          method: 'POST',
          url: url(c),
          payload: { data: { type: 'other', attributes: { name: 'n', role_id: c.role, auth_type: 'api_key' } } },
        }),
        400,
        'SNYK-OPENAPI-0001',
        { pointer: '/data/type' },
      );
      expectError(t, await call(app, { method: 'POST', url: url(c), payload: { data: { attributes: {} } }, headers: {} }), 400, 'SNYK-OPENAPI-0001');
      expectError(t, await call(app, { method: 'POST', url: url(c), payload: { nodata: 1 } }), 400, 'SNYK-OPENAPI-0001', { pointer: '/data' });
      const noType = await call(app, {
        method: 'POST',
        url: url(c),
        payload: { data: { attributes: { name: `typeless-${c.level}`, role_id: c.role, auth_type: 'api_key' } } },
      });
      // the spec: org create makes data.type optional, group create requires it
      t.equal(noType.statusCode, c.level === 'Org' ? 201 : 400);
    });

    t.test('names are unique per owner: 409 on create and on patch', async (t) => {
      const first = (await create(app, c, { name: `dup-${c.level}`, auth_type: 'api_key' })).json();
      expectError(t, await create(app, c, { name: `dup-${c.level}`, auth_type: 'api_key' }), 409, 'SNYK-OPENAPI-0009', { pointer: '/data/attributes/name' });
      const other = (await create(app, c, { name: `other-${c.level}`, auth_type: 'api_key' })).json();
      const patch = (id: string, name: string) =>
        call(app, { method: 'PATCH', url: url(c, id), payload: { data: { type: 'service_account', id, attributes: { name } } } });
      expectError(t, await patch(other.data.id, `dup-${c.level}`), 409, 'SNYK-OPENAPI-0009');
      t.equal((await patch(first.data.id, `dup-${c.level}`)).statusCode, 200, 'renaming to its own name is fine');
      // the same name under another owner is allowed
      const elsewhere = c.level === 'Org' ? { ...c, owner: IDS.backend } : undefined;
      if (elsewhere) t.equal((await create(app, elsewhere, { name: `dup-${c.level}`, auth_type: 'api_key' })).statusCode, 201);
    });

    t.test('patch errors', async (t) => {
      const id = c.seeded;
      const patch = (payload: object, target = id) => call(app, { method: 'PATCH', url: url(c, target), payload });
      expectError(
        t,
        await patch({
          data: { type: 'service_account', id: IDS.sa.frontendDeployer === id ? IDS.sa.frontendCi : IDS.sa.frontendDeployer, attributes: { name: 'x' } },
        }),
        400,
        'SNYK-OPENAPI-0001',
        { pointer: '/data/id' },
      );
      expectError(t, await patch({ data: { type: 'service_account', id, attributes: { name: '' } } }), 400, 'SNYK-OPENAPI-0001', {
        pointer: '/data/attributes/name',
      });
      expectError(t, await patch({ data: { type: 'service_account', id, attributes: { name: 'x', role_id: c.role } } }), 400, 'SNYK-OPENAPI-0001', {
        pointer: '/data/attributes/role_id',
      });
      expectError(t, await patch({ data: { type: 'service_account', attributes: { name: 'x' } } }), 400, 'SNYK-OPENAPI-0001', { pointer: '/data/id' });
      const missing = '00000000-0000-4000-8000-0000000000ff';
      expectError(t, await patch({ data: { type: 'service_account', id: missing, attributes: { name: 'x' } } }, missing), 404, 'SNYK-OPENAPI-0004');
    });

    t.test('an account of another owner is 404 through this owner', async (t) => {
      const otherOwnerAccount = c.level === 'Org' ? IDS.sa.groupAdminBot : IDS.sa.frontendCi;
      expectError(t, await call(app, { url: url(c, otherOwnerAccount) }), 404, 'SNYK-OPENAPI-0004');
      expectError(t, await call(app, { url: url(c, 'not-a-uuid') }), 400, 'SNYK-OPENAPI-0001', { parameter: 'serviceaccount_id' });
    });

    t.test('secrets: replace, create (max 2), delete (one must remain)', async (t) => {
      const created = (await create(app, c, { name: `rot-${c.level}`, auth_type: 'oauth_client_secret' })).json();
      const id = created.data.id;
      const first = created.data.attributes.client_secret;
      const secrets = (attributes: Record<string, unknown>, target = id) =>
        call(app, { method: 'POST', url: `${base(c)}/${target}/secrets?version=${V}`, payload: { data: { type: 'service_account', attributes } } });
      const sTpl = `${one}/secrets`;

      const added = expectResponse(t, await secrets({ mode: 'create' }), 200, 'POST', sTpl);
      const second = added.data.attributes.client_secret;
      t.ok(second && second !== first, 'create returns a new secret');
      t.equal(added.data.attributes.client_id, created.data.attributes.client_id);
      expectError(t, await secrets({ mode: 'create' }), 400, 'SNYK-OPENAPI-0001');

      expectError(t, await secrets({ mode: 'delete' }), 400, 'SNYK-OPENAPI-0001', { pointer: '/data/attributes/secret' });
      expectError(t, await secrets({ mode: 'delete', secret: 'not-one-of-them' }), 400, 'SNYK-OPENAPI-0001', { pointer: '/data/attributes/secret' });
      const deleted = expectResponse(t, await secrets({ mode: 'delete', secret: first }), 200, 'POST', sTpl);
      t.notOk('client_secret' in deleted.data.attributes, 'delete returns no secret');
      expectError(t, await secrets({ mode: 'delete', secret: first }), 400, 'SNYK-OPENAPI-0001', undefined);
      expectError(t, await secrets({ mode: 'delete', secret: second }), 400, 'SNYK-OPENAPI-0001', { pointer: '/data/attributes/secret' });

      const replaced = expectResponse(t, await secrets({ mode: 'replace' }), 200, 'POST', sTpl);
      t.ok(replaced.data.attributes.client_secret && replaced.data.attributes.client_secret !== second);
      // after replace there is exactly one secret again: the old one is gone, so it cannot be deleted
      expectError(t, await secrets({ mode: 'delete', secret: second }), 400, 'SNYK-OPENAPI-0001');
      t.equal((await secrets({ mode: 'create' })).statusCode, 200, 'room for a second one again');

      expectError(t, await secrets({ mode: 'rotate' }), 400, 'SNYK-OPENAPI-0001', { pointer: '/data/attributes/mode' });
      expectError(t, await secrets({ mode: 'replace' }, c.seeded), 400, 'SNYK-OPENAPI-0001');
      expectError(t, await secrets({ mode: 'replace' }, '00000000-0000-4000-8000-0000000000ff'), 404, 'SNYK-OPENAPI-0004');
    });

    t.test('permissions: 404 without read (also for writes), 403 with read only', async (t) => {
      // the demo admin is Group Admin of Acme only: the other group / its org do not exist for it
      expectError(t, await call(app, { url: url(c, undefined, `version=${V}`, c.foreign) }), 404, 'SNYK-OPENAPI-0004');
      expectError(
        t,
        await call(app, {
          method: 'POST',
          url: url(c, undefined, `version=${V}`, c.foreign),
          payload: createBody({ name: 'n', role_id: c.role, auth_type: 'api_key' }),
        }),
        404,
        'SNYK-OPENAPI-0004',
      );
      expectError(t, await call(app, { url: url(c, undefined, `version=${V}`, '00000000-0000-4000-8000-000000000000') }), 404, 'SNYK-OPENAPI-0004');
      // the viewer reads, but every write is 403 — before the account is looked up
      const viewer = TOKENS.viewer;
      t.equal((await call(app, { url: url(c), token: viewer })).statusCode, 200);
      t.equal((await call(app, { url: url(c, c.seeded), token: viewer })).statusCode, 200);
      expectError(t, await create(app, c, { name: 'v', auth_type: 'api_key' }, viewer), 403, 'SNYK-OPENAPI-0002');
      const ghost = '00000000-0000-4000-8000-0000000000ff';
      expectError(
        t,
        await call(app, {
          method: 'PATCH',
          url: url(c, ghost),
          token: viewer,
          payload: { data: { type: 'service_account', id: ghost, attributes: { name: 'x' } } },
        }),
        403,
        'SNYK-OPENAPI-0002',
      );
      expectError(t, await call(app, { method: 'DELETE', url: url(c, c.seeded), token: viewer }), 403, 'SNYK-OPENAPI-0002');
      expectError(
        t,
        await call(app, {
          method: 'POST',
          url: `${base(c)}/${c.seeded}/secrets?version=${V}`,
          token: viewer,
          payload: { data: { type: 'service_account', attributes: { mode: 'replace' } } },
        }),
        403,
        'SNYK-OPENAPI-0002',
      );
      // the collaborator's org role has no service-account permission at all: 404
      const collab = TOKENS.collaborator;
      expectError(t, await call(app, { url: url(c), token: collab }), 404, 'SNYK-OPENAPI-0004');
      expectError(t, await create(app, c, { name: 'v', auth_type: 'api_key' }, collab), 404, 'SNYK-OPENAPI-0004');
    });
  });
}

t.test("a group admin manages the accounts of the group's orgs; an org account is confined to its org", async (t) => {
  const app = await buildApp(t);
  const org = LEVELS[0];
  t.equal((await call(app, { url: url(org, undefined, `version=${V}`, IDS.backend) })).statusCode, 200, 'group role covers every org of the group');
  // frontend-ci is Org Admin of acme-frontend, authenticated by its seeded api key
  const key = TOKENS.frontendCi;
  t.equal((await call(app, { url: url(org), token: key })).statusCode, 200);
  t.equal((await call(app, { url: url(org, undefined, `version=${V}`, IDS.backend), token: key })).statusCode, 404);
  t.equal((await call(app, { url: url(LEVELS[1]), token: key })).statusCode, 404, 'an org account cannot see its group');
});
