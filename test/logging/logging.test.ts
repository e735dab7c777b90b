// Logs: one JSON line per request with its snyk-request-id, method, url, status and time, and no
// secret anywhere in the stream: not the Authorization header, not api keys, client secrets or
// tokens in request or response bodies, not the admin secret.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build } from '../../src/app.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redactSecrets, redactUrl } from '../../src/logging/redact.js';
import { LinesPerTurn } from '../../src/logging/stream.js';
import { createBody, IDS, orgPath, testSettings, TOKENS, V } from '../helper.js';
import { runSync, startCli, stop } from '../support/process.js';

const LOG_THEN_EXIT = fileURLToPath(new URL('../support/log-then-exit.ts', import.meta.url));

const ADMIN_SECRET = 'admin-secret-do-not-log';

/** An app logging into `lines`; `loggerOptions` go over the defaults (a control run turns redaction off). */
async function capturedApp(t: Tap.Test, loggerOptions: Record<string, unknown> = {}) {
  const lines: string[] = [];
  const stream = { write: (chunk: string) => void lines.push(chunk) };
  const app = await build(testSettings({ logLevel: 'trace', adminSecret: ADMIN_SECRET }), { logger: { stream, ...loggerOptions } });
  t.teardown(() => app.close());
  return {
    app,
    lines,
    records: () =>
      lines
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}
declare namespace Tap {
  type Test = { teardown(fn: () => unknown): void };
}

const api = (app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, token: string = TOKENS.admin) =>
  app.inject({
    method,
    url,
    headers: { authorization: `token ${token}`, ...(payload ? { 'content-type': 'application/vnd.api+json' } : {}) },
    ...(payload ? { payload: JSON.stringify(payload) } : {}),
  });

/**
 * A careless plugin: logs every request's headers, query and body and every response's payload, so
 * that each secret below passes through a log call (Fastify itself logs none of these).
 */
function logEverything(app: FastifyInstance) {
  // onResponse: it runs for requests the gates refuse too
  app.addHook('onResponse', async (request) => request.log.debug({ headers: request.headers, query: request.query }, 'request headers'));
  app.addHook('preValidation', async (request) => {
    const body = request.body instanceof URLSearchParams ? request.body.toString() : request.body;
    request.log.debug({ body }, 'request body');
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    request.log.debug({ payload }, 'response body');
    return payload;
  });
}

/** Sends requests carrying every kind of secret; returns them. */
async function exercise(app: FastifyInstance): Promise<string[]> {
  const secrets: string[] = [TOKENS.admin, TOKENS.frontendCi, TOKENS.frontendDeployerSecret, ADMIN_SECRET];
  const key = await api(app, 'POST', `${orgPath()}?version=${V}`, createBody({ name: 'k', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }));
  secrets.push(key.json().data.attributes.api_key);
  const oauth = await api(app, 'POST', `${orgPath()}?version=${V}`, createBody({ name: 'o', role_id: IDS.roles.orgAdmin, auth_type: 'oauth_client_secret' }));
  const { client_id: clientId, client_secret: clientSecret } = oauth.json().data.attributes;
  secrets.push(clientSecret);
  const expires = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const pat = await api(
    app,
    'POST',
    `${orgPath()}?version=${V}`,
    createBody({ name: 'p', role_id: IDS.roles.orgAdmin, auth_type: 'access_token', access_token_expires_at: expires }),
  );
  secrets.push(pat.json().data.attributes.access_token);
  const rotated = await api(app, 'POST', `${orgPath(IDS.frontend, oauth.json().data.id)}/secrets?version=${V}`, {
    data: { type: 'service_account', attributes: { mode: 'create' } },
  });
  secrets.push(rotated.json().data.attributes.client_secret);
  // the seeded api key and client secret, used
  await api(app, 'GET', `${orgPath()}?version=${V}`, undefined, TOKENS.frontendCi);

  const form = (body: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(body).toString(),
    });
  await form({ grant_type: 'client_credentials', client_id: 'c1000000-0000-4000-8000-000000000002', client_secret: TOKENS.frontendDeployerSecret });
  const token = await form({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret });
  secrets.push(token.json().access_token);
  await form({ grant_type: 'client_credentials', client_id: clientId, client_secret: 'wrong-secret-value-also-secret' });
  secrets.push('wrong-secret-value-also-secret');
  await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: `bearer ${token.json().access_token}` } });
  await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: 'token unknown-token-still-a-secret' } });
  secrets.push('unknown-token-still-a-secret');
  // secrets put in a query string, which OAuth refuses, must not be logged with the URL either
  await app.inject({
    method: 'POST',
    url: `/oauth2/token?client_id=${clientId}&client_secret=secret-in-the-url`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
  await app.inject({ url: `/rest/self?version=${V}&access_token=token-in-the-url` });
  secrets.push('secret-in-the-url', 'token-in-the-url');

  const admin = { authorization: `Bearer ${ADMIN_SECRET}`, 'content-type': 'application/json' };
  const user = await app.inject({ method: 'POST', url: '/__admin/users', headers: admin, payload: JSON.stringify({ name: 'Logged User' }) });
  secrets.push(user.json().token);
  await app.inject({
    method: 'POST',
    url: '/__admin/seed',
    headers: admin,
    payload: JSON.stringify({ users: [{ id: IDS.users.admin, name: 'x', email: 'x', username: 'x', token: 'fixture-token-in-a-body' }] }),
  });
  secrets.push('fixture-token-in-a-body');
  await app.inject({ method: 'POST', url: '/__admin/reset', headers: { authorization: 'Bearer wrong-admin-guess' } });
  secrets.push('wrong-admin-guess');

  // and a developer logging things they should not
  app.log.info(
    {
      headers: { authorization: 'token dev-logged-header' },
      body: { client_secret: 'dev-logged-body' },
      client_secret: 'dev-logged-top',
      nested: { deeper: { api_key: 'dev-logged-deep' } },
    },
    'oops',
  );
  secrets.push('dev-logged-header', 'dev-logged-body', 'dev-logged-top', 'dev-logged-deep');
  return secrets;
}

t.test('control: without redaction, every secret of the exercise reaches the log', async (t) => {
  const { app, lines } = await capturedApp(t, { redact: { paths: [] }, formatters: { log: (o: object) => o } });
  logEverything(app);
  const secrets = await exercise(app);
  const log = lines.join('');
  t.equal(secrets.length, 20, 'every secret is counted');
  for (const s of secrets) t.ok(log.includes(s), `logged when nothing redacts: ${s.slice(0, 6)}…`);
});

t.test('no secret reaches the log', async (t) => {
  const { app, lines, records } = await capturedApp(t);
  logEverything(app);
  const secrets = await exercise(app);
  const log = lines.join('');
  t.equal(secrets.length, 20, 'every secret is counted');
  for (const s of secrets) t.notOk(log.includes(s), `not in the log: ${s.slice(0, 6)}…`);
  t.match(log, /\[Redacted\]/);
  // the request line itself: the URL with its secret query parameters censored
  t.ok(records().some((r) => r.msg === 'request completed' && r.url === `/rest/self?version=${V}&access_token=[Redacted]`));
});

t.test('one line per request, with its snyk-request-id', async (t) => {
  const { app, records } = await capturedApp(t);
  const res = await api(app, 'GET', `${orgPath()}?version=${V}&limit=10`);
  const requestId = res.headers['snyk-request-id'];
  t.ok(requestId);
  const mine = records().filter((r) => r.reqId === requestId);
  t.equal(mine.length, 1, 'exactly one line');
  t.match(mine[0], { level: 30, msg: 'request completed', method: 'GET', url: `${orgPath()}?version=${V}&limit=10`, statusCode: 200, responseTime: Number });

  const bad = await api(app, 'GET', `${orgPath()}?version=${V}`, undefined, 'nope-nope-nope');
  const badLines = records().filter((r) => r.reqId === bad.headers['snyk-request-id']);
  t.equal(badLines.length, 1);
  t.match(badLines[0], { statusCode: 401 });

  // health checks are polled: debug, not info
  const health = await app.inject({ url: '/__admin/health' });
  t.match(
    records().find((r) => r.reqId === health.headers['snyk-request-id']),
    { level: 20, statusCode: 200 },
  );
});

t.test("a request line has the documented shape, the same bytes with a caller's logger options, and only from the logger's level", async (t) => {
  // the server's own logger, and one with options of the caller's (here a formatter that changes
  // nothing): the two must write the same bytes
  const own = await capturedApp(t);
  const viaPino = await capturedApp(t, { formatters: { log: redactSecrets } });
  const url = `${orgPath()}?version=${V}&limit=10&note=${encodeURIComponent('"quoted" \\ ünïcode')}&client_secret=hide-me`;
  const lineOf = async ({ app, lines }: { app: FastifyInstance; lines: string[] }, path: string) => {
    const res = await app.inject({ url: path, headers: { authorization: `token ${TOKENS.admin}` } });
    const id = String(res.headers['snyk-request-id']);
    const line = lines
      .join('')
      .split('\n')
      .find((l) => l.includes(id) && l.includes('request completed'));
    t.ok(line, `a line for ${path}`);
    // what differs from one request to the next: when, which, how long
    return line!
      .replace(id, '<id>')
      .replace(/"time":\d+/, '"time":<t>')
      .replace(/"responseTime":[\d.]+/, '"responseTime":<ms>');
  };
  for (const path of [url, '/rest/nowhere?version=1', '/__admin/health']) {
    const mine = await lineOf(own, path);
    t.equal(mine, await lineOf(viaPino, path), `the same bytes: ${path}`);
    t.notOk(mine.includes('hide-me'), 'the URL redacted');
  }
  t.match(
    await lineOf(own, url),
    /^\{"level":30,"time":<t>,"pid":\d+,"hostname":"[^"]*","reqId":"<id>","method":"GET","url":".*","statusCode":400,"responseTime":<ms>,"msg":"request completed"\}$/,
  );

  // below the logger's level, no request line at all (health lines are debug)
  const quiet = await capturedApp(t, { level: 'info' });
  const health = await quiet.app.inject({ url: '/__admin/health' });
  const self = await quiet.app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: `token ${TOKENS.admin}` } });
  const text = quiet.lines.join('');
  t.notOk(text.includes(String(health.headers['snyk-request-id'])), 'a debug line at level info: not written');
  t.ok(text.includes(String(self.headers['snyk-request-id'])), 'an info line: written');
});

