// One writer per data file, in-process (startMockServer): a second server on the same file is
// refused with the holder and the advice, an in-memory store takes no lock, an unwritable data
// directory refuses the start naming the path and the errno, stray temp files go, fixtures that an
// existing data file makes moot are said to be, and a holder that lost its lock writes nothing more.
// Real processes: test/e2e/single-writer.test.ts.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMockServer, type MockServer } from '../../src/index.js';
import { IDS, TOKENS, V } from '../helper.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'snyk-mock-lock-')), 'db.json');

const create = (mock: MockServer, name: string) =>
  fetch(`${mock.url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, {
    method: 'POST',
    headers: { authorization: `token ${TOKENS.admin}`, 'content-type': 'application/vnd.api+json' },
    body: JSON.stringify({ data: { type: 'service_account', attributes: { name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' } } }),
  });

t.test('a second server on the same data file is refused; the first goes on; once it closes the file is free', async (t) => {
  const db = fresh();
  const first = await startMockServer({ store: db });
  let open = true;
  t.teardown(() => (open ? first.close() : undefined));
  const holder = JSON.parse(readFileSync(`${db}.holder.json`, 'utf8'));
  t.match(holder, { pid: process.pid, host: hostname() }, 'the holder is recorded beside the lock');

  await t.rejects(startMockServer({ store: db }), {
    name: 'DataFileLockedError',
    message: `The data file ${db} is in use by another snyk-mock (pid ${process.pid} on host ${hostname()}, since ${holder.since}). Stop that one, or start this one on another data file (--db, SNYK_MOCK_DB).`,
  });
  t.equal((await create(first, 'still-writing')).status, 201, 'the holder is not disturbed');
  t.ok(existsSync(`${db}.lock`) && existsSync(`${db}.holder.json`), 'nor its lock');

  await first.close();
  open = false;
  t.notOk(existsSync(`${db}.lock`) || existsSync(`${db}.holder.json`), 'a graceful close lets go of the file');
  const second = await startMockServer({ store: db });
  t.teardown(() => second.close());
  const list = await fetch(`${second.url}/rest/orgs/${IDS.frontend}/service_accounts?version=${V}&limit=100`, {
    headers: { authorization: `token ${TOKENS.admin}` },
  });
  t.ok(((await list.json()) as { data: { attributes: { name: string } }[] }).data.some((d) => d.attributes.name === 'still-writing'));
});

t.test('an in-memory store takes no lock', async (t) => {
  const db = fresh();
  const holder = await startMockServer({ store: db });
  t.teardown(() => holder.close());
  // the memory store's `db` names the held file: it is not locked, read or written
  const memory = await startMockServer({ store: 'memory', db });
  t.teardown(() => memory.close());
  t.equal((await create(memory, 'in-memory')).status, 201);
});

t.test('a data directory that cannot be written refuses the start, naming the path and the errno', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-lock-'));
  // root writes anywhere it may, so: a directory path through a plain file
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a directory');
  const db = join(file, 'data', 'db.json');
  await t.rejects(startMockServer({ store: db }), {
    message: new RegExp(`^Cannot write in the data directory ${join(file, 'data')} \\(for the data file ${db}\\): ENOTDIR: not a directory`),
  });
  t.same(readdirSync(dir), ['a-file'], 'nothing written');
});

t.test('a start removes the temp files earlier runs left beside the data file', async (t) => {
  const db = fresh();
  const dir = join(db, '..');
  const first = await startMockServer({ store: db });
  await first.close();
  // what a crash between a temp file and its rename leaves (another pid, a pid of another container)
  const stray = ['.db.json.4242.tmp', '.db.json.1.tmp', '.db.json.holder.json.77.tmp'];
  for (const name of stray) writeFileSync(join(dir, name), '{"partial":');
  writeFileSync(join(dir, '.db.json.notes.tmp'), 'not ours');
  const lines: string[] = [];
  const again = await startMockServer({ store: db, logLevel: 'info', logger: { level: 'info', stream: { write: (l: string) => void lines.push(l) } } });
  t.teardown(() => again.close());
  for (const name of stray) t.notOk(existsSync(join(dir, name)), `${name} removed`);
  t.ok(existsSync(join(dir, '.db.json.notes.tmp')), 'a file of another pattern is left alone');
  t.ok(
    lines.some((l) => /removed temp files that an earlier run left behind/.test(l) && l.includes('.db.json.4242.tmp')),
    'and the removal is logged',
  );
});

t.test('fixtures for a data file that already exists: one line says they are not applied, and how to apply them', async (t) => {
  const db = fresh();
  const fixtures = join(db, '..', 'fixtures.json');
  writeFileSync(fixtures, JSON.stringify({ groups: [{ id: '0d000000-0000-4000-8000-000000000001', name: 'from the fixtures' }] }));
  const lines: string[] = [];
  const logger = { level: 'warn', stream: { write: (l: string) => void lines.push(l) } };
  const first = await startMockServer({ store: db, fixtures, logger });
  await first.close();
  t.same(
    lines.filter((l) => /not applied/.test(l)),
    [],
    'not on the start that seeds from them',
  );
  const again = await startMockServer({ store: db, fixtures, logger });
  t.teardown(() => again.close());
  const said = lines.filter((l) => /not applied/.test(l));
  t.equal(said.length, 1, 'one line, at the default level (warn) of the in-process API');
  const { msg } = JSON.parse(said[0]);
  t.equal(
    msg,
    `Fixtures (${fixtures}) not applied: the data file ${db} already exists and is used as it is; to apply them, reset (POST /__admin/reset) or start on another data file (--db)`,
  );
});

t.test('a holder that lost its lock writes nothing more', async (t) => {
  const db = fresh();
  const errors: string[] = [];
  const mock = await startMockServer({ store: db, logger: { level: 'error', stream: { write: (l: string) => void errors.push(l) } } });
  t.teardown(() => mock.close());
  t.equal((await create(mock, 'before')).status, 201);
  // as if another process had taken the data file over: the lock is gone from under the holder
  rmSync(`${db}.lock`, { recursive: true });
  mkdirSync(`${db}.lock`);
  let status = 201;
  for (let i = 0; i < 100 && status === 201; i++) {
    await new Promise((r) => setTimeout(r, 100));
    status = (await create(mock, `during-${i}`)).status;
  }
  t.equal(status, 500, 'writes are refused once the holder sees its lock compromised');
  t.ok(
    errors.some((l) => l.includes(`Lost the lock of the data file ${db}`)),
    'and it says so',
  );
  const last = (await create(mock, 'after')).status;
  t.equal(last, 500, 'for good');
  await mock.close();
  t.ok(existsSync(`${db}.lock`), 'its close does not remove the lock it no longer holds');
  const onDisk = readFileSync(db, 'utf8') + (existsSync(`${db}.log`) ? readFileSync(`${db}.log`, 'utf8') : '');
  t.notOk(onDisk.includes('"after"'), 'nothing written after the loss, not even by the close');
});
