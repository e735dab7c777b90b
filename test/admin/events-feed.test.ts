// What the dashboard's event stream carries besides `change`: one `request` per journaled request
// (the journal entry, without its body; never for /__admin; none with --journal-size 0; no secret),
// and a `control` after each successful change to a test control. Read over a real port by an
// outside parser (eventsource-parser).
import t from 'tap';
import type { EventSourceMessage } from 'eventsource-parser';
import { buildApp, call, createBody, IDS, orgPath, V } from '../helper.js';
import { oauthPost, tokenFor } from '../support/oauth.js';
import { listen, open, pool, until, type Stream } from '../support/sse.js';

const json = (m: EventSourceMessage) => JSON.parse(m.data) as Record<string, unknown>;
const requestEvents = (s: Stream) => s.messages.filter((m) => m.event === 'request').map(json);
const leaks = (text: string, secrets: string[]) => secrets.filter((secret) => text.includes(secret));

/** A GET /rest/self whose `request` event marks the end of what a test sent: everything before it has arrived by then. */
async function marker(app: Parameters<typeof call>[0], s: Stream, n: number): Promise<string> {
  const res = await call(app, { url: `/rest/self?version=${V}&marker=${n}` });
  const id = res.headers['snyk-request-id'] as string;
  await until(() => requestEvents(s).some((e) => e.id === id));
  return id;
}

t.test('one `request` event per journaled request: the journal entry without its body; /__admin sends none', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  t.equal(app.journal.listening, 0, 'no stream open: the journal has no listener');
  const s = await open(url, pool(t));
  t.teardown(() => s.abort());
  t.equal(app.journal.listening, 1, 'a stream open: the feed listens');

  // admin calls, reads and writes: never journaled, so never streamed as requests
  t.equal((await app.inject({ url: '/__admin/overview' })).statusCode, 200);
  t.equal((await app.inject({ url: '/__admin/requests' })).statusCode, 200);
  t.equal(
    (await app.inject({ method: 'POST', url: '/__admin/groups', headers: { 'content-type': 'application/json' }, payload: { name: 'g' } })).statusCode,
    201,
  );
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'streamed', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201);
  const denied = await call(app, { url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}`, token: 'not-a-token' });
  t.equal(denied.statusCode, 401);
  const last = await marker(app, s, 1);

  const events = requestEvents(s);
  const ids = [created.headers['snyk-request-id'], denied.headers['snyk-request-id'], last];
  t.same(
    events.map((e) => e.id),
    ids,
    'exactly one per REST request, in order; none for /__admin',
  );
  t.same(
    s.messages.map((m) => m.event),
    ['change', 'change', 'request', 'request', 'request'],
    'the admin write is a change, not a request; the create commits, then is answered',
  );

  const journal = (await app.inject({ url: '/__admin/requests' })).json() as { requests: Record<string, unknown>[] };
  t.same(
    journal.requests.map((r) => r.id),
    [...ids].reverse(),
    'the journal holds the same requests',
  );
  for (const event of events) {
    const { body, body_truncated, ...entry } = journal.requests.find((r) => r.id === event.id)!;
    t.same(event, entry, `${entry.method} ${entry.path}: the journal entry's fields`);
    t.notOk('body' in event, 'no body in the stream');
    if (event.id === ids[0]) t.match(body, { data: { attributes: { name: 'streamed' } } }, 'while the journal has the body');
    t.equal(body_truncated, undefined);
  }
  t.match(events[0], { method: 'POST', path: orgPath(), query: { version: V }, status: 201, principal: { type: 'user', id: IDS.users.admin } });
  t.match(events[1], { method: 'GET', status: 401, principal: null });
});

t.test('no secret in request events: credentials in headers, query strings and bodies stay out', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  const s = await open(url, pool(t));
  t.teardown(() => s.abort());

  const minted: string[] = [];
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'keyed', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  const key = created.json().data.attributes.api_key as string;
  minted.push(key);
  t.same(leaks(created.body, minted), [key], 'positive control: the search finds the key where it is');
  const oauth = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'client', role_id: IDS.roles.orgAdmin, auth_type: 'oauth_client_secret' }),
  });
  const { client_id: clientId, client_secret: secret } = oauth.json().data.attributes as { client_id: string; client_secret: string };
  minted.push(secret);
  const token = await tokenFor(app, clientId, secret); // the secret in a form body
  minted.push(token);
  t.equal(minted.length, 3);

  t.equal((await call(app, { url: `/rest/self?version=${V}`, token: key })).statusCode, 200, 'the key in a header');
  t.equal((await app.inject({ url: `/rest/self?version=${V}&api_key=${key}` })).statusCode, 401, 'the key in a query string');
  t.equal((await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: `bearer ${token}` } })).statusCode, 200, 'the token in a header');
  t.equal((await oauthPost(app, 'revoke', { token, client_id: clientId, client_secret: secret })).statusCode, 200, 'token and secret in a form body');
  await marker(app, s, 1);

  const events = requestEvents(s);
  t.equal(events.length, 8, 'every one of them streamed');
  t.same(leaks(s.messages.map((m) => m.data).join('\n'), minted), [], 'no minted secret in any event');
  t.match(
    events.find((e) => (e.query as Record<string, unknown>).api_key),
    { query: { api_key: '[Redacted]' } },
    'a secret query parameter is there, redacted',
  );
});

