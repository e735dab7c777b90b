// One writer per data file, between real processes (src/cli.ts in children): a second server on the
// file is refused with one line (the file, the holder's pid and host, what to do) and exits 1; a
// SIGKILLed holder is replaced by a new start within a few seconds; a holder whose lock is taken
// from it exits 1; a start that fails leaves no file behind, and a directory that cannot be written
// refuses the start. Waits are bounded polls, never timings.
import t from 'tap';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDS, TOKENS, V } from '../helper.js';
import { CLI, childEnv, nodeArgs, runAsync, startCli, stop } from '../support/process.js';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';

t.setTimeout(480_000);
// the subtests are independent (files and processes of their own): they run at once, their waits overlap
t.jobs = 5;

const env = { SNYK_MOCK_PORT: '0', SNYK_MOCK_HOST: '127.0.0.1', SNYK_MOCK_STORE: 'file', SNYK_MOCK_LOG_LEVEL: 'info' };
/** Kills `child` at teardown unless it has ended (stop() waits for an exit that a killed child has had). */
const killAtEnd = (t: { teardown(fn: () => unknown): void }, child: ChildProcessWithoutNullStreams) =>
  t.teardown(() => (child.exitCode === null && child.signalCode === null ? stop(child, 'SIGKILL') : undefined));
const fresh = () => join(mkdtempSync(join(tmpdir(), 'snyk-mock-writer-')), 'db.json');

/** Runs the CLI to its end; resolves with its exit code and output. */
function run(args: string[], extra: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = runAsync(CLI, args, { ...env, ...extra });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const create = (url: string, name: string) =>
  fetch(`${url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, {
    method: 'POST',
    headers: { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' },
    body: JSON.stringify({ data: { type: 'service_account', attributes: { name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } }),
  });

t.test('two processes on one data file: the second is refused; a SIGKILLed holder is replaced', async (t) => {
  const db = fresh();
  const first = await startCli(['--db', db], env);
  killAtEnd(t, first.child);
  t.equal((await create(first.url, 'first-writer')).status, 201);
  const since = JSON.parse(readFileSync(`${db}.holder.json`, 'utf8')).since;

  const second = await run(['--db', db]);
  t.equal(second.code, 1, 'refused: exit 1');
  t.equal(
    second.stderr.trim(),
    `snyk-mock: The data file ${db} is in use by another snyk-mock (pid ${first.child.pid} on host ${hostname()}, since ${since}). Stop that one, or start this one on another data file (--db, SNYK_MOCK_DB).`,
    'one line: the file, who holds it, what to do',
  );
  t.notMatch(second.stdout, /listening/);
  t.equal((await create(first.url, 'still-first')).status, 201, 'the holder goes on');

  // killed: no close, its lock stays until it goes stale (no longer refreshed); a new start waits it out
  await stop(first.child, 'SIGKILL');
  t.ok(existsSync(`${db}.lock`), 'the killed holder left its lock');
  const third = await startCli(['--db', db], env);
  killAtEnd(t, third.child);
  t.match(third.output(), /took over the data file from a holder that no longer refreshed its lock/);
  t.equal(JSON.parse(readFileSync(`${db}.holder.json`, 'utf8')).pid, third.child.pid, 'the new holder is recorded');
  const list = await fetch(`${third.url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}&limit=100`, {
    headers: { authorization: `token ${TOKENS.admin}` },
  });
  const names = ((await list.json()) as { data: { attributes: { name: string } }[] }).data.map((d) => d.attributes.name);
  t.ok(names.includes('first-writer') && names.includes('still-first'), "the killed holder's acknowledged writes are there");
  t.equal(await stop(third.child), 0);
  t.same(readdirSync(join(db, '..')).sort(), ['db.json'], 'a graceful stop leaves the data file alone');
});

t.test('a holder whose lock is taken from it exits 1, saying so', async (t) => {
  const db = fresh();
  const holder = await startCli(['--db', db], env);
  killAtEnd(t, holder.child);
  const exited = new Promise<number | null>((resolve) => holder.child.on('exit', (code) => resolve(code)));
  rmSync(`${db}.lock`, { recursive: true });
  mkdirSync(`${db}.lock`); // another process's lock now
  t.equal(await exited, 1);
  t.match(holder.output(), `Lost the lock of the data file ${db}`);
});

t.test('a start that fails on a port in use leaves no file behind', async (t) => {
  const busy = await startCli([], { ...env, SNYK_MOCK_STORE: 'memory' });
  killAtEnd(t, busy.child);
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-writer-'));
  const failed = await run(['--db', join(dir, 'data', 'db.json'), '--port', new URL(busy.url).port, '--https']);
  t.equal(failed.code, 1);
  t.match(failed.stderr, /EADDRINUSE/);
  t.same(readdirSync(dir), [], 'no data file, log, lock, certificate or directory');
});

t.test('a data directory that cannot be written refuses the start, naming the path and the errno', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-writer-'));
  writeFileSync(join(dir, 'file'), '');
  const notDir = await run(['--db', join(dir, 'file', 'db.json')]);
  t.equal(notDir.code, 1);
  t.match(
    notDir.stderr,
    `snyk-mock: Cannot write in the data directory ${join(dir, 'file')} (for the data file ${join(dir, 'file', 'db.json')}): ENOTDIR: not a directory`,
  );

  // no permission: only to be seen as another user (root writes anywhere), so as nobody when root
  const asNobody = process.getuid?.() === 0 && spawnSync('id', ['-u', 'nobody']).status === 0;
  if (!asNobody) return t.comment('not root: no other user to run as');
  const locked = join(dir, 'root-only');
  mkdirSync(locked);
  chmodSync(locked, 0o755);
  chmodSync(dir, 0o755);
  const child = spawn(process.execPath, nodeArgs(CLI, ['--db', join(locked, 'db.json')]), { env: childEnv({ ...env, HOME: '/tmp' }), uid: 65534, gid: 65534 });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 1, stderr);
  t.match(stderr, `snyk-mock: Cannot write in the data directory ${locked} (for the data file ${join(locked, 'db.json')}): EACCES: permission denied`);
  t.same(readdirSync(locked), [], 'nothing written');
});

t.test('--fixtures for a data file that already exists: one line at the default level', async (t) => {
  const db = fresh();
  const fixtures = join(db, '..', 'fixtures.json');
  writeFileSync(fixtures, JSON.stringify({ groups: [{ id: '0d000000-0000-4000-8000-000000000001', name: 'g' }] }));
  const { SNYK_MOCK_LOG_LEVEL: _, ...quiet } = env; // the default level
  const seeded = await startCli(['--db', db, '--fixtures', fixtures], quiet);
  t.equal(await stop(seeded.child), 0);
  t.notMatch(seeded.output(), /not applied/, 'applied on the first start');
  const again = await startCli(['--db', db, '--fixtures', fixtures], quiet);
  t.equal(await stop(again.child), 0);
  const lines = again
    .output()
    .split('\n')
    .filter((l) => /not applied/.test(l));
  t.equal(lines.length, 1);
  t.match(JSON.parse(lines[0]).msg, `Fixtures (${fixtures}) not applied: the data file ${db} already exists`);
  t.match(JSON.parse(lines[0]).msg, 'reset (POST /__admin/reset) or start on another data file (--db)');
});
