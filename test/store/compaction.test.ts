// Store + FilePersistence without HTTP: group commit into one append, compaction on a threshold,
// crash points around compaction and replace, and the indexes' behaviour on updates.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePersistence, nodeFileSystem, type FileSystem } from '../../src/store/file-persistence.js';
import { Store, type Change } from '../../src/store/store.js';
import { emptyData, type ServiceAccountRecord, type StoreData } from '../../src/schemas/store.js';
import { parseLog } from '../../src/store/change-log.js';
import { orgRecord } from '../../src/store/records.js';

const ORG = '48dab934-c18e-4abf-b2b9-067e0fb2f0bf';
const fresh = () => join(mkdtempSync(join(tmpdir(), 'snyk-mock-compact-')), 'db.json');

const sa = (i: number, name = `acct-${i}`): ServiceAccountRecord => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  level: 'Org',
  owner_id: ORG,
  name,
  auth_type: 'api_key',
  role_id: 'role',
  created_at: `2024-01-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z`,
});
const put = (r: ServiceAccountRecord): Change => ({ op: 'put', coll: 'service_accounts', value: r });

function seed(): StoreData {
  const d = emptyData();
  d.orgs.push(orgRecord({ id: ORG, name: 'org' }, () => false));
  return d;
}

/** Opens a store on `db` the way openStore does (seeding an empty one). */
async function openOn(db: string, opts: { compactBytes?: number; fs?: FileSystem; warnings?: string[] } = {}): Promise<Store> {
  const p = new FilePersistence(db, { compactBytes: opts.compactBytes, fs: opts.fs, warn: (_o, msg) => opts.warnings?.push(msg) });
  let loaded = await p.load();
  if (!loaded) {
    await p.replace(seed());
    loaded = { data: seed(), replay: [] };
  }
  return new Store(p, loaded);
}

const accountNames = (s: Store) => (s.state.saByOwner.get(`Org:${ORG}`) ?? []).map((r) => r.name);

t.test('concurrent commits share one append (group commit), one line per transaction', async (t) => {
  const db = fresh();
  let appends = 0;
  const fs: FileSystem = {
    ...nodeFileSystem,
    async openAppend(path) {
      const f = await nodeFileSystem.openAppend(path);
      return { ...f, append: (b) => (appends++, f.append(b)), truncate: (n) => f.truncate(n), close: () => f.close() };
    },
  };
  const store = await openOn(db, { fs });
  const before = appends;
  await store.commit([put(sa(0))]); // first flush: log header + transaction
  const afterFirst = appends;
  await Promise.all(Array.from({ length: 50 }, (_, i) => store.commit([put(sa(i + 1)), put(sa(i + 1001))])));
  t.ok(appends - afterFirst <= 2, `50 concurrent commits took ${appends - afterFirst} appends`);
  t.ok(afterFirst - before <= 2);
  const log = parseLog(readFileSync(`${db}.log`));
  t.equal(log.kind, 'log');
  if (log.kind === 'log') {
    t.equal(log.transactions.length, 51, 'one line per commit');
    t.same(log.transactions[1].map((c) => c.op), ['put', 'put'], 'a commit stays whole');
  }
});

t.test('compaction on the size threshold: JSON file catches up, log starts over, restart is exact', async (t) => {
  const db = fresh();
  const store = await openOn(db, { compactBytes: 4096 });
  for (let i = 0; i < 100; i++) await store.commit([put(sa(i))]);
  const doc = JSON.parse(readFileSync(db, 'utf8'));
  t.ok(doc.service_accounts.length > 0, 'the JSON file was rewritten by compaction');
  t.ok(statSync(`${db}.log`).size < 4096 + 1024, 'the log was cut');
  await store.commit([{ op: 'del', coll: 'service_accounts', id: sa(5).id }, put(sa(7, 'renamed-7'))]);
  // crash: JSON file + log
  const again = await openOn(db);
  t.equal(again.state.count('service_accounts'), 99);
  t.notOk(again.state.get('service_accounts', sa(5).id));
  t.equal(again.state.get('service_accounts', sa(7).id)?.name, 'renamed-7');
  t.same(accountNames(again), accountNames(store), 'same listing order');
});

