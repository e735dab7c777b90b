// The admin guard (plugins/admin-guard.ts): the Origin rule refuses state-changing /__admin requests
// that a browser marks as coming from another origin, the Host rule refuses Host names that are not
// loopback (or allowed) while the mock listens on loopback, both with a 403 ErrorDocument and no
// change; curl-like clients and same-origin pages pass; a warning at start when /__admin is open to
// other machines; the --allowed-hosts setting.
import t from 'tap';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { parseCli, UsageError } from '../../src/settings/args.js';
import { start } from '../../src/server.js';
import { buildApp, call, createBody, IDS, orgPath, testSettings, V } from '../helper.js';
import { rawRequest } from '../support/raw-http.js';
import type { Tap } from '../support/oauth.js';

const createOne = async (app: FastifyInstance, name: string) => {
  const res = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  if (res.statusCode !== 201) throw new Error(res.body);
};
const accountNames = async (app: FastifyInstance) =>
  (await app.inject({ url: '/__admin/state' })).json().service_accounts.map((a: { name: string }) => a.name) as string[];

function refused(
  t: Tap,
  res: { statusCode: number; headers: Record<string, unknown>; json(): { errors: { status: string; detail: string }[] } },
  detail: RegExp,
  what: string,
) {
  t.equal(res.statusCode, 403, what);
  t.match(res.headers['content-type'], /^application\/vnd\.api\+json/, `${what}: an ErrorDocument`);
  t.match(res.json(), { jsonapi: { version: '1.0' }, errors: [{ status: '403', detail }] }, what);
}

const CROSS_ORIGIN = /^The admin API refuses changes from a page of another origin/;
const WRONG_HOST = /^The admin API answers only loopback host names .* Host "(.*)" is none of them/;

t.test('a cross-origin reset, seed or change is refused with a 403 and changes nothing', async (t) => {
  const app = await buildApp(t);
  await createOne(app, 'survives');
  const before = await accountNames(app);
  const journal = (await app.inject({ url: '/__admin/requests' })).json().total;
  const requests: [string, InjectOptions['method'], string?][] = [
    ['/__admin/reset', 'POST'],
    ['/__admin/seed', 'POST', '{"groups":[]}'],
    ['/__admin/groups', 'POST', '{"name":"g"}'],
    ['/__admin/clock', 'POST', '{"now":"2030-01-01T00:00:00Z"}'],
    ['/__admin/requests', 'DELETE'],
    ['/__admin/faults', 'DELETE'],
  ];
  for (const headers of [
    { origin: 'http://evil.example' },
    { origin: 'http://localhost:8080' }, // another port of the same host: another origin
    { origin: 'https://localhost' }, // another scheme
    { origin: 'null' }, // a sandboxed frame, a file: page
    { origin: 'not a url' },
    { 'sec-fetch-site': 'cross-site' }, // a browser that sent no Origin
    { 'sec-fetch-site': 'same-site' }, // another port of localhost, or a sibling subdomain
    { origin: 'http://localhost', 'sec-fetch-site': 'cross-site' },
  ]) {
    for (const [url, method, payload] of requests) {
      const res = await app.inject({ method, url, payload, headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) } });
      refused(t, res, CROSS_ORIGIN, `${method} ${url} ${JSON.stringify(headers)}`);
    }
  }
  const origin = await app.inject({ method: 'POST', url: '/__admin/reset', headers: { origin: 'http://evil.example' } });
  t.match(
    origin.json().errors[0].detail,
    'Origin: http://evil.example; this server is http://localhost); call it from the dashboard at http://localhost/__admin/ui/',
  );
  t.same(await accountNames(app), before, 'no reset, no seed: the account created is still there');
  t.equal((await app.inject({ url: '/__admin/requests' })).json().total, journal, 'the journal was not cleared');
  t.notOk(
    (await app.inject({ url: '/__admin/state' })).json().groups.some((g: { name: string }) => g.name === 'g'),
    'no group created',
  );
  t.equal((await app.inject({ url: '/__admin/clock' })).json().frozen, false, 'the clock was not set');
});

