// `npm start` in the first hour: it builds only when the sources changed since the last build
// (scripts/build-if-stale.mjs, run by prepare, prestart and npm test), and the `--` forgotten
// (`npm start --port 18193`) gets the command that was meant. Both through real npm processes.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli, UsageError } from '../src/settings/args.js';
import { CLI, childEnv, nodeArgs } from './support/process.js';

t.setTimeout(300_000);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const npm = (args: string[], cwd: string) =>
  spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: childEnv({ HOME: process.env.HOME ?? '', npm_config_update_notifier: 'false' }),
  });

t.test('the build runs when the sources are newer than dist/, and only then', async (t) => {
  // a project with the real check script and a stand-in build that counts its runs and writes the outputs
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-stale-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(ROOT, 'scripts', 'build-if-stale.mjs'), join(dir, 'scripts', 'build-if-stale.mjs'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  const build = `const fs = require('fs'); fs.appendFileSync('builds', 'x');
    for (const d of ['dist/ui', 'dist/compiled-schemas']) fs.mkdirSync(d, { recursive: true });
    for (const f of ['dist/cli.js', 'dist/index.js', 'dist/healthcheck.js', 'dist/ui/index.html']) fs.writeFileSync(f, '');`;
  writeFileSync(join(dir, 'build.cjs'), build);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'stale', private: true, scripts: { build: 'node build.cjs', check: 'node scripts/build-if-stale.mjs' } }),
  );
  const builds = () => {
    try {
      return readFileSync(join(dir, 'builds'), 'utf8').length;
    } catch {
      return 0;
    }
  };
  const check = (only = false) => spawnSync(process.execPath, ['scripts/build-if-stale.mjs', ...(only ? ['--check'] : [])], { cwd: dir, encoding: 'utf8' });

  t.equal(check(true).status, 1, '--check: no dist/ is stale');
  t.equal(npm(['run', 'check'], dir).status, 0);
  t.equal(builds(), 1, 'no dist/: built');
  t.equal(check().status, 0);
  t.equal(builds(), 1, 'nothing changed: not built again');
  t.equal(check(true).status, 0, '--check: current');

  const later = new Date(Date.now() + 5_000);
  utimesSync(join(dir, 'src', 'a.ts'), later, later);
  t.equal(check().status, 0);
  t.equal(builds(), 2, 'a source touched: built');
  t.equal(check().status, 0);
  t.equal(builds(), 2);

  writeFileSync(join(dir, 'src', 'b.ts'), 'export const b = 2;\n');
  check();
  t.equal(builds(), 3, 'a source added: built');
  rmSync(join(dir, 'src', 'b.ts'));
  check();
  t.equal(builds(), 4, 'a source removed: built');
  rmSync(join(dir, 'dist', 'ui'), { recursive: true });
  check();
  t.equal(builds(), 5, 'an output missing: built');

  writeFileSync(join(dir, 'build.cjs'), `require('fs').appendFileSync('builds', 'x'); process.exit(3);`);
  utimesSync(join(dir, 'src', 'a.ts'), new Date(), new Date());
  t.equal(check().status, 3, 'a failed build fails the check');
  writeFileSync(join(dir, 'build.cjs'), build);
  check();
  t.equal(builds(), 7, 'and leaves no stamp: the next check builds');
});

t.test('npm start --port 18193 (the -- forgotten) says what was meant', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-npmstart-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // the start script as package.json has it, on the sources
  const start = ['node', ...nodeArgs(CLI)].map((a) => JSON.stringify(a)).join(' ');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'start', private: true, scripts: { start, serve: start } }));

  const one = npm(['start', '--port', '18193'], dir);
  t.equal(one.status, 2, 'a usage error');
  t.match(one.stderr, /Unexpected argument '18193'/);
  t.match(one.stderr, 'did you mean `npm start -- --port 18193`?');

  const two = npm(['run', 'serve', '--in-memory', '--log-format', 'json', '--port', '18193'], dir);
  t.equal(two.status, 2);
  t.match(
    two.stderr,
    'npm took --in-memory, --port, --log-format as its own config: did you mean `npm run serve -- --in-memory --port <value> --log-format <value>`? (npm passed json 18193 on as arguments)',
    'several: which value went with which flag is not known',
  );

  const stray = npm(['start', '--', 'extra'], dir);
  t.equal(stray.status, 2);
  t.match(stray.stderr, 'npm passes options on to the script only after `--` (`npm start -- --port 8080`); "extra" is not an option.');

  const plain = spawnSync(process.execPath, nodeArgs(CLI, ['18193']), { encoding: 'utf8', env: childEnv() });
  t.equal(plain.status, 2, 'outside npm: the usual error');
  t.match(plain.stderr, /Unexpected argument '18193'[\s\S]*Run snyk-mock --help for the options/);
  t.notMatch(plain.stderr, /npm/);
});

t.test('the hint, from the environment npm gives the script', async (t) => {
  const hint = (argv: string[], env: NodeJS.ProcessEnv) => {
    try {
      parseCli(argv, env);
    } catch (err) {
      if (err instanceof UsageError) return err.message;
      throw err;
    }
    return 'no error';
  };
  t.match(hint(['18193'], { npm_lifecycle_event: 'start', npm_config_port: 'true' }), 'did you mean `npm start -- --port 18193`?');
  t.match(
    hint(['memory'], { npm_lifecycle_event: 'dev', npm_config_store: 'true', npm_config_https: 'true' }),
    'npm took --store, --https as its own config: did you mean `npm run dev -- --https --store memory`?',
  );
  t.match(hint(['x'], { npm_lifecycle_event: 'test' }), 'only after `--` (`npm test -- --port 8080`); "x" is not an option.');
  t.match(hint(['--bogus'], { npm_lifecycle_event: 'start' }), /Unknown option '--bogus'[\s\S]*Run snyk-mock --help/, 'no stray argument: the usual message');
  t.notMatch(hint(['18193'], {}), /npm/, 'not under npm: no npm hint');
});
