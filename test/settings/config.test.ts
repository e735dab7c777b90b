// The one settings resolver and what build() reads: profiles (cli, embedded), environment and
// overrides in that order, and an app that reads nothing but the settings it is given.
import t from 'tap';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from '../../src/app.js';
import { resolveSettings, SettingsError } from '../../src/settings/config.js';
import { startMockServer } from '../../src/index.js';
import { testSettings } from '../helper.js';

t.test('profiles: the CLI defaults to port 8080 and a data file, embedded to a free port in memory', async (t) => {
  t.match(resolveSettings({ profile: 'cli' }), { port: 8080, host: '127.0.0.1', store: 'file', db: './data/db.json', logLevel: 'info' });
  t.match(resolveSettings({ profile: 'embedded' }), { port: 0, host: '127.0.0.1', store: 'memory', logLevel: 'warn' });
  t.same(resolveSettings(), resolveSettings({ profile: 'embedded' }), 'embedded unless asked');
});

t.test('a profile default < the environment < overrides; no environment unless given', async (t) => {
  const env = { SNYK_MOCK_PORT: '9000', SNYK_MOCK_STORE: 'file', SNYK_MOCK_LOG_LEVEL: 'debug' };
  t.match(resolveSettings({ profile: 'embedded', env }), { port: 9000, store: 'file', logLevel: 'debug' }, 'the environment wins over the profile');
  t.match(
    resolveSettings({ profile: 'embedded', env, overrides: { port: 0, store: 'memory' } }),
    { port: 0, store: 'memory', logLevel: 'debug' },
    'overrides win over it',
  );
  const saved = process.env.SNYK_MOCK_PORT;
  t.teardown(() => {
    if (saved === undefined) delete process.env.SNYK_MOCK_PORT;
    else process.env.SNYK_MOCK_PORT = saved;
  });
  process.env.SNYK_MOCK_PORT = '9999';
  t.equal(resolveSettings({ profile: 'cli' }).port, 8080, 'process.env is read only when given');
  t.equal(resolveSettings({ profile: 'cli', env: process.env }).port, 9999);
  t.throws(() => resolveSettings({ overrides: { port: 'x' } }), { name: 'SettingsError', message: /invalid value "x" for option port/ });
  t.throws(() => resolveSettings({ overrides: { nope: 1 } as never }), { message: /unknown setting option nope/ });
});

t.test('build() without settings creates no data file: the embedded profile', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-cwd-'));
  t.chdir(dir);
  const app = await build(undefined, { logger: false });
  t.teardown(() => app.close());
  await app.ready();
  t.equal(app.settings.store, 'memory');
  t.equal(app.settings.port, 0);
  t.notOk(existsSync(join(dir, 'data')), 'no ./data/db.json');
  await app.close();
  t.notOk(existsSync(join(dir, 'data')), 'not at close either');
});

t.test('build() takes finished settings only, and reads no environment', async (t) => {
  await t.rejects(build({ store: 'memory' } as never, { logger: false }), SettingsError);
  await t.rejects(build({ store: 'memory' } as never, { logger: false }), { message: /build\(\) needs finished settings \(from resolveSettings\(\)\)/ });
  const saved = { ...process.env };
  t.teardown(() => {
    process.env = saved;
  });
  process.env.SNYK_MOCK_ADMIN_SECRET = 'from-the-environment';
  process.env.SNYK_MOCK_DEMO_TOKEN = 'from-the-environment';
  const app = await build(testSettings(), { logger: false });
  t.teardown(() => app.close());
  t.equal((await app.inject({ url: '/__admin/state' })).statusCode, 200, 'no admin secret from process.env');
  t.equal(
    (await app.inject({ url: '/rest/self?version=2024-10-15', headers: { authorization: 'token from-the-environment' } })).statusCode,
    401,
    'no demo token from it',
  );
});

t.test('startMockServer goes through the same resolver: the embedded profile under its options', async (t) => {
  const mock = await startMockServer({ env: { SNYK_MOCK_LOG_LEVEL: 'error', SNYK_MOCK_PORT: '1' }, port: 0 });
  t.teardown(() => mock.close());
  t.same(mock.settings, resolveSettings({ profile: 'embedded', env: { SNYK_MOCK_LOG_LEVEL: 'error', SNYK_MOCK_PORT: '1' }, overrides: { port: 0 } }));
  t.equal(mock.app.settings, mock.settings, 'the app runs on exactly those settings');
});

t.test('a bad fixtures file stops build() with a message naming it, before anything is written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-fixtures-'));
  const db = join(dir, 'data', 'db.json');
  const cases: [string, string | undefined, RegExp][] = [
    ['missing.json', undefined, /invalid fixtures \(.*missing\.json\): \/: cannot read .*missing\.json: ENOENT/],
    ['not-json.json', '{ "groups": [', /invalid fixtures \(.*not-json\.json\): \/: not valid JSON/],
    ['invalid.json', JSON.stringify({ groups: [{ id: 'x' }] }), /invalid fixtures \(.*invalid\.json\): \/groups\/0\/name: .*\/groups\/0\/id: /],
    [
      'dangling.json',
      JSON.stringify({ orgs: [{ id: '0d000000-0000-4000-8000-000000000001', name: 'o', group_id: '0d000000-0000-4000-8000-000000000002' }] }),
      /\/orgs\/0\/group_id: no group 0d000000-0000-4000-8000-000000000002/,
    ],
  ];
  for (const [name, text, message] of cases) {
    const fixtures = join(dir, name);
    if (text !== undefined) writeFileSync(fixtures, text);
    await t.rejects(build(testSettings({ store: 'file', db, fixtures }), { logger: false }), { name: 'FixtureError', message }, name);
  }
  t.notOk(existsSync(join(dir, 'data')), 'no data file written');
});

t.test('a plugin that fails to register: build() rejects and closes the store it opened', async (t) => {
  const { build: brokenBuild } = await t.mockImport<typeof import('../../src/app.js')>('../../src/app.js', {
    '../../src/routes/oauth/index.js': { default: async () => Promise.reject(new Error('the oauth routes broke')) },
  });
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-broken-')), 'db.json');
  await t.rejects(brokenBuild(testSettings({ store: 'file', db }), { logger: false }), /the oauth routes broke/);
  // the store was opened (its lock taken), and closed: the failed start wrote nothing and let go of the file
  t.same(readdirSync(dirname(db)), [], 'no data file, log or lock left behind');
});
