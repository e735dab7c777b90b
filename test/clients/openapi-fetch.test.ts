// Client matrix: openapi-fetch driven by types openapi-typescript generated from the official spec
// extract (test/clients/generated/snyk-api.d.ts, `npm run generate:client-types`), used as its
// docs show: one client, with the Authorization and `Content-Type: application/vnd.api+json`
// headers set once, so they go on every request, GET and DELETE included. The whole lifecycle at
// both levels; the typecheck of `npm test` covers this file, so a type error fails the build.
import t from 'tap';
import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import openapiTS, { astToString } from 'openapi-typescript';
import { startMockServer } from '../../src/index.js';
import type { paths } from './generated/snyk-api.js';
import { AUTH_TYPES, createAttributes, FILLER_ACCOUNTS, LEVELS, linkQuery, PAGE_LIMIT, V, type AuthType, type LevelCase } from '../support/clients.js';

const mock = await startMockServer();
t.teardown(() => mock.close());

const client = createClient<paths>({
  baseUrl: `${mock.url}/rest`,
  headers: { Authorization: `token ${mock.token}`, 'Content-Type': 'application/vnd.api+json' },
});

type Attributes = ReturnType<typeof createAttributes>;
type Query = { starting_after?: string; limit?: number };

/** The six operations of one level, each a typed call as openapi-fetch's docs write them. */
function operations(c: LevelCase) {
  if (c.level === 'Org') {
    const path = { org_id: c.owner };
    return {
      list: (q: Query = {}) => client.GET('/orgs/{org_id}/service_accounts', { params: { path, query: { version: V, ...q } } }),
      create: (attributes: Attributes) =>
        client.POST('/orgs/{org_id}/service_accounts', { params: { path, query: { version: V } }, body: { data: { attributes } } }),
      get: (id: string) =>
        client.GET('/orgs/{org_id}/service_accounts/{serviceaccount_id}', { params: { path: { ...path, serviceaccount_id: id }, query: { version: V } } }),
      rename: (id: string, name: string) =>
        client.PATCH('/orgs/{org_id}/service_accounts/{serviceaccount_id}', {
          params: { path: { ...path, serviceaccount_id: id }, query: { version: V } },
          body: { data: { type: 'service_account', id, attributes: { name } } },
        }),
      secrets: (id: string, mode: 'replace' | 'create' | 'delete', secret?: string) =>
        client.POST('/orgs/{org_id}/service_accounts/{serviceaccount_id}/secrets', {
          params: { path: { ...path, serviceaccount_id: id }, query: { version: V } },
          body: { data: { type: 'service_account', attributes: { mode, ...(secret ? { secret } : {}) } } },
        }),
      remove: (id: string) =>
        client.DELETE('/orgs/{org_id}/service_accounts/{serviceaccount_id}', { params: { path: { ...path, serviceaccount_id: id }, query: { version: V } } }),
    };
  }
  const path = { group_id: c.owner };
  return {
    list: (q: Query = {}) => client.GET('/groups/{group_id}/service_accounts', { params: { path, query: { version: V, ...q } } }),
    // the group create requires data.type; the org one does not (the spec's own difference)
    create: (attributes: Attributes) =>
      client.POST('/groups/{group_id}/service_accounts', { params: { path, query: { version: V } }, body: { data: { type: 'service_account', attributes } } }),
    get: (id: string) =>
      client.GET('/groups/{group_id}/service_accounts/{serviceaccount_id}', { params: { path: { ...path, serviceaccount_id: id }, query: { version: V } } }),
    rename: (id: string, name: string) =>
      client.PATCH('/groups/{group_id}/service_accounts/{serviceaccount_id}', {
        params: { path: { ...path, serviceaccount_id: id }, query: { version: V } },
        body: { data: { type: 'service_account', id, attributes: { name } } },
      }),
    secrets: (id: string, mode: 'replace' | 'create' | 'delete', secret?: string) =>
      client.POST('/groups/{group_id}/service_accounts/{serviceaccount_id}/secrets', {
        params: { path: { ...path, serviceaccount_id: id }, query: { version: V } },
        body: { data: { type: 'service_account', attributes: { mode, ...(secret ? { secret } : {}) } } },
      }),
    remove: (id: string) =>
      client.DELETE('/groups/{group_id}/service_accounts/{serviceaccount_id}', { params: { path: { ...path, serviceaccount_id: id }, query: { version: V } } }),
  };
}

