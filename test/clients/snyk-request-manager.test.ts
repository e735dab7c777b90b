// Client matrix: snyk-request-manager, Snyk's own Node client, configured only as its README says:
// SNYK_API (it builds its REST base from that host + /rest) and SNYK_TOKEN, read when the manager is
// constructed. NODE_ENV=test silences its warning about a host that does not start with "api.";
// maxRetryCount: 1 because it retries every error but 404; a wider queue than its default. It sends `Content-Type:
// application/json` on every bodyless request (GET, DELETE) and application/vnd.api+json with a
// body. The whole lifecycle at both levels; a 404 surfaces as its NotFoundError.
import t from 'tap';
import { requestsManager } from 'snyk-request-manager';
import { startMockServer } from '../../src/index.js';
import { AUTH_TYPES, createAttributes, FILLER_ACCOUNTS, LEVELS, PAGE_LIMIT, V, type AuthType } from '../support/clients.js';

const mock = await startMockServer();
t.teardown(() => mock.close());

/**
 * The manager reads its configuration from the environment at construction only: set it for that
 * moment and put it back (each tap file is its own process, so no other test sees it).
 */
function managerFor(api: string, token: string) {
  const names = ['SNYK_API', 'SNYK_TOKEN', 'NODE_ENV'] as const;
  const saved = names.map((n) => process.env[n]);
  Object.assign(process.env, { SNYK_API: api, SNYK_TOKEN: token, NODE_ENV: 'test' });
  try {
    // burstSize/period as its README shows them: its default queue (10 per 500 ms) only slows a local run
    return new requestsManager({ maxRetryCount: 1, burstSize: 100, period: 10 });
  } finally {
    for (const [i, n] of names.entries()) {
      if (saved[i] === undefined) delete process.env[n];
      else process.env[n] = saved[i];
    }
  }
}

const manager = managerFor(`${mock.url}/v1`, mock.token!);
type Response = { status: number; data: any; headers: Record<string, string> };
const rest = (verb: string, url: string, body?: unknown): Promise<Response> =>
  manager.request({ verb, url, useRESTApi: true, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }) as Promise<Response>;

t.test('the manager read nothing but the environment it was given', async (t) => {
  t.equal(process.env.SNYK_API, undefined, 'environment restored');
  const self = await rest('GET', `/self?version=${V}`);
  t.equal(self.status, 200);
  t.equal(self.data.data.attributes.name, 'Demo Admin', 'authenticated with SNYK_TOKEN');
});

for (const c of LEVELS) {
  t.test(`${c.level}: the whole lifecycle`, async (t) => {
    const base = `/${c.segment}/${c.owner}/service_accounts`;
    const created = new Map<AuthType, string>();
    for (const auth_type of AUTH_TYPES) {
      const res = await rest('POST', `${base}?version=${V}`, {
        data: { type: 'service_account', attributes: createAttributes(`srm-${c.level}-${auth_type}`, c.role, auth_type) },
      });
      t.equal(res.status, 201, `create ${auth_type}`);
      t.equal(res.headers.location, `${mock.url}/rest${base}/${res.data.data.id}`);
      created.set(auth_type, res.data.data.id);
    }
    t.equal(created.size, AUTH_TYPES.length);
    for (let i = 0; i < FILLER_ACCOUNTS; i++) {
      await rest('POST', `${base}?version=${V}`, {
        data: { type: 'service_account', attributes: createAttributes(`srm-${c.level}-page-${i}`, c.role, 'api_key') },
      });
    }

    // links.next is relative to the REST base, which is how the manager takes URLs
    const seen = new Set<string>();
    let page = await rest('GET', `${base}?version=${V}&limit=${PAGE_LIMIT}`);
    let pages = 1;
    for (const sa of page.data.data) seen.add(sa.id);
    while (page.data.links.next) {
      page = await rest('GET', page.data.links.next);
      pages++;
      for (const sa of page.data.data) seen.add(sa.id);
    }
    t.ok(pages >= 2, `${pages} pages`);
    for (const id of created.values()) t.ok(seen.has(id), `listed ${id}`);

    const id = created.get('oauth_client_secret')!;
    const one = `${base}/${id}?version=${V}`;
    t.equal((await rest('GET', one)).data.data.id, id);
    const renamed = await rest('PATCH', one, { data: { type: 'service_account', id, attributes: { name: `srm-${c.level}-renamed` } } });
    t.equal(renamed.data.data.attributes.name, `srm-${c.level}-renamed`);
    const secrets = `${base}/${id}/secrets?version=${V}`;
    const mode = (m: string, secret?: string) => ({ data: { type: 'service_account', attributes: { mode: m, ...(secret ? { secret } : {}) } } });
    t.type((await rest('POST', secrets, mode('replace'))).data.data.attributes.client_secret, 'string', 'replace');
    const second = (await rest('POST', secrets, mode('create'))).data.data.attributes.client_secret;
    t.type(second, 'string', 'create');
    t.equal((await rest('POST', secrets, mode('delete', second))).status, 200, 'delete a secret');

    for (const [auth_type, sa] of created)
      t.equal((await rest('DELETE', `${base}/${sa}?version=${V}`)).status, 204, `delete ${auth_type} (sent with Content-Type: application/json)`);
    const gone = await rest('GET', one).then(
      () => undefined,
      (err: Error & { data?: { errors: { code: string }[] } }) => err,
    );
    t.equal(gone?.name, 'NotFoundError', "a 404 is the manager's NotFoundError");
    t.equal(gone?.data?.errors[0].code, 'SNYK-OPENAPI-0004', 'carrying the ErrorDocument');
  });
}

t.test('an unknown token is its ApiAuthenticationError', async (t) => {
  const stranger = managerFor(`${mock.url}/v1`, '00000000-0000-4000-8000-000000000000');
  const err = await (stranger.request({ verb: 'GET', url: `/self?version=${V}`, useRESTApi: true }) as Promise<unknown>).then(
    () => undefined,
    (e: Error) => e,
  );
  t.equal(err?.name, 'ApiAuthenticationError');
});
