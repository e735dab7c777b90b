// What happens to issued tokens over time: rotation, deletion, isolation between accounts, purging of
// expired credentials, the per-account cap, and restarts on the file store.
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_LIVE_TOKENS_PER_ACCOUNT } from '../../src/services/oauth.js';
import { digest } from '../../src/snyk/credentials.js';
import { buildApp, call, groupPath, IDS, orgPath, V } from '../helper.js';
import { CLIENTS, expectOAuthError, oauthPost, rest, TestClock, tokenFor } from '../support/oauth.js';

const fd = CLIENTS.frontendDeployer;

t.test('rotation: old secrets fail at once, tokens already issued stay valid until they expire', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const before = await tokenFor(app, fd.id, fd.secret);
  const secrets = (mode: string, secret?: string) =>
    call(app, {
      method: 'POST',
      url: `${orgPath(IDS.frontend, fd.account)}/secrets?version=${V}`,
      payload: { data: { type: 'service_account', attributes: { mode, ...(secret ? { secret } : {}) } } },
    });

  const replaced = await secrets('replace');
  t.equal(replaced.statusCode, 200, replaced.body);
  const s2 = replaced.json().data.attributes.client_secret;
  expectOAuthError(t, await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: fd.id, client_secret: fd.secret }), 401, 'invalid_client');
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: before })).statusCode, 200, 'the token issued before rotation still works');
  t.ok(await tokenFor(app, fd.id, s2), 'the new secret works');

  const added = await secrets('create');
  const s3 = added.json().data.attributes.client_secret;
  t.ok(await tokenFor(app, fd.id, s2), 'both secrets work');
  t.ok(await tokenFor(app, fd.id, s3));
  t.equal((await secrets('delete', s2)).statusCode, 200);
  expectOAuthError(t, await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: fd.id, client_secret: s2 }), 401, 'invalid_client');
  t.ok(await tokenFor(app, fd.id, s3));

  clock.advance(3600);
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: before })).statusCode, 401, 'then it expires');
});

t.test('deleting the account revokes its tokens at once', async (t) => {
  const app = await buildApp(t);
  const token = await tokenFor(app, fd.id, fd.secret);
  t.equal((await call(app, { method: 'DELETE', url: `${orgPath(IDS.frontend, fd.account)}?version=${V}` })).statusCode, 204);
  t.equal((await rest(app, { url: '/rest/self', scheme: 'bearer', credential: token })).statusCode, 401);
  expectOAuthError(
    t,
    await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: fd.id, client_secret: fd.secret }),
    401,
    'invalid_client',
    /unknown client_id/,
  );
});