t.test('--journal-size 0: panels.journal is false, and no request events', async (t) => {
  const app = await buildApp(t, { settings: { journalSize: 0 } });
  t.same((await app.inject({ url: '/__admin/overview' })).json().panels, { journal: false, clock: true, faults: true, rate_limit: true, switches: true });
  const url = await listen(app);
  const s = await open(url, pool(t));
  t.teardown(() => s.abort());
  t.equal((await call(app, { url: `/rest/self?version=${V}` })).statusCode, 200);
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `${orgPath()}?version=${V}`,
        payload: createBody({ name: 'unjournaled', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
      })
    ).statusCode,
    201,
  );
  // an admin write after them: once its change arrives, anything they sent has arrived too
  t.equal(
    (await app.inject({ method: 'POST', url: '/__admin/groups', headers: { 'content-type': 'application/json' }, payload: { name: 'last' } })).statusCode,
    201,
  );
  await s.next(2);
  t.same(
    s.messages.map((m) => [m.event, json(m).collections]),
    [
      ['change', ['service_accounts', 'credentials']],
      ['change', ['groups']],
    ],
    'the changes only',
  );
});

t.test('the journal panel is on by default', async (t) => {
  const app = await buildApp(t);
  t.same((await app.inject({ url: '/__admin/overview' })).json().panels, { journal: true, clock: true, faults: true, rate_limit: true, switches: true });
});

t.test('a `control` event after each change to a test control; none for reads or refused changes', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  const s = await open(url, pool(t));
  t.teardown(() => s.abort());
  const admin = (method: 'GET' | 'POST' | 'DELETE', path: string, payload?: object) =>
    app.inject({ method, url: `/__admin/${path}`, ...(payload ? { payload } : {}) }).then((r) => r.statusCode);

  const statuses = [
    await admin('GET', 'clock'),
    await admin('POST', 'clock', { now: 'yesterday' }),
    await admin('POST', 'clock', { now: '2030-01-01T00:00:00Z' }),
    await admin('POST', 'clock', { advance: '90m' }),
    await admin('DELETE', 'clock'),
    await admin('POST', 'faults', { status: 500 }),
    await admin('POST', 'faults', { status: 503, path: '/rest/**' }),
    await admin('GET', 'faults'),
    await admin('DELETE', 'faults/fault-1'),
    await admin('DELETE', 'faults/fault-99'),
    await admin('DELETE', 'faults'),
    await admin('POST', 'rate-limit', { limit: 0 }),
    await admin('POST', 'rate-limit', { limit: 3, window_seconds: 60 }),
    await admin('GET', 'rate-limit'),
    await admin('POST', 'switches', { auth: 'presence' }),
    await admin('GET', 'switches'),
    await admin('GET', 'requests'),
    await admin('DELETE', 'requests'),
  ];
  t.same(statuses, [200, 400, 200, 200, 200, 201, 201, 200, 204, 404, 204, 400, 200, 200, 200, 200, 200, 204]);
  await s.next(10);
  t.same(
    s.messages.map((m) => `${m.event} ${json(m).control}`),
    ['clock', 'clock', 'clock', 'faults', 'faults', 'faults', 'faults', 'rate_limit', 'switches', 'journal'].map((c) => `control ${c}`),
  );
  t.same(json(s.messages[0]), { control: 'clock' }, 'the name of the control, nothing of its content');
});

t.test('the journal feed runs while any stream is open, and stops with the last', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  const agent = pool(t);
  const a = await open(url, agent);
  const b = await open(url, agent);
  t.equal(app.events.subscribers, 2);
  t.equal(app.journal.listening, 1, 'one feed for every stream');
  a.abort();
  await until(() => app.events.subscribers < 2);
  t.equal(app.journal.listening, 1, 'still one stream open');
  await marker(app, b, 1);
  t.equal(requestEvents(b).length, 1, 'and it still gets the requests');
  b.abort();
  await until(() => app.events.subscribers < 1);
  t.equal(app.journal.listening, 0, 'no stream: the journal has no listener again');
  const c = await open(url, agent);
  t.teardown(() => c.abort());
  t.equal(app.journal.listening, 1, 'a new stream starts it again');
  await marker(app, c, 2);
  t.equal(requestEvents(c).length, 1);
});