t.test('curl, SDKs and the dashboard (same origin) keep working; reads are not the Origin rule’s business', async (t) => {
  const app = await buildApp(t);
  // no Origin at all: curl, SDKs, test code
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 200);
  // the dashboard's own fetches (ui/api.ts: relative /__admin/… URLs): Origin is the server's own
  for (const headers of [
    { origin: 'http://localhost', 'sec-fetch-site': 'same-origin' },
    { origin: 'http://localhost:80' }, // the default port, written out
    { origin: 'HTTP://LOCALHOST' },
    { 'sec-fetch-site': 'none' }, // typed into the address bar
    { host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' },
    { host: 'localhost', origin: 'https://localhost', 'x-forwarded-proto': 'https' }, // behind a TLS proxy
  ]) {
    const res = await app.inject({
      method: 'POST',
      url: '/__admin/groups',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: { name: `g-${JSON.stringify(headers)}` },
    });
    t.equal(res.statusCode, 201, `${JSON.stringify(headers)}: ${res.body.slice(0, 160)}`);
  }
  // a page of another origin cannot read these (no CORS headers), so GETs pass
  t.equal((await app.inject({ url: '/__admin/state', headers: { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } })).statusCode, 200);
  // and /rest has credentials of its own: the guard is /__admin's only
  t.equal((await call(app, { url: `/rest/self?version=${V}`, headers: { origin: 'http://evil.example', host: 'attacker.example' } })).statusCode, 200);
});

t.test('the Host rule: on a loopback address, /__admin answers loopback names and --allowed-hosts only', async (t) => {
  const app = await buildApp(t);
  await createOne(app, 'survives');
  const before = await accountNames(app);
  for (const host of ['attacker.example', 'attacker.example:80', 'localhost.attacker.example', '127.0.0.1.nip.io', '10.0.0.1', '[::2]:80', 'localhostx']) {
    const get = await app.inject({ url: '/__admin/state', headers: { host } });
    refused(t, get, WRONG_HOST, `GET state, Host ${host}`);
    t.equal(WRONG_HOST.exec(get.json().errors[0].detail)?.[1], host.replace(/:80$/, ''), 'the name is quoted, without its port');
    refused(t, await app.inject({ method: 'POST', url: '/__admin/reset', headers: { host } }), WRONG_HOST, `reset, Host ${host}`);
    refused(t, await app.inject({ url: '/__admin/health', headers: { host } }), WRONG_HOST, `health, Host ${host}`);
    refused(t, await app.inject({ url: '/__admin/ui/', headers: { host } }), WRONG_HOST, `the dashboard, Host ${host}`);
  }
  t.same(await accountNames(app), before, 'the refused resets changed nothing');
  for (const host of ['localhost', 'LOCALHOST:8080', 'localhost.', 'app.localhost:3000', '127.0.0.1:8080', '127.1.2.3', '[::1]:8080', '[::1]']) {
    t.equal((await app.inject({ url: '/__admin/health', headers: { host } })).statusCode, 200, `Host ${host}`);
  }
  // the same for a mock named by a loopback name
  const named = await buildApp(t, { settings: { host: 'localhost' } });
  refused(t, await named.inject({ url: '/__admin/health', headers: { host: 'attacker.example' } }), WRONG_HOST, 'listening on localhost');
});

t.test('--allowed-hosts: names and .domains; it also turns the rule on for every interface', async (t) => {
  const app = await buildApp(t, { settings: { allowedHosts: ' mock.test , .Corp.Example,[fd00::1]' } });
  for (const host of ['mock.test', 'MOCK.test:8080', 'corp.example', 'a.b.corp.example:1', '[fd00::1]:8080', 'localhost']) {
    t.equal((await app.inject({ url: '/__admin/health', headers: { host } })).statusCode, 200, `Host ${host} allowed`);
  }
  for (const host of ['other.test', 'xcorp.example', 'mock.test.attacker.example', '[fd00::2]']) {
    refused(t, await app.inject({ url: '/__admin/health', headers: { host } }), WRONG_HOST, `Host ${host} not allowed`);
  }
  // every interface: the rule is off (containers are called by any name), unless a list is given
  const open = await buildApp(t, { settings: { host: '0.0.0.0' } });
  t.equal((await open.inject({ method: 'POST', url: '/__admin/reset', headers: { host: 'snyk-mock:8080' } })).statusCode, 200, 'a service name');
  t.equal((await open.inject({ url: '/__admin/health', headers: { host: 'attacker.example' } })).statusCode, 200);
  const listed = await buildApp(t, { settings: { host: '0.0.0.0', allowedHosts: 'snyk-mock' } });
  t.equal((await listed.inject({ url: '/__admin/health', headers: { host: 'snyk-mock:8080' } })).statusCode, 200);
  refused(t, await listed.inject({ url: '/__admin/health', headers: { host: 'attacker.example' } }), WRONG_HOST, 'every interface, with a list');
  // the Origin rule holds on every interface too, whatever the Host
  refused(
    t,
    await open.inject({ method: 'POST', url: '/__admin/reset', headers: { origin: 'http://evil.example' } }),
    CROSS_ORIGIN,
    'cross-origin on every interface',
  );
  refused(
    t,
    await open.inject({ method: 'POST', url: '/__admin/reset', headers: { host: 'a%b', origin: 'http://a%b' } }),
    CROSS_ORIGIN,
    'a Host that is no URL host',
  );
});

