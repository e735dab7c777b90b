// oauth_private_key_jwt accounts end to end, over a real port (undici): the JWKS is served by a local
// http server on 127.0.0.1 (SNYK_MOCK_ALLOW_HTTP_JWKS), the client signs an RS256 assertion, trades
// it for an access token, and calls the API as the account.
import t from 'tap';
import { request } from 'undici';
import type { AddressInfo } from 'node:net';
import { build } from '../../src/app.js';
import { resolveSettings } from '../../src/settings/config.js';
import { IDS, TOKENS, V, createBody } from '../helper.js';
import { JWT_BEARER, SNYK_TOKEN_URL, TestClock, jwksServer, rsaKey, signAssertion } from '../support/oauth.js';
import { checkGroupViewerOfAcme, checkOrgAdminOfFrontend, httpSender } from '../support/credentials.js';

t.test('oauth_private_key_jwt over HTTP', async (t) => {
  const clock = new TestClock();
  const orgKey = await rsaKey('org-key-1');
  const groupKey = await rsaKey('group-key-1');
  const jwks = await jwksServer(t, [orgKey.jwk, groupKey.jwk]);
  const app = await build(resolveSettings({ env: { SNYK_MOCK_ALLOW_HTTP_JWKS: 'true' }, overrides: { logLevel: 'silent' } }), { clock, logger: false });
  t.teardown(() => app.close());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const admin = httpSender(origin, `token ${TOKENS.admin}`);

  const post = async (path: string, fields: Record<string, string>) => {
    const res = await request(`${origin}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, string> };
  };
  const assertionFor = (clientId: string, key: typeof orgKey, kid: string, aud = SNYK_TOKEN_URL) =>
    signAssertion({ key: key.privateKey, kid, clientId, aud, now: clock.now() });
  const tokenRequest = async (clientId: string, assertion: string) =>
    post('/oauth2/token', { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER, client_assertion: assertion });

  const orgRes = await admin(
    'POST',
    `/rest/orgs/${IDS.frontend}/service_accounts`,
    createBody({ name: 'e2e-jwt-org', auth_type: 'oauth_private_key_jwt', role_id: IDS.roles.orgAdmin, jwks_url: jwks.url }),
  );
  const groupRes = await admin(
    'POST',
    `/rest/groups/${IDS.acmeGroup}/service_accounts`,
    createBody({
      name: 'e2e-jwt-group',
      auth_type: 'oauth_private_key_jwt',
      role_id: IDS.roles.groupViewer,
      jwks_url: jwks.url,
      access_token_ttl_seconds: 3600,
    }),
  );
  t.equal(orgRes.status, 201, JSON.stringify(orgRes.body));
  t.equal(groupRes.status, 201);
  const orgSa = orgRes.body.data;
  const groupSa = groupRes.body.data;
  t.match(orgSa.attributes, { jwks_url: jwks.url, client_id: /./, access_token_ttl_seconds: 3600 });
  t.notOk('client_secret' in orgSa.attributes, 'no secret for private_key_jwt');

  // the mock's own token URL is an accepted aud, as is Snyk's
  const orgToken = await tokenRequest(
    orgSa.attributes.client_id,
    await assertionFor(orgSa.attributes.client_id, orgKey, 'org-key-1', `${origin}/oauth2/token`),
  );
  t.equal(orgToken.status, 200, JSON.stringify(orgToken.body));
  t.equal(orgToken.headers['cache-control'], 'no-store');
  t.match(orgToken.body, { token_type: 'bearer', expires_in: 3600, bot_id: orgSa.id });
  const groupToken = await tokenRequest(groupSa.attributes.client_id, await assertionFor(groupSa.attributes.client_id, groupKey, 'group-key-1'));
  t.equal(groupToken.status, 200);

  // the issued token is verifiable with the mock's published key, and names the mock as its audience
  const { createRemoteJWKSet, jwtVerify } = await import('jose');
  const { payload } = await jwtVerify(orgToken.body.access_token, createRemoteJWKSet(new URL(`${origin}/oauth2/jwks`)), {
    currentDate: clock.now(),
    issuer: origin,
    audience: origin,
  });
  t.equal(payload.sub, orgSa.id);

  t.test('org account', async (t) => {
    await checkOrgAdminOfFrontend(t, httpSender(origin, `bearer ${orgToken.body.access_token}`), { id: orgSa.id, name: 'e2e-jwt-org' });
  });

  t.test('group account', async (t) => {
    await checkGroupViewerOfAcme(t, httpSender(origin, `bearer ${groupToken.body.access_token}`), { id: groupSa.id, name: 'e2e-jwt-group' });
  });

  t.test("one account's key cannot sign for another", async (t) => {
    const res = await tokenRequest(orgSa.attributes.client_id, await assertionFor(orgSa.attributes.client_id, groupKey, 'org-key-1'));
    t.equal(res.status, 401);
    t.match(res.body, { error: 'invalid_client', error_description: /signature does not verify/ });
  });

  t.test('expired and replayed assertions are rejected', async (t) => {
    const clientId = orgSa.attributes.client_id;
    const assertion = await assertionFor(clientId, orgKey, 'org-key-1');
    t.equal((await tokenRequest(clientId, assertion)).status, 200);
    t.match(await tokenRequest(clientId, assertion), { status: 401, body: { error: 'invalid_client', error_description: /already been used/ } });
    const late = await assertionFor(clientId, orgKey, 'org-key-1');
    clock.advance(301);
    t.match(await tokenRequest(clientId, late), { status: 401, body: { error: 'invalid_client', error_description: /expired/ } });
  });

  t.test('delete → assertions and issued tokens are rejected', async (t) => {
    const token = (await tokenRequest(orgSa.attributes.client_id, await assertionFor(orgSa.attributes.client_id, orgKey, 'org-key-1'))).body.access_token;
    const send = httpSender(origin, `bearer ${token}`);
    t.equal((await send('GET', '/rest/self')).status, 200);
    t.equal((await admin('DELETE', `/rest/orgs/${IDS.frontend}/service_accounts/${orgSa.id}`)).status, 204);
    t.equal((await send('GET', '/rest/self')).status, 401, 'the token is revoked with the account');
    t.equal((await httpSender(origin, `bearer ${orgToken.body.access_token}`)('GET', '/rest/self')).status, 401);
    const res = await tokenRequest(orgSa.attributes.client_id, await assertionFor(orgSa.attributes.client_id, orgKey, 'org-key-1'));
    t.match(res, { status: 401, body: { error: 'invalid_client', error_description: /unknown client_id/ } });
  });

  t.test('the version gate still applies to bearer calls', async (t) => {
    const res = await request(`${origin}/rest/self?version=${V}`, { headers: { authorization: `bearer ${groupToken.body.access_token}` } });
    t.equal(res.statusCode, 200);
    t.ok(res.headers['snyk-version-served']);
    await res.body.dump();
  });
});
