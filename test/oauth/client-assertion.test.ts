// private_key_jwt: the seeded signer accounts (inline JWKS from fixtures, demo key) and a JWKS served
// over http on 127.0.0.1. Every way an assertion can fail is rejected with invalid_client.
import t from 'tap';
import { ClientAssertionError, ClientAssertions, isLoopbackHost, jwksUrlProblem } from '../../src/services/client-assertion.js';
import type { ServiceAccountRecord } from '../../src/schemas/store.js';
import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import { buildApp, groupPath, IDS, orgPath } from '../helper.js';
import {
  assertionForm,
  CLIENTS,
  createAccount,
  DEMO_KID,
  demoSignerKey,
  expectOAuthError,
  INJECT_TOKEN_URL,
  jwksServer,
  oauthPost,
  rest,
  rsaKey,
  signAssertion,
  SNYK_TOKEN_URL,
  TestClock,
} from '../support/oauth.js';

const signer = CLIENTS.frontendSigner;

t.test('the seeded signer accounts authenticate with the demo key (inline JWKS)', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const key = await demoSignerKey();
  for (const aud of [SNYK_TOKEN_URL, INJECT_TOKEN_URL, [SNYK_TOKEN_URL, 'https://elsewhere.example']]) {
    const assertion = await signAssertion({ key, clientId: signer.id, aud, now: clock.now() });
    const res = await oauthPost(app, 'token', assertionForm(assertion));
    t.equal(res.statusCode, 200, `aud ${JSON.stringify(aud)}: ${res.body}`);
    t.match(res.json(), { token_type: 'bearer', expires_in: 7200, bot_id: signer.account, scope: '' });
    t.equal(res.headers['cache-control'], 'no-store');
  }
  // client_id in the body is optional, and must then match iss
  const withId = await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: signer.id, now: clock.now() }), { client_id: signer.id }));
  t.equal(withId.statusCode, 200);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: signer.id, now: clock.now() }), { client_id: CLIENTS.groupSigner.id })),
    401,
    'invalid_client',
    /"iss" must equal client_id/,
  );

  // the group signer (Group Admin of Acme): its token reaches the group and its orgs, not the other group
  const group = await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: CLIENTS.groupSigner.id, now: clock.now() })));
  t.equal(group.statusCode, 200, group.body);
  const token = group.json().access_token;
  t.equal((await rest(app, { url: groupPath(), scheme: 'bearer', credential: token })).statusCode, 200);
  t.equal((await rest(app, { url: orgPath(IDS.backend), scheme: 'bearer', credential: token })).statusCode, 200);
  t.equal((await rest(app, { url: groupPath(IDS.otherGroup), scheme: 'bearer', credential: token })).statusCode, 404);
  t.equal((await rest(app, { url: orgPath(IDS.otherOrg), scheme: 'bearer', credential: token })).statusCode, 404);
});