t.test('the guard comes before the admin secret: 403 with or without it, 401 for a plain client without it', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 's3cret' } });
  const bearer = { authorization: 'Bearer s3cret' };
  refused(
    t,
    await app.inject({ method: 'POST', url: '/__admin/reset', headers: { ...bearer, origin: 'http://evil.example' } }),
    CROSS_ORIGIN,
    'cross-origin with the secret',
  );
  refused(t, await app.inject({ url: '/__admin/state', headers: { host: 'attacker.example' } }), WRONG_HOST, 'a wrong Host without the secret');
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode, 401);
  t.equal((await app.inject({ method: 'POST', url: '/__admin/reset', headers: bearer })).statusCode, 200);
  t.equal((await app.inject({ url: '/__admin/health' })).statusCode, 200, 'health stays open');
});

t.test('over a real port: Host as a browser sends it after DNS rebinding, Origin as a form on another port sends it', async (t) => {
  const app = await buildApp(t);
  await createOne(app, 'survives');
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const rebound = await rawRequest(
    port,
    `POST /__admin/reset HTTP/1.1\r\nHost: attacker.example:${port}\r\nOrigin: http://attacker.example:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
  t.equal(rebound.status, 403);
  t.match(JSON.parse(rebound.body), { errors: [{ status: '403', detail: WRONG_HOST }] });
  const form = await rawRequest(
    port,
    `POST /__admin/reset HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port + 1}\r\nSec-Fetch-Site: same-site\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
  t.equal(form.status, 403);
  t.match(JSON.parse(form.body), { errors: [{ status: '403', detail: CROSS_ORIGIN }] });
  t.ok((await accountNames(app)).includes('survives'), 'still there');
  // HTTP/1.0 without a Host: no browser sends that
  const old = await rawRequest(port, 'GET /__admin/health HTTP/1.0\r\n\r\n');
  t.equal(old.status, 200, old.raw.slice(0, 200));
  const same = await rawRequest(
    port,
    `POST /__admin/reset HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
  );
  t.equal(same.status, 200, 'the same origin resets');
  t.notOk((await accountNames(app)).includes('survives'));
});

t.test('one warning at start when /__admin is open to other machines', async (t) => {
  const started = async (settings: Parameters<typeof testSettings>[0]) => {
    const lines: string[] = [];
    const { app } = await start(testSettings({ port: 0, logLevel: 'info', ...settings }), { logger: { stream: { write: (l: string) => void lines.push(l) } } });
    await app.close();
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
  };
  const warned = await started({ host: '0.0.0.0' });
  t.equal(warned.length, 1, 'one warning line');
  t.match(
    warned[0].msg,
    /^The admin API \(\/__admin\) is open to anyone who reaches 0\.0\.0\.0: any client can reset or replace the data\. Set --admin-secret \/ SNYK_MOCK_ADMIN_SECRET/,
  );
  t.same(await started({ host: '0.0.0.0', adminSecret: 's3cret' }), [], 'none with an admin secret');
  t.same(await started({ host: '127.0.0.1' }), [], 'none on loopback');
  t.same(await started({ host: 'localhost' }), [], 'none on localhost');
});

t.test('--allowed-hosts and SNYK_MOCK_ALLOWED_HOSTS', async (t) => {
  const settingsOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const r = parseCli(argv, env);
    if (r.action !== 'start') throw new Error(r.action);
    return r.settings;
  };
  t.equal(settingsOf([]).allowedHosts, undefined);
  t.equal(settingsOf(['--allowed-hosts', 'mock.test,.corp.example']).allowedHosts, 'mock.test,.corp.example');
  t.equal(settingsOf([], { SNYK_MOCK_ALLOWED_HOSTS: 'a.test' }).allowedHosts, 'a.test');
  t.equal(settingsOf(['--allowed-hosts', 'b.test'], { SNYK_MOCK_ALLOWED_HOSTS: 'a.test' }).allowedHosts, 'b.test', 'the flag wins');
  for (const bad of ['http://mock.test', 'mock.test:8080', 'a,,b', 'a b', '*']) {
    t.throws(() => parseCli(['--allowed-hosts', bad], {}), UsageError, bad);
    t.throws(() => parseCli(['--allowed-hosts', bad], {}), { message: /--allowed-hosts: expected a value such as mock\.test or mock\.test,\.corp\.example/ });
  }
  const help = parseCli(['--help'], {});
  t.match(
    help.action === 'help' ? help.text : '',
    /--allowed-hosts <value>\n\s+Host names the admin routes answer besides loopback ones.*\n\s+env SNYK_MOCK_ALLOWED_HOSTS/,
  );
});