t.test('redactUrl: the value of every secret-named query parameter, whatever its place or case; nothing else', async (t) => {
  t.equal(redactUrl('/rest/self'), '/rest/self');
  t.equal(redactUrl('/rest/self?'), '/rest/self?');
  t.equal(redactUrl('/rest/self?version=2024-10-15&limit=5'), '/rest/self?version=2024-10-15&limit=5');
  t.equal(redactUrl('/x?token=abc'), '/x?token=[Redacted]');
  t.equal(redactUrl('/x?a=1&API_KEY=abc&b=2'), '/x?a=1&API_KEY=[Redacted]&b=2');
  t.equal(redactUrl('/x?a=1&b=2&client_secret=s1&client_secret=s2'), '/x?a=1&b=2&client_secret=[Redacted]&client_secret=[Redacted]');
  t.equal(redactUrl('/x?token&version=1'), '/x?token&version=1', 'a name without a value has nothing to hide');
  t.equal(redactUrl('/x?tokens=abc&mytoken=abc'), '/x?tokens=abc&mytoken=abc', 'only whole names');
  t.equal(redactUrl('/x?=token&a=token'), '/x?=token&a=token', 'a value that says token is not a name');
});

t.test('redactSecrets censors secret members down to four levels, without touching its input', async (t) => {
  const input = {
    msg: 'x',
    client_secret: 's1',
    headers: { Authorization: 's2', accept: 'a' },
    list: [{ api_key: 's3' }, 'plain'],
    a: { b: { access_token: 's4' } },
    deep: { a: { b: { c: { token: 'too deep: five levels' } } } },
    n: 1,
  };
  const copy = structuredClone(input);
  const out = redactSecrets(input);
  t.same(input, copy, 'the input is not modified');
  t.match(out, {
    msg: 'x',
    client_secret: '[Redacted]',
    headers: { Authorization: '[Redacted]', accept: 'a' },
    list: [{ api_key: '[Redacted]' }, 'plain'],
    a: { b: { access_token: '[Redacted]' } },
    n: 1,
  });
  const flat = { method: 'GET', url: '/rest/self', statusCode: 200 };
  t.equal(redactSecrets(flat), flat, 'a record without secrets is returned as it is');
});