t.test("a token minted for one account never authorises another's scope", async (t) => {
  const app = await buildApp(t);
  const frontend = await tokenFor(app, fd.id, fd.secret);
  const backend = await tokenFor(app, CLIENTS.backendDeployer.id, CLIENTS.backendDeployer.secret);
  const group = await tokenFor(app, CLIENTS.groupOauth.id, CLIENTS.groupOauth.secret);
  const status = async (token: string, url: string) => (await rest(app, { url, scheme: 'bearer', credential: token })).statusCode;
  t.equal(await status(frontend, orgPath(IDS.frontend)), 200);
  t.equal(await status(frontend, orgPath(IDS.backend)), 404, 'frontend token, backend org');
  t.equal(await status(frontend, groupPath()), 404, 'an org account cannot read its group');
  t.equal(await status(backend, orgPath(IDS.backend)), 200);
  t.equal(await status(backend, orgPath(IDS.frontend)), 404, 'backend token, frontend org');
  t.equal(await status(backend, orgPath(IDS.backend, fd.account)), 404, 'the frontend account is not in the backend org');
  t.equal(await status(group, orgPath(IDS.backend)), 200, "a group account reaches the group's orgs");
  t.equal(await status(group, groupPath(IDS.otherGroup)), 404, 'but not the other group');
  t.equal(await status(group, orgPath(IDS.otherOrg)), 404, 'nor its orgs');
  // the token names its account: changing the subject makes it an unknown credential
  const [h, , s] = frontend.split('.');
  const payload = JSON.parse(Buffer.from(frontend.split('.')[1], 'base64url').toString());
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: CLIENTS.backendDeployer.account })).toString('base64url')}.${s}`;
  t.equal(await status(forged, orgPath(IDS.backend)), 401);
  t.equal(await status(forged, orgPath(IDS.frontend)), 401);
  // /self tells them apart
  t.equal((await rest(app, { url: '/rest/self', scheme: 'bearer', credential: backend })).json().data.id, CLIENTS.backendDeployer.account);
  t.same(
    (await rest(app, { url: '/rest/self', scheme: 'bearer', credential: group })).json().data.attributes,
    { name: 'group-oauth' },
    'a group account has no default org',
  );
});

/** A scheduler the test fires by hand: the purge timer without waiting for it. */
function manualScheduler() {
  const timers: { ms: number; fn: () => void; cancelled: boolean }[] = [];
  return {
    timers,
    every(ms: number, fn: () => void) {
      const timer = { ms, fn, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  };
}

t.test('the purge timer: every minute it deletes expired credentials; it stops at close', async (t) => {
  const clock = new TestClock();
  const scheduler = manualScheduler();
  const app = await buildApp(t, { clock, scheduler });
  t.equal(scheduler.timers.length, 1, 'one timer');
  const [timer] = scheduler.timers;
  t.equal(timer.ms, 60_000);
  const token = await tokenFor(app, fd.id, fd.secret);
  timer.fn();
  await app.store.settle();
  t.ok(app.store.state.get('credentials', digest(token)), 'a live token stays');
  clock.advance(3601);
  timer.fn();
  await app.store.settle();
  t.notOk(app.store.state.get('credentials', digest(token)), 'the timer purged it once it expired');
  t.notOk(timer.cancelled);
  await app.close();
  t.ok(timer.cancelled, 'cancelled when the app closes');
});

t.test('expired credentials are purged, on issue and on demand', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const token = await tokenFor(app, fd.id, fd.secret);
  const id = digest(token);
  t.ok(app.store.state.get('credentials', id), 'the issued token is recorded by digest');
  t.notOk(JSON.stringify(app.store.data).includes(token), 'never the token itself');
  t.match(app.store.state.get('credentials', id), {
    kind: 'oauth_access_token',
    principal_id: fd.account,
    expires_at: new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + 3_600_000).toISOString(),
  });

  clock.advance(3601);
  t.equal(await app.oauth.purgeExpired(), 1);
  t.notOk(app.store.state.get('credentials', id), 'purged');
  t.equal(await app.oauth.purgeExpired(), 0);

  // issuing purges what has expired meanwhile, in the same commit
  const second = await tokenFor(app, fd.id, fd.secret);
  clock.advance(3601);
  await tokenFor(app, fd.id, fd.secret);
  t.notOk(app.store.state.get('credentials', digest(second)), 'purged when the next token was issued');
  // expired service-account access tokens (PATs) go too
  const pat = [...app.store.state.credentialsByPrincipal.get(IDS.sa.frontendToken)!][0];
  clock.advance(200 * 86400);
  await app.oauth.purgeExpired();
  t.notOk(app.store.state.get('credentials', pat.id), 'an expired access_token credential is purged');
  t.ok(app.store.state.get('service_accounts', IDS.sa.frontendToken), 'its account stays');
});

t.test('live tokens per account are capped; the oldest go first', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const first = await tokenFor(app, fd.id, fd.secret);
  clock.advance(1);
  const second = await tokenFor(app, fd.id, fd.secret);
  clock.advance(1);
  for (let i = 0; i < MAX_LIVE_TOKENS_PER_ACCOUNT - 1; i++) await tokenFor(app, fd.id, fd.secret);
  const live = [...app.store.state.credentialsByPrincipal.get(fd.account)!].filter((c) => c.kind === 'oauth_access_token');
  t.equal(live.length, MAX_LIVE_TOKENS_PER_ACCOUNT);
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: first })).statusCode, 401, 'the oldest was revoked');
  t.equal((await rest(app, { url: orgPath(), scheme: 'bearer', credential: second })).statusCode, 200);
});

t.test('issued tokens survive a restart on the file store', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-oauth-'));
  const settings = { store: 'file' as const, db: join(dir, 'db.json') };
  const first = await buildApp(t, { settings });
  const token = await tokenFor(first, fd.id, fd.secret);
  const kid = first.oauth.kid;
  await first.close();
  t.notOk(readFileSync(settings.db, 'utf8').includes(token), 'the data file holds the digest only');
  const second = await buildApp(t, { settings });
  t.not(second.oauth.kid, kid, 'a new signing key per process');
  t.equal((await rest(second, { url: '/rest/self', scheme: 'bearer', credential: token })).statusCode, 200, 'the token still authenticates');
  t.equal((await oauthPost(second, 'revoke', { client_id: fd.id, client_secret: fd.secret, token })).statusCode, 200);
  await second.close();
  const third = await buildApp(t, { settings });
  t.equal((await rest(third, { url: '/rest/self', scheme: 'bearer', credential: token })).statusCode, 401, 'and its revocation is durable');
});