t.test('rejected assertions: invalid_client 401', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const key = await demoSignerKey();
  const other = await rsaKey(DEMO_KID);
  const now = clock.now();
  const reject = async (name: string, assertion: string, description: RegExp) => {
    t.test(name, async (t) => {
      expectOAuthError(t, await oauthPost(app, 'token', assertionForm(assertion)), 401, 'invalid_client', description);
    });
  };
  await reject(
    'signed by a key not in the JWKS (same kid)',
    await signAssertion({ key: other.privateKey, clientId: signer.id, now }),
    /signature does not verify/,
  );
  await reject(
    'a kid not in the JWKS',
    await signAssertion({ key: other.privateKey, kid: 'someone-else', clientId: signer.id, now }),
    /No key with kid "someone-else"/,
  );
  await reject('no kid', await signAssertion({ key, kid: '', clientId: signer.id, now }), /"kid" header/);
  await reject(
    'wrong aud',
    await signAssertion({ key, clientId: signer.id, aud: 'https://api.eu.snyk.io/oauth2/token', now }),
    /"aud" must be one of: https:\/\/api\.snyk\.io\/oauth2\/token, http:\/\/localhost:80\/oauth2\/token/,
  );
  await reject(
    'aud of another endpoint of the mock',
    await signAssertion({ key, clientId: signer.id, aud: 'http://localhost:80/oauth2/revoke', now }),
    /"aud"/,
  );
  await reject('expired', await signAssertion({ key, clientId: signer.id, now: new Date(now.getTime() - 600_000), expiresIn: 300 }), /expired/);
  await reject('exp too far ahead', await signAssertion({ key, clientId: signer.id, now, expiresIn: 7200 }), /too far in the future/);
  await reject('sub is not the client', await signAssertion({ key, clientId: signer.id, sub: 'someone', now }), /"sub" must be the client_id/);
  await reject('iss of an unknown client', await signAssertion({ key, clientId: '00000000-0000-4000-8000-00000000dead', now }), /unknown client_id/);
  await reject('not a JWT', 'not-a-jwt', /not a JWT/);
  await reject(
    'unsigned (alg none)',
    `${Buffer.from('{"alg":"none","kid":"snyk-mock-demo-signer-1"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: signer.id, sub: signer.id })).toString('base64url')}.`,
    /RS256/,
  );
  const { privateKey: ecKey } = await (await import('jose')).generateKeyPair('ES256');
  await reject('ES256 instead of RS256', await signAssertion({ key: ecKey, alg: 'ES256', clientId: signer.id, now }), /RS256/);

  t.test('replayed jti', async (t) => {
    const assertion = await signAssertion({ key, clientId: signer.id, jti: 'once-only', now });
    t.equal((await oauthPost(app, 'token', assertionForm(assertion))).statusCode, 200);
    expectOAuthError(t, await oauthPost(app, 'token', assertionForm(assertion)), 401, 'invalid_client', /already been used/);
    // a new assertion with the same jti is a replay too
    expectOAuthError(
      t,
      await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: signer.id, jti: 'once-only', now }))),
      401,
      'invalid_client',
      /already been used/,
    );
    // the same jti from another client is that client's own
    t.equal(
      (await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: CLIENTS.groupSigner.id, jti: 'once-only', now })))).statusCode,
      200,
    );
  });

  t.test('a rejected assertion does not burn its jti', async (t) => {
    const forged = await signAssertion({ key: other.privateKey, clientId: signer.id, jti: 'precious', now });
    expectOAuthError(t, await oauthPost(app, 'token', assertionForm(forged)), 401, 'invalid_client');
    t.equal((await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: signer.id, jti: 'precious', now })))).statusCode, 200);
  });
});

t.test('jwks_url served over http on 127.0.0.1 (SNYK_MOCK_ALLOW_HTTP_JWKS)', async (t) => {
  const clock = new TestClock();
  const k1 = await rsaKey('k1');
  const jwks = await jwksServer(t, [k1.jwk]);
  const app = await buildApp(t, { clock, settings: { allowHttpJwks: true } });
  t.equal(app.settings.allowHttpJwks, true);
  const created = await createAccount(app, orgPath(), {
    name: 'remote-signer',
    auth_type: 'oauth_private_key_jwt',
    role_id: IDS.roles.orgAdmin,
    jwks_url: jwks.url,
  });
  t.equal(created.statusCode, 201, created.body);
  const clientId = created.json().data.attributes.client_id;

  const res = await oauthPost(app, 'token', assertionForm(await signAssertion({ key: k1.privateKey, kid: 'k1', clientId, now: clock.now() })));
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().expires_in, 3600);
  t.equal(jwks.fetches(), 1);
  await oauthPost(app, 'token', assertionForm(await signAssertion({ key: k1.privateKey, kid: 'k1', clientId, now: clock.now() })));
  t.equal(jwks.fetches(), 1, 'the JWKS is cached');

  // http to a non-loopback host is refused even with the setting
  const far = await createAccount(app, orgPath(), {
    name: 'far',
    auth_type: 'oauth_private_key_jwt',
    role_id: IDS.roles.orgAdmin,
    jwks_url: 'http://keys.example/jwks.json',
  });
  t.equal(far.statusCode, 400);
  t.match(far.json().errors[0], { detail: /loopback/, source: { pointer: '/data/attributes/jwks_url' } });
  for (const url of ['http://localhost:1/jwks.json', 'http://[::1]:1/jwks.json', 'http://127.1.2.3:1/x']) {
    t.equal(
      (await createAccount(app, orgPath(), { name: `ok-${url}`, auth_type: 'oauth_private_key_jwt', role_id: IDS.roles.orgAdmin, jwks_url: url })).statusCode,
      201,
      url,
    );
  }
});