t.test('LinesPerTurn: the lines of one turn in one write, in order, at the end of the turn', async (t) => {
  const writes: string[] = [];
  const lines = new LinesPerTurn({ write: (text) => writes.push(text) });
  lines.write('a\n');
  lines.write('b\n');
  t.same(writes, [], 'nothing written during the turn');
  await new Promise((resolve) => setImmediate(resolve));
  t.same(writes, ['a\nb\n'], 'one write, in order');
  lines.write('c\n');
  lines.flushSync();
  t.same(writes, ['a\nb\n', 'c\n'], 'flushSync writes what is pending at once');
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(writes.length, 2, 'and the end of the turn finds nothing left');
});

t.test('LinesPerTurn: past its size the lines are written at once', async (t) => {
  const writes: string[] = [];
  const lines = new LinesPerTurn({ write: (text) => writes.push(text) }, 10);
  lines.write('12345\n');
  t.equal(writes.length, 0);
  lines.write('67890\n');
  t.same(writes, ['12345\n67890\n'], 'written in the turn, once over 10 characters');
});

t.test('LinesPerTurn: lines logged just before process.exit() are written', async (t) => {
  const child = runSync(LOG_THEN_EXIT, ['3']);
  t.equal(child.status, 3, 'the exit code the script chose');
  const records = child.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { i: number; msg: string });
  t.same(
    records.map((r) => [r.i, r.msg]),
    [
      [0, 'before exit'],
      [1, 'before exit'],
      [2, 'before exit'],
    ],
  );
});

t.test('the default JSON destination of a server: request lines reach stdout', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-log-'));
  const { child, url, output } = await startCli(['--port', '0', '--db', join(dir, 'db.json'), '--log-format', 'json']);
  const res = await fetch(`${url}/rest/self?version=${V}`, { headers: { authorization: `token ${TOKENS.admin}` } });
  t.equal(res.status, 200);
  t.equal(await stop(child), 0);
  const lines = output()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { msg: string; url?: string; statusCode?: number });
  t.ok(
    lines.some((l) => l.msg === 'request completed' && l.url === `/rest/self?version=${V}` && l.statusCode === 200),
    'the request line',
  );
  t.equal(lines.at(-1)?.msg, 'closing', 'the last line, written before the exit');
});
