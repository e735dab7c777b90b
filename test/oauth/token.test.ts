// POST /oauth2/token with client secrets, the issued JWT, GET /oauth2/jwks, and every error path of
// the endpoint (OAuth error shape, statuses, WWW-Authenticate on Basic failures).
import t from 'tap';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { buildApp, IDS, orgPath } from '../helper.js';
import {
  assertionForm,
  basic,
  CLIENTS,
  demoSignerKey,
  expectOAuthError,
  form,
  JWT_BEARER,
  oauthPost,
  rest,
  signAssertion,
  TestClock,
  tokenFor,
} from '../support/oauth.js';

const fd = CLIENTS.frontendDeployer;

t.test('client_credentials with the secret in the body', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const res = await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: fd.id, client_secret: fd.secret });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.headers['content-type'], /^application\/json/);
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal(res.headers.pragma, 'no-cache');
  const body = res.json();
  t.same(Object.keys(body).sort(), ['access_token', 'bot_id', 'expires_in', 'scope', 'token_type']);
  t.match(body, { token_type: 'bearer', expires_in: 3600, bot_id: fd.account, scope: '' });

  // a JWT signed by the key GET /oauth2/jwks publishes
  const jwks = await app.inject({ url: '/oauth2/jwks' });
  t.equal(jwks.statusCode, 200);
  t.match(jwks.headers['content-type'], /^application\/json/);
  const set = jwks.json();
  t.equal(set.keys.length, 1);
  t.match(set.keys[0], { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: /.+/ });
  t.notOk('d' in set.keys[0], 'no private part published');
  const header = decodeProtectedHeader(body.access_token);
  t.same(header, { alg: 'ES256', kid: set.keys[0].kid, typ: 'at+jwt' });
  const { payload } = await jwtVerify(body.access_token, createLocalJWKSet(set), { currentDate: clock.now() });
  const now = Math.floor(clock.now().getTime() / 1000);
  t.match(payload, {
    iss: 'http://localhost:80',
    sub: fd.account,
    aud: ['http://localhost:80'],
    iat: now,
    exp: now + 3600,
    scope: '',
    client_id: fd.id,
    jti: /^[0-9a-f-]{36}$/,
  });
  t.equal((await app.inject({ method: 'HEAD', url: '/oauth2/jwks' })).statusCode, 200, 'HEAD on the JWKS');
});

t.test("expires_in is the account's access_token_ttl_seconds", async (t) => {
  const app = await buildApp(t);
  const res = await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: CLIENTS.groupOauth.id, client_secret: CLIENTS.groupOauth.secret });
  t.match(res.json(), { expires_in: 86400, bot_id: CLIENTS.groupOauth.account });
});

t.test('HTTP Basic client authentication (RFC 6749 §2.3.1)', async (t) => {
  const app = await buildApp(t);
  const res = await oauthPost(app, 'token', { grant_type: 'client_credentials' }, basic(fd.id, fd.secret));
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().bot_id, fd.account);
  // client_id repeated in the body is fine when it is the same client
  const again = await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: fd.id }, basic(fd.id, fd.secret));
  t.equal(again.statusCode, 200);
  // not form-encoded by the client: still accepted
  const raw = await oauthPost(
    app,
    'token',
    { grant_type: 'client_credentials' },
    { authorization: `basic ${Buffer.from(`${fd.id}:${fd.secret}`).toString('base64')}` },
  );
  t.equal(raw.statusCode, 200);
  // content type with a charset parameter
  const charset = await oauthPost(
    app,
    'token',
    { grant_type: 'client_credentials', client_id: fd.id, client_secret: fd.secret },
    { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
  );
  t.equal(charset.statusCode, 200);
});

t.test('the access token authenticates with bearer until it expires', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const token = await tokenFor(app, fd.id, fd.secret);
  const self = await rest(app, { url: '/rest/self', scheme: 'bearer', credential: token });
  t.equal(self.statusCode, 200, self.body);
  t.match(self.json().data, { id: fd.account, type: 'service_account', attributes: { name: 'frontend-deployer', default_org_context: IDS.frontend } });
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 200);
  t.equal(
    (await rest(app, { url: orgPath(), scheme: 'token', credential: token })).statusCode,
    401,
    'an OAuth access token is a bearer token, not an API token',
  );
  t.equal(
    (await app.inject({ url: `${orgPath()}?version=2024-10-15`, headers: { authorization: `BEARER ${token}` } })).statusCode,
    200,
    'scheme is case-insensitive',
  );

  // any change to the token: unknown credential
  const [h, p, s] = token.split('.');
  const tampered = `${h}.${p}.${s.slice(0, -2)}${s.endsWith('AA') ? 'BB' : 'AA'}`;
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: tampered })).statusCode, 401);

  clock.advance(3599);
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 200, 'valid one second before expiry');
  clock.advance(1);
  const expired = await rest(app, { url: orgPath(), scheme: 'bearer', credential: token });
  t.equal(expired.statusCode, 401, 'expired at exp');
  t.match(expired.headers['content-type'], /^application\/vnd\.api\+json/, '/rest errors stay JSON:API');
});

