// POST /oauth2/revoke (RFC 7009): a client revokes its own access tokens at once.
import t from 'tap';
import { buildApp, orgPath } from '../helper.js';
import { assertionForm, basic, CLIENTS, demoSignerKey, expectOAuthError, form, oauthPost, rest, signAssertion, tokenFor } from '../support/oauth.js';

const fd = CLIENTS.frontendDeployer;
const bd = CLIENTS.backendDeployer;

t.test('a client revokes its token; the token stops working at once', async (t) => {
  const app = await buildApp(t);
  const token = await tokenFor(app, fd.id, fd.secret);
  const other = await tokenFor(app, fd.id, fd.secret);
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 200);
  const res = await oauthPost(app, 'revoke', { client_id: fd.id, client_secret: fd.secret, token });
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.body, '');
  t.equal(res.headers['cache-control'], 'no-store');
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 401, 'revoked');
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: other })).statusCode, 200, "the client's other tokens are untouched");
  // revoking again, or revoking something unknown, is not an error (RFC 7009 §2.2)
  t.equal((await oauthPost(app, 'revoke', { client_id: fd.id, client_secret: fd.secret, token })).statusCode, 200);
  t.equal((await oauthPost(app, 'revoke', { client_id: fd.id, client_secret: fd.secret, token: 'garbage', token_type_hint: 'refresh_token' })).statusCode, 200);
  // with HTTP Basic
  t.equal((await oauthPost(app, 'revoke', { token: other, token_type_hint: 'access_token' }, basic(fd.id, fd.secret))).statusCode, 200);
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: other })).statusCode, 401);
});

t.test("only the token's own client may revoke it; API credentials are not revocable here", async (t) => {
  const app = await buildApp(t);
  const token = await tokenFor(app, fd.id, fd.secret);
  expectOAuthError(
    t,
    await oauthPost(app, 'revoke', { client_id: bd.id, client_secret: bd.secret, token }),
    400,
    'unauthorized_client',
    /not issued to this client/,
  );
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 200, 'still valid');
  // an API key handed to /oauth2/revoke is not revoked
  t.equal((await oauthPost(app, 'revoke', { client_id: fd.id, client_secret: fd.secret, token: '5a000000-0000-4000-8000-00000000a001' })).statusCode, 200);
  t.equal((await rest(app, { url: orgPath(), credential: '5a000000-0000-4000-8000-00000000a001' })).statusCode, 200);
});

t.test('a private_key_jwt client revokes with a client assertion', async (t) => {
  const app = await buildApp(t);
  const key = await demoSignerKey();
  const signer = CLIENTS.frontendSigner;
  const token = (await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: signer.id })))).json().access_token;
  for (const aud of ['https://api.snyk.io/oauth2/token', 'http://localhost:80/oauth2/revoke']) {
    const { grant_type: _, ...auth } = assertionForm(await signAssertion({ key, clientId: signer.id, aud }));
    t.equal((await oauthPost(app, 'revoke', { ...auth, token })).statusCode, 200, aud);
  }
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 401);
});

t.test('revoke errors', async (t) => {
  const app = await buildApp(t);
  const token = await tokenFor(app, fd.id, fd.secret);
  expectOAuthError(t, await oauthPost(app, 'revoke', { client_id: fd.id, client_secret: fd.secret }), 400, 'invalid_request', /token is required/);
  expectOAuthError(
    t,
    await oauthPost(app, 'revoke', `${form({ client_id: fd.id, client_secret: fd.secret, token })}&token=x`),
    400,
    'invalid_request',
    /repeated/,
  );
  expectOAuthError(t, await oauthPost(app, 'revoke', { token }), 401, 'invalid_client');
  expectOAuthError(t, await oauthPost(app, 'revoke', { client_id: fd.id, client_secret: 'wrong', token }), 401, 'invalid_client');
  const viaBasic = await oauthPost(app, 'revoke', { token }, basic(fd.id, 'wrong'));
  expectOAuthError(t, viaBasic, 401, 'invalid_client');
  t.match(viaBasic.headers['www-authenticate'], /^Basic/);
  expectOAuthError(
    t,
    await app.inject({ method: 'POST', url: '/oauth2/revoke', headers: { 'content-type': 'application/json' }, payload: '{}' }),
    400,
    'invalid_request',
  );
  expectOAuthError(
    t,
    await app.inject({
      method: 'POST',
      url: `/oauth2/revoke?token=${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form({ client_id: fd.id, client_secret: fd.secret }),
    }),
    400,
    'invalid_request',
    /never in the URL/,
  );
  const get = await app.inject({ url: '/oauth2/revoke' });
  expectOAuthError(t, get, 405, 'invalid_request');
  t.equal(get.headers.allow, 'POST');
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: token })).statusCode, 200, 'no failed call revoked anything');
});
