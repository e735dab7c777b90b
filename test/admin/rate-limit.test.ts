// Rate-limit mode (/__admin/rate-limit, --rate-limit): per credential, 429 SNYK-0001 with
// retry-after in whole seconds, windows on the server clock; off by default.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, call, IDS, TOKENS, V } from '../helper.js';
import { CLIENTS, tokenFor } from '../support/oauth.js';

const self = `/rest/self?version=${V}`;
const setLimit = (app: FastifyInstance, payload: object) => app.inject({ method: 'POST', url: '/__admin/rate-limit', payload });
const advance = (app: FastifyInstance, by: string) => app.inject({ method: 'POST', url: '/__admin/clock', payload: { advance: by } });

t.test('off by default', async (t) => {
  const app = await buildApp(t);
  t.same((await app.inject({ url: '/__admin/rate-limit' })).json(), { enabled: false, limit: null, window_seconds: null, counters: [] });
  for (let i = 0; i < 30; i++) if ((await call(app, { url: self })).statusCode !== 200) t.fail(`request ${i} was not answered 200`);
});

t.test('past the limit: 429 with retry-after, until the window (moved by the clock) ends', async (t) => {
  const app = await buildApp(t);
  await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2030-01-01T00:00:00Z' } });
  const set = await setLimit(app, { limit: 3, window_seconds: 60 });
  t.equal(set.statusCode, 200);
  t.match(set.json(), { enabled: true, limit: 3, window_seconds: 60, counters: [] });

  for (let i = 1; i <= 3; i++) t.equal((await call(app, { url: self })).statusCode, 200, `request ${i}`);
  const limited = await call(app, { url: self });
  t.equal(limited.statusCode, 429);
  t.equal(limited.headers['retry-after'], '60', 'whole seconds until the window ends');
  t.match(limited.json().errors[0], { status: '429', code: 'SNYK-0001', title: 'Service temporarily throttled', detail: /3 requests per 60 seconds/ });
  t.notOk(limited.headers['snyk-version-served'], 'before the version gate');
  t.equal((await call(app, { url: self, token: TOKENS.viewer })).statusCode, 200, 'another credential has its own window');

  await advance(app, '45s');
  t.equal((await call(app, { url: self })).headers['retry-after'], '15');
  const state = (await app.inject({ url: '/__admin/rate-limit' })).json();
  t.equal(state.counters.length, 2);
  t.match(
    state.counters.find((c: { principal: { id: string } }) => c.principal.id === IDS.users.admin),
    {
      credential_id: /^[0-9a-f]{64}$/,
      principal: { type: 'user', id: IDS.users.admin },
      count: 3,
      rejected: 2,
      window_start: '2030-01-01T00:00:00.000Z',
      resets_at: '2030-01-01T00:01:00.000Z',
    },
  );
  t.notOk(JSON.stringify(state).includes(TOKENS.admin), 'counters never show the credential');

  await advance(app, '15s');
  t.equal((await call(app, { url: self })).statusCode, 200, 'a new window: the counter is reset');
  const journal = (await app.inject({ url: '/__admin/requests?status=429' })).json();
  t.equal(journal.total, 2, 'the 429s are journaled');

  const off = await setLimit(app, { enabled: false });
  t.match(off.json(), { enabled: false, limit: null, counters: [] });
  for (let i = 0; i < 5; i++) t.equal((await call(app, { url: self })).statusCode, 200);
});

t.test('per credential: two credentials of one service account count apart', async (t) => {
  const app = await buildApp(t, { settings: { rateLimit: '2/1m' } });
  const first = await tokenFor(app, CLIENTS.frontendDeployer.id, CLIENTS.frontendDeployer.secret);
  const second = await tokenFor(app, CLIENTS.frontendDeployer.id, CLIENTS.frontendDeployer.secret);
  const get = (token: string) => app.inject({ url: self, headers: { authorization: `bearer ${token}` } });
  t.same([(await get(first)).statusCode, (await get(first)).statusCode, (await get(first)).statusCode], [200, 200, 429], '--rate-limit 2/1m');
  t.equal((await get(second)).statusCode, 200, 'the other token of the same account');
  t.match((await app.inject({ url: '/__admin/rate-limit' })).json(), { enabled: true, limit: 2, window_seconds: 60 });
});

t.test('an unauthenticated request is not counted (authentication comes first)', async (t) => {
  const app = await buildApp(t);
  await setLimit(app, { limit: 1, window_seconds: 60 });
  t.equal((await app.inject({ url: self })).statusCode, 401);
  t.equal((await call(app, { url: self })).statusCode, 200);
  t.equal((await call(app, { url: self })).statusCode, 429);
});

t.test('bad settings are 400 ErrorDocuments and change nothing', async (t) => {
  const app = await buildApp(t);
  for (const [body, pointer] of [
    [{}, '/limit'],
    [{ limit: 3 }, '/window_seconds'],
    [{ window_seconds: 60 }, '/limit'],
    [{ limit: 0, window_seconds: 60 }, '/limit'],
    [{ limit: 3, window_seconds: 0 }, '/window_seconds'],
    [{ limit: 3, window_seconds: 86_401 }, '/window_seconds'],
    [{ limit: 'many', window_seconds: 60 }, '/limit'],
    [{ enabled: false, limit: 3 }, '/'],
    [{ enabled: 'no' }, '/enabled'],
    [{ limit: 3, window_seconds: 60, burst: 5 }, '/burst'],
  ] as const) {
    const res = await setLimit(app, body);
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.match(res.json().errors[0], { status: '400', source: { pointer } }, JSON.stringify(body));
  }
  t.equal((await app.inject({ url: '/__admin/rate-limit' })).json().enabled, false);
});

t.test('/v1 counts in the same window, answered in v1 shape', async (t) => {
  const app = await buildApp(t);
  await app.inject({ method: 'POST', url: '/__admin/clock', payload: { now: '2030-01-01T00:00:00Z' } });
  await setLimit(app, { limit: 1, window_seconds: 60 });
  t.equal((await call(app, { url: self })).statusCode, 200);
  const v1 = await app.inject({ url: `/v1/group/${IDS.acmeGroup}/roles`, headers: { authorization: `token ${TOKENS.admin}` } });
  t.equal(v1.statusCode, 429);
  t.equal(v1.headers['retry-after'], '60');
  t.match(v1.json(), { code: 429 });
});