t.test('a crash between the JSON rewrite and the log reset: the stale log is recognised and not replayed twice', async (t) => {
  const db = fresh();
  const store = await openOn(db);
  for (let i = 0; i < 5; i++) await store.commit([put(sa(i))]);
  await store.commit([{ op: 'del', coll: 'service_accounts', id: sa(2).id }]);
  const staleLog = readFileSync(`${db}.log`);
  // compaction (here: replace with the current state) rewrites the JSON file, then the log
  const current = structuredClone(store.data);
  await store.replace(current);
  writeFileSync(`${db}.log`, staleLog); // as if the crash came before the log was reset
  const warnings: string[] = [];
  const again = await openOn(db, { warnings });
  t.equal(again.state.count('service_accounts'), 4);
  t.match(warnings, [/stale change log/]);
  await again.commit([put(sa(9))]);
  const third = await openOn(db);
  t.equal(third.state.count('service_accounts'), 5, 'appends after a stale log land in a fresh one');
});

t.test('replace (reset / seed): a log of the previous state is never replayed onto the new one', async (t) => {
  const db = fresh();
  const store = await openOn(db);
  for (let i = 0; i < 3; i++) await store.commit([put(sa(i))]);
  const oldLog = readFileSync(`${db}.log`);
  await store.replace(seed());
  t.equal(store.state.count('service_accounts'), 0);
  writeFileSync(`${db}.log`, oldLog);
  const again = await openOn(db);
  t.equal(again.state.count('service_accounts'), 0);
});

t.test('close compacts and removes the log; a clean restart needs no replay', async (t) => {
  const db = fresh();
  const store = await openOn(db);
  await store.commit([put(sa(1))]);
  await store.close();
  t.notOk(existsSync(`${db}.log`));
  t.equal(JSON.parse(readFileSync(db, 'utf8')).service_accounts.length, 1);
  const again = await openOn(db);
  t.equal(again.state.count('service_accounts'), 1);
  await again.close();
  await (await openOn(db)).close();
});

t.test('compaction writes only durable state: a write still in flight when it runs is left out', async (t) => {
  const db = fresh();
  let failNext = false;
  let armed = false;
  const fs: FileSystem = {
    ...nodeFileSystem,
    async openAppend(path) {
      const f = await nodeFileSystem.openAppend(path);
      return {
        append: async (b) => {
          if (failNext) throw new Error('injected');
          return f.append(b);
        },
        truncate: (n) => f.truncate(n),
        close: () => f.close(),
      };
    },
    async writeFileDurably(path, text) {
      // while the JSON file is written, a new commit arrives; its flush then fails
      failNext = armed;
      return nodeFileSystem.writeFileDurably(path, text);
    },
  };
  const store = await openOn(db, { compactBytes: 1, fs });
  armed = true;
  const first = store.commit([put(sa(1))]);
  const second = store.commit([put(sa(2))]);
  await first.catch(() => {});
  // sa(3) is applied while the compaction (triggered after the first flush) may be running
  const third = store.commit([put(sa(3))]);
  const results = await Promise.allSettled([first, second, third]);
  t.ok(results.some((r) => r.status === 'rejected'), 'some write failed');
  const durable = new Set(results.flatMap((r, i) => (r.status === 'fulfilled' ? [sa(i + 1).id] : [])));
  const doc = JSON.parse(readFileSync(db, 'utf8'));
  for (const r of doc.service_accounts as ServiceAccountRecord[]) t.ok(durable.has(r.id), `${r.name} in the JSON file was acknowledged`);
  for (const r of [1, 2, 3]) t.equal(!!store.state.get('service_accounts', sa(r).id), durable.has(sa(r).id), `memory matches for acct-${r}`);
});

t.test('indexes: a rename keeps the account in place; name index follows', async (t) => {
  const db = fresh();
  const store = await openOn(db);
  await Promise.all([1, 2, 3].map((i) => store.commit([put(sa(i))])));
  await store.commit([put(sa(2, 'two'))]);
  t.same(accountNames(store), ['acct-1', 'two', 'acct-3']);
  t.equal(store.state.saByName.get(`Org:${ORG}\0two`)?.id, sa(2).id);
  t.notOk(store.state.saByName.get(`Org:${ORG}\0acct-2`));
  t.equal(store.data.service_accounts.find((r) => r.id === sa(2).id)?.name, 'two', 'the record in db.data is replaced too');
  await store.commit([{ op: 'del', coll: 'service_accounts', id: sa(1).id }]);
  t.same(accountNames(store), ['two', 'acct-3']);
  t.equal(store.data.service_accounts.length, 2);
});
