// GET /__admin/events: Server-Sent Events read by an outside parser (eventsource-parser, the one
// the page bundles); a `change` after each durable write (REST and admin), none for a failed one;
// subscribers leave with their client; an open stream never holds up close(); the admin secret.
import t from 'tap';
import { buildApp, call, createBody, IDS, orgPath, V } from '../helper.js';
import { listen, open, pool, until } from '../support/sse.js';

t.test('SSE framing, and a change event after each durable write', async (t) => {
  // no journal: this stream carries the changes only (request events: events-feed.test.ts)
  const app = await buildApp(t, { settings: { journalSize: 0 } });
  const url = await listen(app);
  const agent = pool(t);
  const s = await open(url, agent);
  t.teardown(() => s.abort());
  t.equal(s.response.status, 200);
  t.equal(s.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  t.equal(s.response.headers.get('cache-control'), 'no-cache, no-transform');
  t.ok(s.response.headers.get('snyk-request-id'), 'the usual request id');
  t.equal(s.retry, 2000, 'the reconnect delay comes first');
  t.same(s.comments, ['snyk-mock events']);
  t.equal(app.events.subscribers, 1);

  // a REST write
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'streamed', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201);
  const [first] = await s.next(1);
  t.equal(first.event, 'change');
  t.equal(first.id, '1');
  t.same(JSON.parse(first.data), { kind: 'commit', collections: ['service_accounts', 'credentials'] });

  // reads publish nothing; an admin write and a reset do
  t.equal((await app.inject({ url: '/__admin/overview' })).statusCode, 200);
  t.equal(
    (await app.inject({ method: 'POST', url: '/__admin/groups', headers: { 'content-type': 'application/json' }, payload: { name: 'g' } })).statusCode,
    201,
  );
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200);
  const all = await s.next(3);
  t.same(
    all.map((m) => [m.id, m.event, JSON.parse(m.data)]),
    [
      ['1', 'change', { kind: 'commit', collections: ['service_accounts', 'credentials'] }],
      ['2', 'change', { kind: 'commit', collections: ['groups'] }],
      ['3', 'change', { kind: 'replace', collections: ['groups', 'orgs', 'roles', 'users', 'memberships', 'service_accounts', 'credentials'] }],
    ],
  );
  // a rejected write changes nothing and publishes nothing
  const dup = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'frontend-ci', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(dup.statusCode, 409);
  await call(app, { method: 'DELETE', url: `${orgPath(IDS.frontend, IDS.sa.frontendCi)}?version=${V}` });
  const [, , , fourth] = await s.next(4);
  t.same(JSON.parse(fourth.data), { kind: 'commit', collections: ['service_accounts', 'credentials'] }, 'the next event is the delete, not the 409');
  t.equal(fourth.id, '4');
});

t.test('every subscriber gets every event; a client that leaves is unsubscribed', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  const agent = pool(t);
  const a = await open(url, agent);
  const b = await open(url, agent);
  t.equal(app.events.subscribers, 2);
  app.events.publish('request', {
    id: 'r1',
    time: '2026-01-01T00:00:00.000Z',
    method: 'GET',
    path: '/rest/self',
    query: {},
    status: 200,
    duration_ms: 1.5,
    principal: null,
  });
  const [[ma], [mb]] = await Promise.all([a.next(1), b.next(1)]);
  t.equal(ma.event, 'request');
  t.same(JSON.parse(ma.data), JSON.parse(mb.data));
  t.match(JSON.parse(ma.data), { id: 'r1', path: '/rest/self', status: 200 });

  a.abort();
  await a.ended;
  // the server sees the closed socket a moment later
  await until(() => app.events.subscribers < 2);
  t.equal(app.events.subscribers, 1, 'the aborted client is gone, the other stays');
  b.abort();
  await b.ended;
  await until(() => app.events.subscribers < 1);
  t.equal(app.events.subscribers, 0);
});

t.test('close() completes with a stream open: the stream ends in preClose', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  const s = await open(url, pool(t));
  t.equal(app.events.subscribers, 1);
  await app.close();
  t.pass('close() completed');
  await s.ended;
  t.pass('the client saw the end of the stream');
  t.equal(app.events.subscribers, 0);
});

t.test('a client that stops reading is cut off after 1 MiB of backlog, not buffered forever', async (t) => {
  const app = await buildApp(t);
  const url = await listen(app);
  const agent = pool(t);
  const res = await fetch(`${url}/__admin/events`, { dispatcher: agent } as RequestInit);
  const reader = res.body!.getReader();
  await reader.read(); // the preamble; then the client reads nothing while 4 MiB are published
  const big = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 64; i++) {
    app.events.publish('request', { id: String(i), time: '', method: 'GET', path: big, query: {}, status: 200, duration_ms: 0, principal: null });
  }
  let received = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) received += r.value.length;
  t.ok(received < 3 * 1024 * 1024, `the stream ended after ${received} bytes of the 4 MiB published`);
  await until(() => app.events.subscribers === 0);
  t.equal(app.events.subscribers, 0, 'and its subscription is gone');
});

t.test('HEAD opens no stream', async (t) => {
  const app = await buildApp(t);
  const head = await app.inject({ method: 'HEAD', url: '/__admin/events' });
  t.equal(head.statusCode, 405);
  t.equal(head.headers.allow, 'GET');
  t.equal(app.events.subscribers, 0);
});

t.test('the stream needs the admin secret when one is set', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 'let-me-in' } });
  const url = await listen(app);
  const denied = await fetch(`${url}/__admin/events`, { dispatcher: pool(t) } as RequestInit);
  t.equal(denied.status, 401);
  t.match(await denied.json(), { errors: [{ status: '401' }] });
  const s = await open(url, pool(t), { authorization: 'Bearer let-me-in' });
  t.teardown(() => s.abort());
  t.equal(s.response.status, 200);
  t.equal(s.retry, 2000);
});
