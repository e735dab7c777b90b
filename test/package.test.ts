// The package as npm ships it, built from a fresh checkout: the files a clone has (no dist/), with
// the repository's node_modules linked in, packed with `npm pack` (which runs `prepare`, the build),
// and the tarball installed into a scratch project. That is what `npm publish` ships, and what
// `npm install github:snyk-mock/snyk-mock` makes after its own clone and dev install (the clone-and-
// install step is what `.ci/run` does with `npm ci` in a fresh clone; npm's git plumbing is npm's).
// Then used the two ways the README says: `import('snyk-mock')` → startMockServer, and
// `npx snyk-mock`. The only test that runs built code, on purpose: its own build, never the
// repository's dist/.
import t from 'tap';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// a build (prepare), a pack and an install of the tarball: about 35 s of CPU alone; ample margin
// for a machine running a second suite
t.setTimeout(400_000);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

/** The files a fresh clone has (tracked, or new and not ignored), without the test and bench trees. */
function checkout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-clone-'));
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], ROOT)
    .split('\0')
    .filter((f) => f && !/^(test|bench)\//.test(f));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  return dir;
}

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));

t.test('a fresh checkout builds on npm pack; the tarball installs and runs in a scratch project', async (t) => {
  const repo = checkout();
  const project = mkdtempSync(join(tmpdir(), 'snyk-mock-scratch-'));
  t.teardown(() => {
    for (const dir of [repo, project]) rmSync(dir, { recursive: true, force: true });
  });
  t.notOk(readdirSync(repo).includes('dist'), 'the checkout has no build');
  symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
  run('npm', ['pack', '--pack-destination', project], repo);
  const tarballs = readdirSync(project).filter((f) => f.endsWith('.tgz'));
  t.equal(tarballs.length, 1, 'npm pack made one tarball');
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(project, tarballs[0])], project);

  const installed = join(project, 'node_modules', 'snyk-mock');
  const files = listFiles(installed);
  for (const f of ['dist/index.js', 'dist/cli.js', 'dist/healthcheck.js', 'dist/ui/index.html', 'fixtures/default.json', 'package.json', 'README.md'])
    t.ok(files.includes(f), `ships ${f}`);
  t.ok(
    files.some((f) => /^dist\/compiled-schemas\/.*\.cjs$/.test(f)),
    'ships the compiled schemas',
  );
  t.notOk(
    files.some((f) => /^(src|test|scripts|ui|node_modules)\//.test(f)),
    'no sources, tests, build scripts or dev dependencies',
  );
  t.notOk(files.includes('dist/.build-stamp'), "not the build's stamp");

  const script = `
    const { startMockServer } = await import('snyk-mock');
    const mock = await startMockServer();
    const self = await fetch(mock.url + '/rest/self?version=2024-10-15', { headers: { authorization: 'token ' + mock.token } });
    const list = await fetch(mock.url + '/rest/orgs/48dab934-c18e-4abf-b2b9-067e0fb2f0bf/service_accounts?version=2024-10-15', { headers: { authorization: 'token ' + mock.token } });
    const bad = await fetch(mock.url + '/rest/orgs/48dab934-c18e-4abf-b2b9-067e0fb2f0bf/service_accounts?version=2024-10-15&limit=7', { headers: { authorization: 'token ' + mock.token } });
    console.log(JSON.stringify({ url: mock.url, self: self.status, name: (await self.json()).data.attributes.name, list: (await list.json()).data.length, bad: bad.status }));
    await mock.close();
  `;
  const result = JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], project).trim());
  t.match(
    result,
    { url: /^http:\/\/127\.0\.0\.1:\d+$/, self: 200, name: 'Demo Admin', list: 5, bad: 400 },
    'import("snyk-mock"): startMockServer serves, validates and serialises',
  );

  const help = run('npx', ['snyk-mock', '--help'], project);
  t.match(help, /Usage: snyk-mock \[options\]/, 'npx snyk-mock --help');
  const version = run('npx', ['snyk-mock', '--version'], project).trim();
  t.equal(version, JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version, 'npx snyk-mock --version');

  // the command is a bundle (scripts/bundle-cli.mjs): it finds the package's files from where it is
  const server = spawn(join(project, 'node_modules', '.bin', 'snyk-mock'), ['--port', '0', '--store', 'memory', '--log-format', 'json'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  t.teardown(() => void server.kill('SIGKILL'));
  let logged = '';
  const url = await new Promise<string>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      logged += chunk;
      const m = /"url":"(http:\/\/[^"]+)"/.exec(logged);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`snyk-mock exited (${code}) before listening: ${logged}`)));
  });
  const demo = { authorization: 'token 11111111-1111-4111-8111-111111111111' };
  t.equal((await fetch(`${url}/rest/self?version=2024-10-15`, { headers: demo })).status, 200, 'npx snyk-mock: the seed fixtures, the demo token');
  const page = await fetch(`${url}/__admin/ui/`);
  t.equal(page.status, 200, 'the dashboard, from dist/ui');
  t.match(await page.text(), /<script type="module" src="app\.js"><\/script>/);
  const doc = await fetch(`${url}/rest/openapi/2024-10-15`);
  t.equal(doc.status, 200, 'the OpenAPI document, made on first request');
  t.ok(Object.keys(((await doc.json()) as { paths: object }).paths).length > 0);
  const exited = new Promise<number | null>((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  t.equal(await exited, 0, 'and it closes on SIGTERM');
});
