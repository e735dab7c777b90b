// The command line: flag > environment > default, bad values name the flag (or variable) and the
// accepted values, --help is derived from the settings, and the real binary starts and stops.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { helpText, parseCli, UsageError } from '../src/settings/args.js';
import { ENV, flagOf, settingsInfo, type Settings } from '../src/settings/config.js';
import { IDS, TOKENS, V } from './helper.js';
import { CLI, run, runAsync, startCli, stop } from './support/process.js';
const started = (r: ReturnType<typeof parseCli>): Settings => {
  if (r.action !== 'start') throw new Error(`expected start, got ${r.action}`);
  return r.settings;
};
const usageError = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
  try {
    parseCli(argv, env);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`no error for ${argv.join(' ')}`);
};

// independent subtests (the real binary ones run processes of their own): at once, their waits overlap
t.jobs = 3;

t.test('defaults, then the environment, then flags', async (t) => {
  const d = started(parseCli([], {}));
  t.match(d, { port: 8080, host: '127.0.0.1', store: 'file', db: './data/db.json', logLevel: 'info', onCorrupt: 'fail', https: false, allowHttpJwks: false });
  const env = {
    SNYK_MOCK_PORT: '9000',
    SNYK_MOCK_LOG_LEVEL: 'debug',
    SNYK_MOCK_STORE: 'memory',
    SNYK_MOCK_HTTPS: 'true',
    SNYK_MOCK_ADMIN_SECRET: 'env-secret',
  };
  const e = started(parseCli([], env));
  t.match(e, { port: 9000, logLevel: 'debug', store: 'memory', https: true, adminSecret: 'env-secret' });
  const f = started(parseCli(['--port', '9100', '--log-level=warn', '--store', 'file', '--no-https', '--admin-secret', 'flag-secret'], env));
  t.match(f, { port: 9100, logLevel: 'warn', store: 'file', https: false, adminSecret: 'flag-secret' });
  t.equal(started(parseCli([], { PORT: '7000' })).port, 7000, 'PORT is the fallback of SNYK_MOCK_PORT');
  t.equal(started(parseCli([], { PORT: '7000', SNYK_MOCK_PORT: '7001' })).port, 7001);
});

t.test('a flag for every setting, each with its SNYK_MOCK_* twin', async (t) => {
  const values: Record<string, string> = {
    port: '1234',
    host: '0.0.0.0',
    store: 'memory',
    db: '/tmp/x.json',
    fixtures: '/tmp/f.json',
    demoToken: 'tok-1234567890',
    logLevel: 'error',
    logFormat: 'json',
    onCorrupt: 'reseed',
    adminSecret: 's3cret',
    tlsCert: '/tmp/c.pem',
    tlsKey: '/tmp/k.pem',
    journalSize: '50',
    now: '2030-01-01T00:00:00Z',
    latency: '20-200',
    rateLimit: '3/60s',
    versionCheck: 'lenient',
    auth: 'presence',
    allowedHosts: 'mock.test',
  };
  const argv: string[] = [];
  for (const s of settingsInfo()) {
    t.ok(
      s.env.some((n) => n.startsWith('SNYK_MOCK_')),
      `${s.key} has a SNYK_MOCK_ variable`,
    );
    if (s.type === 'boolean') argv.push(s.flag);
    else argv.push(s.flag, values[s.key]);
  }
  const got = started(parseCli(argv, {}));
  for (const [k, v] of Object.entries(values)) t.equal(String(got[k as keyof Settings]), v, flagOf(k as keyof Settings));
  t.equal(got.https, true);
  t.equal(got.allowHttpJwks, true);
  // and each variable alone sets it
  for (const s of settingsInfo()) {
    const raw = s.type === 'boolean' ? 'true' : values[s.key];
    const env = { [ENV[s.key][0]]: raw, ...(s.key === 'tlsCert' ? { SNYK_MOCK_TLS_KEY: '/k' } : s.key === 'tlsKey' ? { SNYK_MOCK_TLS_CERT: '/c' } : {}) };
    t.equal(String(started(parseCli([], env))[s.key]), s.type === 'boolean' ? 'true' : raw, ENV[s.key][0]);
  }
});

t.test('--in-memory', async (t) => {
  t.equal(started(parseCli(['--in-memory'], { SNYK_MOCK_STORE: 'file' })).store, 'memory');
  t.match(usageError(['--in-memory', '--store', 'file']), /--in-memory contradicts --store file/);
});