t.test('without the setting, http jwks_url is refused at create and at the token endpoint', async (t) => {
  const app = await buildApp(t, { settings: { allowHttpJwks: false } });
  const res = await createAccount(app, orgPath(), {
    name: 'http-signer',
    auth_type: 'oauth_private_key_jwt',
    role_id: IDS.roles.orgAdmin,
    jwks_url: 'http://127.0.0.1:1/jwks.json',
  });
  t.equal(res.statusCode, 400);
  t.match(res.json().errors[0].detail, /^jwks_url must be an https URL\.$/);

  // an account stored with an http jwks_url earlier (say, a data file from a run with the setting) is not fetched
  const sa = app.store.state.get('service_accounts', CLIENTS.frontendSigner.account)!;
  await app.store.commit([
    { op: 'put', coll: 'service_accounts', value: { ...sa, jwks: undefined, jwks_url: 'http://127.0.0.1:1/jwks.json' } as ServiceAccountRecord },
  ]);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', assertionForm(await signAssertion({ key: await demoSignerKey(), clientId: signer.id }))),
    401,
    'invalid_client',
    /jwks_url must be an https URL/,
  );
});

t.test('an unreachable or broken JWKS is invalid_client, not a server error', async (t) => {
  const jwks = await jwksServer(t, []);
  const app = await buildApp(t, { settings: { allowHttpJwks: true } });
  const key = await rsaKey('k');
  const mk = async (name: string, url: string) =>
    (await createAccount(app, orgPath(), { name, auth_type: 'oauth_private_key_jwt', role_id: IDS.roles.orgAdmin, jwks_url: url })).json().data.attributes
      .client_id;
  const missing = await mk('missing', jwks.url.replace('jwks.json', 'nope.json'));
  expectOAuthError(
    t,
    await oauthPost(app, 'token', assertionForm(await signAssertion({ key: key.privateKey, kid: 'k', clientId: missing }))),
    401,
    'invalid_client',
    /JWKS|could not be verified/,
  );
  const empty = await mk('empty', jwks.url);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', assertionForm(await signAssertion({ key: key.privateKey, kid: 'k', clientId: empty }))),
    401,
    'invalid_client',
    /No key with kid "k"/,
  );
  // a closed port
  const closed = await mk('closed', 'http://127.0.0.1:9/jwks.json');
  expectOAuthError(
    t,
    await oauthPost(app, 'token', assertionForm(await signAssertion({ key: key.privateKey, kid: 'k', clientId: closed }))),
    401,
    'invalid_client',
    /fetch the service account's JWKS/,
  );
});

t.test("a fault of the server while verifying is a 500 server_error, not the client's 401", async (t) => {
  // the verifier: what it cannot blame on the assertion or on fetching the JWKS, it rethrows as it is
  // (jose's verify made to fail the way a bug of ours would, with a TypeError)
  const bug = new TypeError("Cannot read properties of undefined (reading 'kid')");
  const mocked = await t.mockImport<typeof import('../../src/services/client-assertion.js')>('../../src/services/client-assertion.js', {
    jose: { ...jose, jwtVerify: async () => Promise.reject(bug) },
  });
  const verifier = new mocked.ClientAssertions(new TestClock(), { allowHttpJwks: false });
  const demoJwks = JSON.parse(readFileSync(new URL('../../fixtures/default.json', import.meta.url), 'utf8')).service_accounts.find(
    (s: { id: string }) => s.id === signer.account,
  ).jwks;
  const assertion = await signAssertion({ key: await demoSignerKey(), clientId: 'client-1' });
  const err = await verifier.verify(assertion, account({ jwks: demoJwks }), [SNYK_TOKEN_URL]).catch((e: unknown) => e);
  t.equal(err, bug, 'the very error, rethrown');
  t.notOk(err instanceof mocked.ClientAssertionError, 'not turned into an assertion failure');

  // and the token endpoint answers such an error with a 500, logged, instead of blaming the client
  const lines: string[] = [];
  const app = await buildApp(t, { settings: { logLevel: 'error' }, logger: { stream: { write: (l: string) => void lines.push(l) } } });
  app.oauth.assertions.verify = async () => Promise.reject(bug);
  const res = await oauthPost(app, 'token', assertionForm(await signAssertion({ key: await demoSignerKey(), clientId: signer.id })));
  expectOAuthError(t, res, 500, 'server_error');
  t.notMatch(res.body, /kid/, 'nothing of the fault in the answer');
  t.match(lines.join(''), /Cannot read properties of undefined \(reading 'kid'\)/, 'the fault is logged');
});