t.test('grants other than client_credentials', async (t) => {
  const app = await buildApp(t);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'password', username: 'a', password: 'b' }),
    400,
    'unsupported_grant_type',
    /client_credentials/,
  );
  expectOAuthError(t, await oauthPost(app, 'token', { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' }), 400, 'unsupported_grant_type');
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'refresh_token', client_id: fd.id, client_secret: fd.secret }),
    400,
    'invalid_request',
    /refresh_token is required/,
  );
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'refresh_token', refresh_token: 'x', client_id: fd.id, client_secret: fd.secret }),
    400,
    'invalid_grant',
    /refresh token/,
  );
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'authorization_code', code: 'x', client_id: fd.id, client_secret: fd.secret }),
    400,
    'invalid_grant',
    /authorization code/,
  );
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'refresh_token', refresh_token: 'x', client_id: fd.id, client_secret: 'wrong' }),
    401,
    'invalid_client',
  );
});

t.test('request errors: invalid_request 400', async (t) => {
  const app = await buildApp(t);
  const ok = { grant_type: 'client_credentials', client_id: fd.id, client_secret: fd.secret };
  expectOAuthError(t, await oauthPost(app, 'token', { client_id: fd.id, client_secret: fd.secret }), 400, 'invalid_request', /grant_type is required/);
  expectOAuthError(t, await oauthPost(app, 'token', { ...ok, grant_type: '' }), 400, 'invalid_request', /grant_type is required/);
  expectOAuthError(t, await oauthPost(app, 'token', `${form(ok)}&grant_type=client_credentials`), 400, 'invalid_request', /must not be repeated/);
  expectOAuthError(t, await oauthPost(app, 'token', `${form(ok)}&client_secret=other`), 400, 'invalid_request', /client_secret must not be repeated/);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'client_credentials', client_secret: fd.secret }),
    400,
    'invalid_request',
    /client_id is required/,
  );
  expectOAuthError(t, await oauthPost(app, 'token', ok, basic(fd.id, fd.secret)), 400, 'invalid_request', /exactly one client authentication method/);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: CLIENTS.backendDeployer.id }, basic(fd.id, fd.secret)),
    400,
    'invalid_request',
    /does not match/,
  );
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'client_credentials', client_assertion: 'x.y.z' }),
    400,
    'invalid_request',
    /client_assertion_type is required/,
  );
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER }),
    400,
    'invalid_request',
    /client_assertion is required/,
  );
  const assertion = await signAssertion({ key: await demoSignerKey(), clientId: CLIENTS.frontendSigner.id });
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { ...assertionForm(assertion), client_secret: 'x', client_id: fd.id }),
    400,
    'invalid_request',
    /exactly one/,
  );

  // the body must be a form
  expectOAuthError(
    t,
    await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(ok) }),
    400,
    'invalid_request',
    /x-www-form-urlencoded/,
  );
  expectOAuthError(t, await app.inject({ method: 'POST', url: '/oauth2/token' }), 400, 'invalid_request', /x-www-form-urlencoded/);
  expectOAuthError(
    t,
    await app.inject({ method: 'POST', url: '/oauth2/token', headers: { 'content-type': 'text/plain' }, payload: form(ok) }),
    400,
    'invalid_request',
  );
  expectOAuthError(t, await oauthPost(app, 'token', ''), 400, 'invalid_request', /grant_type is required/);
  // secrets never in the URL (they would end up in logs)
  expectOAuthError(
    t,
    await app.inject({
      method: 'POST',
      url: `/oauth2/token?client_secret=${fd.secret}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ grant_type: 'client_credentials', client_id: fd.id }),
    }),
    400,
    'invalid_request',
    /never in the URL/,
  );
  // too large
  expectOAuthError(t, await oauthPost(app, 'token', { ...ok, pad: 'x'.repeat(70 * 1024) }), 413, 'invalid_request', /too large/);
});

t.test('client errors: invalid_client 401', async (t) => {
  const app = await buildApp(t);
  const cc = { grant_type: 'client_credentials' };
  const none = expectOAuthError(t, await oauthPost(app, 'token', cc), 401, 'invalid_client', /Client authentication is required/);
  t.match(none.error_description, /client_id \+ client_secret \(body or HTTP Basic\), or a client_assertion/, 'says every way to authenticate');
  t.notOk((await oauthPost(app, 'token', cc)).headers['www-authenticate'], 'no Basic challenge when Basic was not used');
  expectOAuthError(t, await oauthPost(app, 'token', { ...cc, client_id: fd.id }), 401, 'invalid_client', /send client_secret/);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { ...cc, client_id: '00000000-0000-4000-8000-000000000000', client_secret: 'x' }),
    401,
    'invalid_client',
    /unknown client_id/,
  );
  const wrong = await oauthPost(app, 'token', { ...cc, client_id: fd.id, client_secret: 'wrong' });
  expectOAuthError(t, wrong, 401, 'invalid_client', /wrong client_secret/);
  t.notOk(wrong.headers['www-authenticate']);
  // another account's secret
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { ...cc, client_id: fd.id, client_secret: CLIENTS.backendDeployer.secret }),
    401,
    'invalid_client',
    /wrong client_secret/,
  );
  // an API key or a user token is not a client secret
  expectOAuthError(t, await oauthPost(app, 'token', { ...cc, client_id: fd.id, client_secret: '11111111-1111-4111-8111-111111111111' }), 401, 'invalid_client');

  for (const headers of [
    basic(fd.id, 'wrong'),
    basic('nobody', 'x'),
    { authorization: 'Basic !!!' },
    { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
    { authorization: 'Bearer abc' },
  ]) {
    const res = await oauthPost(app, 'token', cc, headers);
    expectOAuthError(t, res, 401, 'invalid_client');
    t.match(res.headers['www-authenticate'], /^Basic realm="snyk-mock"/, `Basic challenge for ${headers.authorization.slice(0, 12)}`);
  }

  // a client secret for a private_key_jwt client, an assertion for a client-secret client
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { ...cc, client_id: CLIENTS.frontendSigner.id, client_secret: 'x' }),
    401,
    'invalid_client',
    /private_key_jwt/,
  );
  const assertion = await signAssertion({ key: await demoSignerKey(), clientId: fd.id });
  expectOAuthError(t, await oauthPost(app, 'token', assertionForm(assertion)), 401, 'invalid_client', /client secret, not a client_assertion/);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { ...assertionForm(assertion), client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }),
    401,
    'invalid_client',
    /not supported/,
  );
  // api_key and access_token accounts have no client id at all
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { ...cc, client_id: IDS.sa.frontendCi, client_secret: '5a000000-0000-4000-8000-00000000a001' }),
    401,
    'invalid_client',
    /unknown client_id/,
  );
});

t.test('404 and 405 under /oauth2 answer in the OAuth shape', async (t) => {
  const app = await buildApp(t);
  const get = await app.inject({ url: '/oauth2/token' });
  expectOAuthError(t, get, 405, 'invalid_request', /use POST/);
  t.equal(get.headers.allow, 'POST');
  const del = await app.inject({ method: 'DELETE', url: '/oauth2/jwks' });
  expectOAuthError(t, del, 405, 'invalid_request');
  t.equal(del.headers.allow, 'GET, HEAD');
  expectOAuthError(t, await app.inject({ method: 'POST', url: '/oauth2/authorize' }), 404, 'invalid_request', /No OAuth endpoint/);
  t.equal((await app.inject({ method: 'GET', url: '/oauth2/token/' })).headers.allow, 'POST', 'a trailing slash is the same path');
  // the router decides: a route another plugin adds gets its 405 without a table to update
  const more = await buildApp(t);
  more.get('/oauth2/userinfo', async () => ({}));
  const added = await more.inject({ method: 'POST', url: '/oauth2/userinfo' });
  expectOAuthError(t, added, 405, 'invalid_request');
  t.equal(added.headers.allow, 'GET, HEAD');
  t.match((await app.inject({ method: 'GET', url: '/oauth2/token' })).headers['snyk-request-id'], /^[0-9a-f-]{36}$/);
});

t.test('each server generates its signing key: a token of one is no credential of another', async (t) => {
  const a = await buildApp(t);
  const b = await buildApp(t);
  t.not(a.oauth.kid, b.oauth.kid);
  // a token minted by one server is no credential of another (its digest is not in that store)
  const token = await tokenFor(a, fd.id, fd.secret);
  t.equal((await rest(b, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 401);
});

t.test('the signing key is not kept across a restart, and tokens issued before it stay valid', async (t) => {
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-kid-')), 'db.json');
  const before = await buildApp(t, { settings: { store: 'file', db } });
  const token = await tokenFor(before, fd.id, fd.secret);
  const kidBefore = before.oauth.kid;
  await before.close();
  const after = await buildApp(t, { settings: { store: 'file', db } });
  t.not(after.oauth.kid, kidBefore, 'a new key at every start');
  t.notOk(
    (await after.inject({ url: '/oauth2/jwks' })).json().keys.some((k: { kid: string }) => k.kid === kidBefore),
    'the old key is not published',
  );
  t.equal((await rest(after, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 200, 'the token is recorded by digest: still valid');
});
