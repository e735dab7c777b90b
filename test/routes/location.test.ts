// `location` is a URL (the spec's `format: url`): the origin the client called (scheme from the
// connection or X-Forwarded-Proto, host and port from Host) + /rest + the path. JSON:API links stay
// relative, as Snyk's are. The same origin is the issuer of OAuth tokens and an accepted `aud`.
import t from 'tap';
import { Agent, request } from 'undici';
import { startMockServer } from '../../src/index.js';
import { auth, buildApp, call, createBody, IDS, TOKENS, V } from '../helper.js';
import { assertionForm, CLIENTS, demoSignerKey, oauthPost, signAssertion } from '../support/oauth.js';

const org = `/rest/orgs/${IDS.frontend}/service_accounts`;
const group = `/rest/groups/${IDS.acmeGroup}/service_accounts`;

t.test('every location is absolute; links stay relative', async (t) => {
  const app = await buildApp(t);
  const host = { host: 'mock.example:8443' };
  const origin = 'http://mock.example:8443';
  const created = await call(app, {
    method: 'POST',
    url: `${org}?version=${V}`,
    headers: host,
    payload: createBody({ name: 'loc', role_id: IDS.roles.orgAdmin, auth_type: 'oauth_client_secret' }),
  });
  const id = created.json().data.id;
  t.equal(created.headers.location, `${origin}${org}/${id}`, 'create');
  t.equal(created.json().links.self, `/orgs/${IDS.frontend}/service_accounts/${id}?version=${V}`, 'links stay relative to /rest');
  const list = await call(app, { url: `${org}?version=${V}&limit=10`, headers: host });
  t.equal(list.headers.location, `${origin}${org}`, 'list');
  t.match(list.json().links.first, /^\/orgs\//, 'pagination links stay relative');
  t.equal((await call(app, { url: `${org}/${id}?version=${V}`, headers: host })).headers.location, `${origin}${org}/${id}`, 'get');
  const patch = await call(app, {
    method: 'PATCH',
    url: `${org}/${id}?version=${V}`,
    headers: host,
    payload: { data: { type: 'service_account', id, attributes: { name: 'loc2' } } },
  });
  t.equal(patch.headers.location, `${origin}${org}/${id}`, 'rename');
  const secrets = await call(app, {
    method: 'POST',
    url: `${org}/${id}/secrets?version=${V}`,
    headers: host,
    payload: { data: { type: 'service_account', attributes: { mode: 'create' } } },
  });
  t.equal(secrets.headers.location, `${origin}${org}/${id}/secrets`, 'secrets');
  const del = await call(app, { method: 'DELETE', url: `${org}/${id}?version=${V}`, headers: host });
  t.equal(del.headers.location, undefined, 'no location on the org delete, as in the spec');
  const gid = (
    await call(app, {
      method: 'POST',
      url: `${group}?version=${V}`,
      payload: createBody({ name: 'gloc', role_id: IDS.roles.groupAdmin, auth_type: 'api_key' }),
    })
  ).json().data.id;
  const gdel = await call(app, { method: 'DELETE', url: `${group}/${gid}?version=${V}`, headers: host });
  t.equal(gdel.headers.location, `${origin}${group}/${gid}`, 'group delete');
});

t.test('scheme: X-Forwarded-Proto (first hop, http or https only), else the connection', async (t) => {
  const app = await buildApp(t);
  const loc = async (headers: Record<string, string>) =>
    (await app.inject({ url: `${org}?version=${V}`, headers: { ...auth(), host: 'proxy.example', ...headers } })).headers.location;
  t.equal(await loc({}), `http://proxy.example${org}`);
  t.equal(await loc({ 'x-forwarded-proto': 'https' }), `https://proxy.example${org}`);
  t.equal(await loc({ 'x-forwarded-proto': 'HTTPS, http' }), `https://proxy.example${org}`, 'the client-facing hop');
  t.equal(await loc({ 'x-forwarded-proto': 'gopher' }), `http://proxy.example${org}`, 'anything else is ignored');
  // the OAuth issuer follows the same origin
  const token = await oauthPost(
    app,
    'token',
    { grant_type: 'client_credentials', client_id: CLIENTS.frontendDeployer.id, client_secret: CLIENTS.frontendDeployer.secret },
    { host: 'proxy.example', 'x-forwarded-proto': 'https' },
  );
  const claims = JSON.parse(Buffer.from(token.json().access_token.split('.')[1], 'base64url').toString());
  t.equal(claims.iss, 'https://proxy.example', 'token issuer');
});

t.test('over HTTPS the location is https', async (t) => {
  const mock = await startMockServer({ https: true });
  t.teardown(() => mock.close());
  const dispatcher = new Agent({ connect: { ca: mock.ca } });
  t.teardown(() => dispatcher.close());
  const res = await request(`${mock.url}${org}?version=${V}`, { dispatcher, headers: auth(TOKENS.admin) });
  await res.body.dump();
  t.equal(res.statusCode, 200);
  t.equal(res.headers.location, `${mock.url}${org}`);
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/);
});

t.test("a client assertion may name the mock's origin (the issuer) as its aud (RFC 7523 §3)", async (t) => {
  const app = await buildApp(t);
  const key = await demoSignerKey();
  for (const aud of ['http://localhost:80', 'http://localhost:80/oauth2/token', 'https://api.snyk.io/oauth2/token']) {
    const res = await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: CLIENTS.frontendSigner.id, aud })));
    t.equal(res.statusCode, 200, `aud ${aud}: ${res.body.slice(0, 200)}`);
  }
  for (const aud of ['http://localhost:80/', 'http://other.example', 'https://api.snyk.io']) {
    const res = await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: CLIENTS.frontendSigner.id, aud })));
    t.equal(res.statusCode, 401, `aud ${aud} refused`);
  }
});