for (const c of LEVELS) {
  t.test(`${c.level}: the whole lifecycle`, async (t) => {
    const ops = operations(c);
    const created = new Map<AuthType, string>();
    for (const auth_type of AUTH_TYPES) {
      const { data, error, response } = await ops.create(createAttributes(`fetch-${c.level}-${auth_type}`, c.role, auth_type));
      t.equal(response.status, 201, `create ${auth_type}`);
      t.notOk(error);
      t.equal(data?.data.attributes.auth_type, auth_type);
      t.equal(response.headers.get('location'), `${mock.url}/rest/${c.segment}/${c.owner}/service_accounts/${data?.data.id}`);
      created.set(auth_type, data!.data.id);
    }
    t.equal(created.size, AUTH_TYPES.length);
    for (let i = 0; i < FILLER_ACCOUNTS; i++) await ops.create(createAttributes(`fetch-${c.level}-page-${i}`, c.role, 'api_key'));

    // page through the list by links.next
    const seen = new Set<string>();
    let page = await ops.list({ limit: PAGE_LIMIT });
    let pages = 0;
    for (;;) {
      t.equal(page.response.status, 200);
      pages++;
      for (const sa of page.data!.data) seen.add(sa.id);
      const next = page.data!.links.next;
      if (typeof next !== 'string') break;
      const q = linkQuery(next);
      t.equal(q.version, V, 'links.next carries the version');
      page = await ops.list({ limit: Number(q.limit), starting_after: q.starting_after });
    }
    t.ok(pages >= 2, `${pages} pages`);
    for (const id of created.values()) t.ok(seen.has(id), `listed ${id}`);

    const id = created.get('oauth_client_secret')!;
    const got = await ops.get(id);
    t.equal(got.data?.data.attributes.name, `fetch-${c.level}-oauth_client_secret`);
    t.equal((await ops.rename(id, `fetch-${c.level}-renamed`)).data?.data.attributes.name, `fetch-${c.level}-renamed`);
    const replaced = await ops.secrets(id, 'replace');
    t.type(replaced.data?.data.attributes.client_secret, 'string', 'replace returns the new secret');
    const added = await ops.secrets(id, 'create');
    const secret = added.data?.data.attributes.client_secret;
    t.type(secret, 'string', 'create returns a second secret');
    const deleted = await ops.secrets(id, 'delete', secret);
    t.equal(deleted.response.status, 200, 'delete a secret by value');

    // DELETE carries the client's Content-Type and no body: the issue this matrix was built for
    for (const [auth_type, sa] of created) {
      const res = await ops.remove(sa);
      t.equal(res.response.status, 204, `delete ${auth_type}: ${JSON.stringify(res.error)}`);
    }
    const gone = await ops.get(id);
    t.equal(gone.response.status, 404);
    t.equal(gone.error?.errors[0].code, 'SNYK-OPENAPI-0004', "the typed error is the spec's ErrorDocument");
  });
}

t.test('the generated types are those of the committed spec extract (npm run generate:client-types)', async (t) => {
  const committed = readFileSync(new URL('./generated/snyk-api.d.ts', import.meta.url), 'utf8');
  const fresh = astToString(await openapiTS(new URL('../../spec/service-accounts-subset.json', import.meta.url)));
  const body = (s: string) => s.replace(/^\/\*\*[\s\S]*?\*\/\s*/, '').trim();
  t.equal(body(committed), body(fresh), 'regenerate with npm run generate:client-types');
});
