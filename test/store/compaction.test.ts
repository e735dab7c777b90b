// Store + FilePersistence without HTTP: group commit into one append, compaction on a threshold,
// crash points around compaction and replace, and the indexes' behaviour on updates.
import t from 'tap';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePersistence } from '../../src/store/file-persistence.js';
import { nodeFileSystem, type FileSystem } from '../../src/store/file-system.js';
import { Store, type Change, type Persistence } from '../../src/store/store.js';
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
    t.same(
      log.transactions[1].map((c) => c.op),
      ['put', 'put'],
      'a commit stays whole',
    );
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

/**
 * A file system under the test's control: it can hold the next log append until released, fail the
 * appends (or JSON writes) a predicate picks, and it records every JSON text written.
 */
function controlled() {
  const ctl = {
    json: [] as string[],
    failAppend: (_data: Buffer) => false,
    failJson: () => false,
    held: undefined as undefined | { arrived: () => void; released: Promise<void> },
    /** holds the next append (`what` says which: 'append') or JSON write; resolves once one is held */
    hold(): { reached: Promise<void>; release: () => void } {
      let release!: () => void;
      let arrived!: () => void;
      const reached = new Promise<void>((r) => (arrived = r));
      ctl.held = { arrived, released: new Promise<void>((r) => (release = r)) };
      return { reached, release };
    },
  };
  const wait = async () => {
    const h = ctl.held;
    if (!h) return;
    ctl.held = undefined;
    h.arrived();
    await h.released;
  };
  const fs: FileSystem = {
    ...nodeFileSystem,
    async openAppend(path) {
      const f = await nodeFileSystem.openAppend(path);
      return {
        append: async (b) => {
          await wait();
          if (ctl.failAppend(b)) throw new Error('EIO: injected');
          return f.append(b);
        },
        truncate: (n) => f.truncate(n),
        close: () => f.close(),
      };
    },
    async writeFileDurably(path, text) {
      ctl.json.push(text);
      await wait();
      if (ctl.failJson()) throw new Error('ENOSPC: injected');
      return nodeFileSystem.writeFileDurably(path, text);
    },
  };
  return { fs, ctl };
}

t.test('compaction snapshots the durable state at once: a write pending meanwhile is not in the JSON file', async (t) => {
  const db = fresh();
  const { fs, ctl } = controlled();
  const store = await openOn(db, { compactBytes: 1, fs }); // every flush is followed by a compaction
  const held = ctl.hold();
  const first = store.commit([put(sa(1))]); // its append is held: the flush is in progress
  await held.reached;
  const second = store.commit([put(sa(2))]); // applied in memory, waiting for the next flush
  t.ok(store.state.get('service_accounts', sa(2).id), 'readers see the pending write');
  ctl.failAppend = (b) => b.includes(sa(2).id); // …which will fail
  const before = ctl.json.length;
  held.release();
  // the first flush completes, the compaction after it runs while the second write is pending
  await t.resolves(first);
  await t.rejects(second, /EIO: injected/);
  const compacted = ctl.json.slice(before);
  t.equal(compacted.length, 1, 'one compaction ran');
  t.match(compacted[0], sa(1).id, 'the durable write is in the snapshot');
  t.notMatch(compacted[0], sa(2).id, 'the pending one is not: it never became durable');
  t.notOk(store.state.get('service_accounts', sa(2).id), 'and it is rolled back in memory');
  const again = await openOn(db);
  t.ok(again.state.get('service_accounts', sa(1).id));
  t.notOk(again.state.get('service_accounts', sa(2).id), 'a restart does not bring it back');
});

t.test('a failed maintenance step fails no write, and the next write is flushed at once', async (t) => {
  let flushes = 0;
  let failMaintenance = true;
  const warnings: string[] = [];
  const persistence: Persistence = {
    kind: 'memory',
    load: async () => undefined,
    flush: async () => {
      flushes++;
    },
    maintain: async () => {
      if (failMaintenance) throw new Error('maintenance broke');
    },
    replace: async () => {},
    close: async () => {},
  };
  const store = new Store(persistence, seed(), { warn: (_o, msg) => warnings.push(msg) });
  await t.resolves(store.commit([put(sa(1))]), 'the write whose flush preceded the failure is acknowledged');
  await store.settle();
  t.match(warnings, [/maintenance failed/], 'the failure is reported');
  failMaintenance = false;
  const next = store.commit([put(sa(2))]);
  t.equal(flushes, 2, 'the next write starts a flush of its own at once (no drain left hanging)');
  await t.resolves(next);
  t.ok(store.state.get('service_accounts', sa(2).id));
});

/** A store holding acct-1 whose replace (by an empty seed) is held while acct-3 is written on the new state. */
async function writeDuringReplace(failReplace: boolean) {
  const db = fresh();
  const { fs, ctl } = controlled();
  const store = await openOn(db, { fs });
  await store.commit([put(sa(1))]);
  const held = ctl.hold();
  ctl.failJson = () => failReplace;
  const replacing = store.replace(seed());
  await held.reached;
  const readersSeeNew = store.state.get('service_accounts', sa(1).id) === undefined;
  const during = store.commit([put(sa(3))]);
  held.release();
  return { db, ctl, store, replacing, during, readersSeeNew };
}

t.test('a replace that fails: the state before it stays, and writes made meanwhile are rolled back', async (t) => {
  const { db, ctl, store, replacing, during, readersSeeNew } = await writeDuringReplace(true);
  t.ok(readersSeeNew, 'readers saw the new state while it was written');
  await t.rejects(replacing, /ENOSPC: injected/);
  await t.rejects(during, /ENOSPC: injected/, 'a write made on the new state fails with it');
  t.ok(store.state.get('service_accounts', sa(1).id), 'the state before the replace is back');
  t.notOk(store.state.get('service_accounts', sa(3).id));
  ctl.failJson = () => false;
  await t.resolves(store.commit([put(sa(4))]), 'writes go on');
  const again = await openOn(db);
  t.same(accountNames(again), ['acct-1', 'acct-4'], 'on disk: the state before the replace, and the write after it');
});

t.test('writes during a replace are flushed after it, on the new state, and kept', async (t) => {
  const { db, store, replacing, during } = await writeDuringReplace(false);
  await t.resolves(replacing);
  await t.resolves(during);
  t.same(accountNames(store), ['acct-3']);
  const again = await openOn(db);
  t.same(accountNames(again), ['acct-3'], 'after a restart: the replaced state plus the write made during it');
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