t.test('bad values name the flag or the variable, and the accepted values', async (t) => {
  t.match(usageError(['--port', 'abc']), /invalid value "abc" for --port: expected an integer 0\.\.65535/);
  t.match(usageError(['--port', '70000']), /for --port/);
  t.match(usageError(['--log-level', 'loud']), /invalid value "loud" for --log-level: expected one of fatal, error, warn, info, debug, trace, silent/);
  t.match(usageError([], { SNYK_MOCK_LOG_LEVEL: 'loud' }), /for SNYK_MOCK_LOG_LEVEL: expected one of fatal/);
  t.match(usageError(['--on-corrupt', 'ignore']), /--on-corrupt: expected one of fail, reseed/);
  t.match(usageError(['--store', 'disk']), /--store: expected one of file, memory/);
  t.match(usageError([], { SNYK_MOCK_HTTPS: 'maybe' }), /SNYK_MOCK_HTTPS: expected true or false/);
  t.match(usageError(['--tls-cert', 'c.pem']), /--tls-cert needs --tls-key/);
  t.match(usageError(['--bogus']), /Unknown option '--bogus'/);
  t.match(usageError(['extra']), /positional/i);
  t.match(usageError(['--https', '--no-https']), /contradict/);
  // a bad flag value wins over a good environment value: the flag is named
  t.match(usageError(['--port', 'x'], { SNYK_MOCK_PORT: '80' }), /--port/);
  t.match(usageError(['--version-check', 'loose']), /invalid value "loose" for --version-check: expected one of strict, lenient, off/);
  t.match(usageError(['--auth', 'none']), /--auth: expected one of strict, presence, off/);
  t.match(usageError(['--journal-size=-1']), /--journal-size: expected an integer 0\.\.1000000/);
  t.match(usageError(['--now', 'tomorrow']), /invalid value "tomorrow" for --now: expected an ISO 8601 date-time such as 2030-01-01T00:00:00Z/);
  t.match(usageError([], { SNYK_MOCK_NOW: '2030-01-01' }), /SNYK_MOCK_NOW: expected an ISO 8601 date-time/);
  t.match(usageError(['--latency', 'slow']), /--latency: expected a value such as 50 or 20-200/);
  t.match(usageError(['--rate-limit', '1620']), /--rate-limit: expected a value such as 1620\/60s or 3\/1m/);
  t.match(usageError(['--rate-limit', '0/60s']), /--rate-limit/);
  // secrets are not echoed
  t.notMatch(usageError(['--admin-secret', '']), /""/);
});

t.test('--help is derived from the settings', async (t) => {
  const help = helpText();
  for (const s of settingsInfo()) {
    t.ok(help.includes(s.flag), `help has ${s.flag}`);
    for (const n of s.env) t.ok(help.includes(n), `help has ${n}`);
    t.ok(help.includes(s.description), `help describes ${s.key}`);
  }
  t.ok(help.includes('--in-memory'));
  t.equal(parseCli(['--help'], {}).action, 'help');
  t.equal(parseCli(['-v'], {}).action, 'version');
});

t.test('the binary: --version, --help, a bad flag, and a start/stop', async (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  // the processes run at once (each is independent): the file's time is that of the slowest
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-cli-'));
  const [v, h, bad, badEnv, started] = await Promise.all([
    run(CLI, ['--version']),
    run(CLI, ['--help']),
    run(CLI, ['--port', 'nope']),
    run(CLI, [], { SNYK_MOCK_ON_CORRUPT: 'shrug' }),
    // flag beats env in the real process: the env says port 1 (would fail), the flag says 0
    startCli(['--port', '0', '--db', join(dir, 'db.json'), '--log-format', 'json'], { SNYK_MOCK_PORT: '1', SNYK_MOCK_LOG_LEVEL: 'info' }),
  ]);
  t.equal(v.status, 0);
  t.equal(v.stdout.trim(), pkg.version);
  t.equal(h.status, 0);
  t.match(h.stdout, /--admin-secret/);
  t.equal(bad.status, 2);
  t.match(bad.stderr, /snyk-mock: invalid value "nope" for --port: expected an integer 0\.\.65535/);
  t.equal(badEnv.status, 2);
  t.match(badEnv.stderr, /SNYK_MOCK_ON_CORRUPT: expected one of fail, reseed/);

  const { child, url, output } = started;
  t.not(url, 'http://127.0.0.1:1');
  const health = await fetch(`${url}/__admin/health`);
  t.same(await health.json(), { status: 'ok' });
  const self = await fetch(`${url}/rest/self?version=2024-10-15`, { headers: { authorization: 'token 11111111-1111-4111-8111-111111111111' } });
  t.equal(self.status, 200);
  t.equal(await stop(child), 0, 'SIGTERM: graceful exit 0');
  t.match(output(), /"msg":"request completed"/);
  t.notMatch(output(), /11111111-1111-4111-8111-111111111111/, 'the token is not logged');
});

