// The one server clock (/__admin/clock, --now): it expires access tokens and access_token
// credentials without waiting, moves the version gate's "today" and created_at; client assertions
// stay on real time.
import t from 'tap';
import { decodeJwt } from 'jose';
import type { FastifyInstance } from 'fastify';
import { buildApp, call, createBody, IDS, orgPath, V } from '../helper.js';
import { assertionForm, CLIENTS, demoSignerKey, oauthPost, signAssertion, tokenFor } from '../support/oauth.js';

const clock = (app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE' = 'GET', payload?: unknown) =>
  app.inject({ method, url: '/__admin/clock', ...(payload === undefined ? {} : { payload: payload as object }) });
const self = (app: FastifyInstance, authorization: string, version = V) => app.inject({ url: `/rest/self?version=${version}`, headers: { authorization } });

t.test('read, set (frozen), advance, back to real time', async (t) => {
  const app = await buildApp(t);
  const before = Date.now();
  const real = (await clock(app)).json();
  t.equal(real.frozen, false);
  t.ok(Date.parse(real.now) >= before - 1000 && Date.parse(real.now) <= Date.now() + 1000, 'real time');

  t.same((await clock(app, 'POST', { now: '2030-01-01T00:00:00Z' })).json(), { now: '2030-01-01T00:00:00.000Z', frozen: true });
  t.same((await clock(app)).json(), { now: '2030-01-01T00:00:00.000Z', frozen: true }, 'frozen: it stands still');
  t.same((await clock(app, 'POST', { advance: '90m' })).json(), { now: '2030-01-01T01:30:00.000Z', frozen: true });
  for (const [step, at] of [
    ['30s', '01:30:30'],
    ['2h', '03:30:30'],
    ['1d', '2030-01-02T03:30:30'],
  ] as const) {
    t.match((await clock(app, 'POST', { advance: step })).json().now, at, `advance ${step}`);
  }

  const back = (await clock(app, 'DELETE')).json();
  t.equal(back.frozen, false);
  t.ok(Math.abs(Date.parse(back.now) - Date.now()) < 5000, 'DELETE: real time again');
  const ahead = (await clock(app, 'POST', { advance: '7d' })).json();
  t.equal(ahead.frozen, false, 'advancing a running clock keeps it running');
  t.ok(Date.parse(ahead.now) - Date.now() > 7 * 86_400_000 - 5000, 'a week ahead of real time');
});

t.test('--now starts the clock frozen', async (t) => {
  const app = await buildApp(t, { settings: { now: '2031-05-05T12:00:00Z' } });
  t.same((await clock(app)).json(), { now: '2031-05-05T12:00:00.000Z', frozen: true });
});

t.test('a one-hour access token expires without waiting', async (t) => {
  const app = await buildApp(t);
  const token = await tokenFor(app, CLIENTS.frontendDeployer.id, CLIENTS.frontendDeployer.secret);
  t.equal((await self(app, `bearer ${token}`)).statusCode, 200);
  await clock(app, 'POST', { advance: '59m' });
  t.equal((await self(app, `bearer ${token}`)).statusCode, 200, 'after 59 minutes: still valid');
  await clock(app, 'POST', { advance: '2m' });
  const expired = await self(app, `bearer ${token}`);
  t.equal(expired.statusCode, 401, 'after 61 minutes: expired');
  t.match(expired.json().errors[0].detail, /expired/);
});

t.test('an access_token credential expires without waiting', async (t) => {
  const app = await buildApp(t);
  await clock(app, 'POST', { now: '2030-06-01T00:00:00Z' });
  const res = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'short-lived', role_id: IDS.roles.orgAdmin, auth_type: 'access_token', access_token_expires_at: '2030-06-01T01:00:00Z' }),
  });
  t.equal(res.statusCode, 201, res.body);
  t.equal(res.json().data.attributes.created_at, '2030-06-01T00:00:00.000Z', 'created_at: the server clock');
  const token: string = res.json().data.attributes.access_token;
  t.equal((await self(app, `token ${token}`)).statusCode, 200);
  await clock(app, 'POST', { advance: '1h' });
  t.equal((await self(app, `token ${token}`)).statusCode, 401, 'expired at its access_token_expires_at');
});

t.test("the version gate's today follows the clock", async (t) => {
  const app = await buildApp(t);
  const admin = 'token 11111111-1111-4111-8111-111111111111';
  await clock(app, 'POST', { now: '2024-06-01T00:00:00Z' });
  const early = await self(app, admin, '2024-10-15');
  t.equal(early.statusCode, 400);
  t.match(early.json().errors[0].detail, /requested version newer than present date 2024-06-01/);
  await clock(app, 'POST', { advance: '150d' });
  t.equal((await self(app, admin, '2024-10-15')).statusCode, 200, 'the same version, once its day has come');
  await clock(app, 'POST', { now: '2031-01-01T00:00:00Z' });
  t.equal((await self(app, admin, '2030-12-31')).statusCode, 200, 'a date far past real today');
});

t.test('client assertions are checked against real time, issued tokens carry the server time', async (t) => {
  const app = await buildApp(t);
  await clock(app, 'POST', { now: '2040-01-01T00:00:00Z' });
  const key = await demoSignerKey();
  const res = await oauthPost(app, 'token', assertionForm(await signAssertion({ key, clientId: CLIENTS.frontendSigner.id, now: new Date() })));
  t.equal(res.statusCode, 200, `an assertion stamped with real time is accepted: ${res.body}`);
  t.equal(decodeJwt(res.json().access_token).iat, Date.parse('2040-01-01T00:00:00Z') / 1000, 'the token is issued at the server time');
  const stale = await oauthPost(
    app,
    'token',
    assertionForm(await signAssertion({ key, clientId: CLIENTS.frontendSigner.id, now: new Date('2040-01-01T00:00:00Z') })),
  );
  t.equal(stale.statusCode, 401, 'an assertion stamped with the server time (years ahead) is not');
});

t.test('bad clock bodies are 400 ErrorDocuments', async (t) => {
  const app = await buildApp(t);
  for (const [body, pointer] of [
    [{}, '/'],
    [{ now: '2030-01-01T00:00:00Z', advance: '1h' }, '/'],
    [{ now: 'tomorrow' }, '/now'],
    [{ now: '2030-01-01' }, '/now'],
    [{ now: 20300101 }, '/now'],
    [{ advance: '-5m' }, '/advance'],
    [{ advance: '5x' }, '/advance'],
    [{ advance: '36501d' }, '/advance'],
    [{ advance: 5 }, '/advance'],
    [{ later: '1h' }, '/later'],
  ] as const) {
    const res = await clock(app, 'POST', body);
    t.equal(res.statusCode, 400, JSON.stringify(body));
    t.match(res.json().errors[0], { status: '400', source: { pointer } }, JSON.stringify(body));
  }
  const empty = await app.inject({ method: 'POST', url: '/__admin/clock', headers: { 'content-type': 'application/json' } });
  t.equal(empty.statusCode, 400, 'no body');
  t.equal((await clock(app)).json().frozen, false, 'nothing changed');
  // many big steps cannot carry the clock past what a Date holds
  await clock(app, 'POST', { now: '9999-01-01T00:00:00Z' });
  let last;
  for (let i = 0; i < 3000 && (last = await clock(app, 'POST', { advance: '36500d' })).statusCode === 200; i++);
  t.equal(last!.statusCode, 400, 'the end of time is a 400, not a 500');
  t.equal((await clock(app)).statusCode, 200, 'and the clock still reads');
});
