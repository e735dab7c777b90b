// Client matrix: openid-client v6 for the OAuth side, configured by hand as its docs show when there
// is no discovery document (Snyk documents none): `new Configuration({ issuer, token_endpoint,
// revocation_endpoint }, clientId, metadata, clientAuth)`, with allowInsecureRequests for http.
// client_credentials with client_secret_post, client_secret_basic and private_key_jwt (a JWKS this
// test serves on loopback: the mock runs with allowHttpJwks), the token on REST calls in and out of
// the account's scope, then tokenRevocation. openid-client signs assertions with aud = the issuer:
// the mock accepts its own origin there (RFC 7523 §3; a deviation the README lists).
import t from 'tap';
import * as client from 'openid-client';
import { startMockServer } from '../../src/index.js';
import { jwksServer, rsaKey } from '../support/oauth.js';
import { createAttributes, LEVELS, V } from '../support/clients.js';

const mock = await startMockServer({ allowHttpJwks: true });
t.teardown(() => mock.close());
const server: client.ServerMetadata = { issuer: mock.url, token_endpoint: `${mock.url}/oauth2/token`, revocation_endpoint: `${mock.url}/oauth2/revoke` };

/** Creates an account with the demo token (plain fetch: the REST side is the other clients' job). */
async function createAccount(segment: string, owner: string, attributes: Record<string, unknown>) {
  const res = await fetch(`${mock.url}/rest/${segment}/${owner}/service_accounts?version=${V}`, {
    method: 'POST',
    headers: { authorization: `token ${mock.token}`, 'content-type': 'application/vnd.api+json' },
    body: JSON.stringify({ data: { type: 'service_account', attributes } }),
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  return (await res.json()).data.attributes as { client_id: string; client_secret?: string };
}

for (const c of LEVELS) {
  t.test(`${c.level}: client_credentials with each client authentication, in scope and revoked`, async (t) => {
    const secretAccount = await createAccount(c.segment, c.owner, createAttributes(`oidc-${c.level}-secret`, c.role, 'oauth_client_secret'));
    const { privateKey, jwk } = await rsaKey(`oidc-${c.level}`);
    const jwks = await jwksServer(t, [jwk]);
    const jwtAccount = await createAccount(c.segment, c.owner, {
      ...createAttributes(`oidc-${c.level}-jwt`, c.role, 'oauth_private_key_jwt'),
      jwks_url: jwks.url,
    });

    const configs = {
      client_secret_post: new client.Configuration(
        server,
        secretAccount.client_id,
        secretAccount.client_secret,
        client.ClientSecretPost(secretAccount.client_secret),
      ),
      client_secret_basic: new client.Configuration(
        server,
        secretAccount.client_id,
        secretAccount.client_secret,
        client.ClientSecretBasic(secretAccount.client_secret),
      ),
      private_key_jwt: new client.Configuration(server, jwtAccount.client_id, undefined, client.PrivateKeyJwt({ key: privateKey, kid: jwk.kid })),
    };
    for (const [method, config] of Object.entries(configs)) {
      client.allowInsecureRequests(config);
      const tokens = await client.clientCredentialsGrant(config);
      t.equal(tokens.token_type, 'bearer', `${method}: a bearer token`);
      t.ok(tokens.expires_in! > 0, `${method}: expires_in`);

      const own = await client.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${mock.url}/rest/${c.segment}/${c.owner}/service_accounts?version=${V}`),
        'GET',
      );
      t.equal(own.status, 200, `${method}: own ${c.level} → 200`);
      const other = await client.fetchProtectedResource(
        config,
        tokens.access_token,
        new URL(`${mock.url}/rest/${c.segment}/${c.other}/service_accounts?version=${V}`),
        'GET',
      );
      t.equal(other.status, 404, `${method}: another ${c.level} → 404`);
      // Snyk's documented form of the header
      const asSnykDocuments = () => fetch(`${mock.url}/rest/self?version=${V}`, { headers: { authorization: `bearer ${tokens.access_token}` } });
      t.equal((await asSnykDocuments()).status, 200, `${method}: Authorization: bearer … on /self`);

      await client.tokenRevocation(config, tokens.access_token);
      t.equal((await asSnykDocuments()).status, 401, `${method}: revoked → 401`);
    }
    t.ok(jwks.fetches() > 0, 'the mock fetched the JWKS the test serves');
  });
}

t.test("a wrong secret is openid-client's ResponseBodyError invalid_client", async (t) => {
  const account = await createAccount('orgs', LEVELS[0].owner, createAttributes('oidc-wrong', LEVELS[0].role, 'oauth_client_secret'));
  const config = new client.Configuration(server, account.client_id, 'not-the-secret', client.ClientSecretPost('not-the-secret'));
  client.allowInsecureRequests(config);
  const err = await client.clientCredentialsGrant(config).then(
    () => undefined,
    (e: unknown) => e,
  );
  t.ok(err instanceof client.ResponseBodyError, 'a ResponseBodyError');
  t.equal((err as client.ResponseBodyError).error, 'invalid_client');
  t.equal((err as client.ResponseBodyError).status, 401);
});