t.test('SIGTERM during the first start of a big data file: the seed is written, then exit 0', async (t) => {
  // the seed is written once the server listens (a failed start leaves no file): a signal then,
  // as soon as the port answers, must wait for it rather than kill the process halfway
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-cli-'));
  const fixtures = JSON.parse(readFileSync(new URL('../fixtures/default.json', import.meta.url), 'utf8')) as { service_accounts: object[] };
  const idOf = (i: number) => `be4c0000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
  const count = 20_000;
  for (let i = 0; i < count; i++) {
    fixtures.service_accounts.push({ id: idOf(i), name: `bulk-${i}`, level: 'Org', org_id: IDS.frontend, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' });
  }
  writeFileSync(join(dir, 'fixtures.json'), JSON.stringify(fixtures));
  const args = ['--port', '0', '--db', join(dir, 'db.json'), '--fixtures', join(dir, 'fixtures.json')];
  const env = { SNYK_MOCK_LOG_LEVEL: 'info' };
  const child = runAsync(CLI, args, { SNYK_MOCK_LOG_FORMAT: 'json', ...env });
  let out = '';
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    // Fastify's own line comes as the port opens, before the held-back seed is written
    if (/"msg":"Server listening at/.test(out) && !child.killed) child.kill('SIGTERM');
  });
  t.equal(await exit, 0, 'a graceful exit, not death by the signal');
  t.ok(existsSync(join(dir, 'db.json')), 'the data file was written');
  const again = await startCli(args, env);
  const res = await fetch(`${again.url}/rest/orgs/${IDS.frontend}/service_accounts/${idOf(count - 1)}?version=${V}`, {
    headers: { authorization: `token ${TOKENS.admin}` },
  });
  t.equal(res.status, 200, 'the seeded accounts are there after a restart');
  t.equal(await stop(again.child), 0);
});

t.test('a start that fails: exit 1, a message naming the file; the stack only at --log-level debug', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-cli-'));
  // the same mistake in a directory of its own: two starts on one data file, at once, would meet the lock
  const other = mkdtempSync(join(tmpdir(), 'snyk-mock-cli-'));
  // a fixtures file that is not valid: nothing is written
  const fixtures = join(dir, 'bad-fixtures.json');
  writeFileSync(fixtures, JSON.stringify({ groups: [{ id: 'not-a-uuid', name: 'g' }] }));
  const [isDir, debug, badFixtures] = await Promise.all([
    run(CLI, ['--db', dir]),
    run(CLI, ['--db', other, '--log-level', 'debug']),
    run(CLI, ['--db', join(dir, 'data', 'db.json'), '--fixtures', fixtures]),
  ]);
  t.equal(isDir.status, 1);
  t.match(isDir.stderr, `snyk-mock: Cannot read the data file ${dir}`);
  t.match(isDir.stderr, `It is a directory: --db (SNYK_MOCK_DB) names the data file itself, e.g. ${join(dir, 'db.json')}`);
  t.notMatch(isDir.stderr, /\n\s+at /, 'no stack at the default level');
  t.equal(debug.status, 1);
  t.match(debug.stderr, /Cannot read the data file/);
  t.match(debug.stderr, /\n\s+at .*(file-persistence|data-file)/, 'the stack at debug');

  t.equal(badFixtures.status, 1);
  t.match(badFixtures.stderr, `invalid fixtures (${fixtures}): /groups/0/id`);
  t.notOk(existsSync(join(dir, 'data')), 'no data file written');
});

t.test('the settings page lists every flag and environment variable', async (t) => {
  const doc = readFileSync(new URL('../docs/settings.md', import.meta.url), 'utf8');
  for (const s of settingsInfo()) {
    t.ok(doc.includes(`\`${s.flag}`), `${s.flag} documented`);
    for (const n of s.env) t.ok(doc.includes(`\`${n}\``), `${n} documented`);
  }
  t.ok(doc.includes('`--in-memory`'));
});