// ---- the verifier on its own ------------------------------------------------------------------

const account = (over: Partial<ServiceAccountRecord> = {}): ServiceAccountRecord => ({
  id: 'sa-1',
  level: 'Org',
  owner_id: 'org',
  name: 'x',
  auth_type: 'oauth_private_key_jwt',
  role_id: 'r',
  created_at: '2025-01-01T00:00:00Z',
  client_id: 'client-1',
  ...over,
});

t.test('key rotation at the jwks_url is picked up', async (t) => {
  const k1 = await rsaKey('k1');
  const k2 = await rsaKey('k2');
  const jwks = await jwksServer(t, [k1.jwk]);
  const clock = new TestClock();
  // no cache and no cooldown here, so the test does not depend on timing
  const v = new ClientAssertions(clock, { allowHttpJwks: true, jwksCacheTtlMs: 0, jwksCooldownMs: 0 });
  const sa = account({ jwks_url: jwks.url });
  const aud = [SNYK_TOKEN_URL];
  await t.resolves(v.verify(await signAssertion({ key: k1.privateKey, kid: 'k1', clientId: 'client-1', now: clock.now() }), sa, aud));
  jwks.setKeys([k2.jwk]);
  await t.rejects(
    v.verify(await signAssertion({ key: k1.privateKey, kid: 'k1', clientId: 'client-1', now: clock.now() }), sa, aud),
    ClientAssertionError,
    'the retired key no longer works',
  );
  await t.resolves(v.verify(await signAssertion({ key: k2.privateKey, kid: 'k2', clientId: 'client-1', now: clock.now() }), sa, aud), 'the new key works');
});

t.test('the replay cache is bounded and forgets expired jtis', async (t) => {
  const clock = new TestClock();
  const key = await demoSignerKey();
  const jwks = {
    keys: [
      (
        JSON.parse((await import('node:fs')).readFileSync(new URL('../../fixtures/default.json', import.meta.url), 'utf8')).service_accounts as {
          name: string;
          jwks?: { keys: unknown[] };
        }[]
      ).find((s) => s.name === 'frontend-signer')!.jwks!.keys[0] as Record<string, unknown>,
    ],
  };
  const v = new ClientAssertions(clock, { allowHttpJwks: false, maxReplayEntries: 3 });
  const sa = account({ jwks });
  const aud = [SNYK_TOKEN_URL];
  for (let i = 0; i < 10; i++) {
    await v.verify(await signAssertion({ key, clientId: 'client-1', jti: `j${i}`, now: clock.now() }), sa, aud);
    t.ok(v.replayCacheSize <= 3, `size ${v.replayCacheSize} after ${i + 1}`);
  }
  // a jti is remembered until its assertion expires; then it may be used again
  const v2 = new ClientAssertions(clock, { allowHttpJwks: false });
  const a = await signAssertion({ key, clientId: 'client-1', jti: 'reuse', now: clock.now(), expiresIn: 60 });
  await v2.verify(a, sa, aud);
  await t.rejects(v2.verify(a, sa, aud), /already been used/);
  clock.advance(61);
  await t.rejects(v2.verify(a, sa, aud), /expired/, 'the old assertion itself has expired');
  await t.resolves(
    v2.verify(await signAssertion({ key, clientId: 'client-1', jti: 'reuse', now: clock.now() }), sa, aud),
    'the jti was forgotten with its assertion',
  );
});

t.test('jwks_url rules', async (t) => {
  for (const h of ['localhost', '127.0.0.1', '127.255.0.9', '[::1]', '::1', 'LOCALHOST']) t.ok(isLoopbackHost(h), h);
  for (const h of ['example.com', '10.0.0.1', '128.0.0.1', 'localhost.example', '[::2]', '0.0.0.0']) t.notOk(isLoopbackHost(h), h);
  t.equal(jwksUrlProblem('https://keys.example/jwks', false), undefined);
  t.match(jwksUrlProblem('http://127.0.0.1/jwks', false), /https/);
  t.equal(jwksUrlProblem('http://127.0.0.1/jwks', true), undefined);
  t.match(jwksUrlProblem('http://keys.example/jwks', true), /loopback/);
  t.match(jwksUrlProblem('ftp://127.0.0.1/jwks', true), /https/);
  t.match(jwksUrlProblem('not a url', true), /not a valid URL/);
});
