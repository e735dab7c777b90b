// The file store through the HTTP API: restart keeps data, corrupt or unreadable files refuse the
// start (naming the file) unless reseed, a failing flush answers 5xx and leaves nothing behind,
// same-name creates race to exactly one 201, and no credential is kept in clear.
import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { build } from '../../src/app.js';
import type { FilePersistence } from '../../src/store/file-persistence.js';
import { nodeFileSystem, type AppendFile, type FileSystem } from '../../src/store/file-system.js';
import { encodeLine } from '../../src/store/change-log.js';
import { call, createBody, IDS, orgPath, testSettings, V } from '../helper.js';
import { errorDocumentErrors } from '../support/spec.js';

interface Tap {
  teardown(fn: () => unknown): void;
}

const dbIn = (dir: string) => join(dir, 'db.json');
const fresh = () => dbIn(mkdtempSync(join(tmpdir(), 'snyk-mock-store-')));

/** A file-store app on `db`; closed at teardown unless closed before. */
async function open(t: Tap, db: string, opts: { fs?: FileSystem; onCorrupt?: 'fail' | 'reseed' } = {}): Promise<FastifyInstance> {
  const app = await build(testSettings({ store: 'file', db, onCorrupt: opts.onCorrupt ?? 'fail' }), { logger: false, fs: opts.fs });
  // as once the server listens: the files are written from here on (a start that fails writes none)
  await app.store.started();
  let closed = false;
  app.addHook('onClose', async () => {
    closed = true;
  });
  t.teardown(() => (closed ? undefined : app.close()));
  return app;
}

const create = (app: FastifyInstance, name: string) =>
  call(app, { method: 'POST', url: `${orgPath()}?version=${V}`, payload: createBody({ name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }) });
const get = (app: FastifyInstance, id: string) => call(app, { url: `${orgPath(IDS.frontend, id)}?version=${V}` });
const names = async (app: FastifyInstance) =>
  (await call(app, { url: `${orgPath()}?version=${V}&limit=100` })).json().data.map((d: { attributes: { name: string } }) => d.attributes.name) as string[];

/** Simulates a process killed without closing: the files stay as they are on disk, its lock is let go. */
const abandon = async (app: FastifyInstance) => {
  await app.store.settle();
  await (app.store.persistence as FilePersistence).abandon();
};

t.test('restart keeps data; no credential in clear in the data file or the log', async (t) => {
  const db = fresh();
  const app = await open(t, db);
  const made = await create(app, 'keeps-1');
  t.equal(made.statusCode, 201);
  const { id, attributes } = made.json().data;
  t.ok(attributes.api_key, 'the api key is shown once');
  const renamed = await call(app, {
    method: 'PATCH',
    url: `${orgPath(IDS.frontend, id)}?version=${V}`,
    payload: { data: { type: 'service_account', id, attributes: { name: 'keeps-renamed' } } },
  });
  t.equal(renamed.statusCode, 200);
  const gone = (await create(app, 'keeps-deleted')).json().data.id;
  t.equal((await call(app, { method: 'DELETE', url: `${orgPath(IDS.frontend, gone)}?version=${V}` })).statusCode, 204);

  // before close: the write is in the log, the JSON file lags it
  const log = readFileSync(`${db}.log`, 'utf8');
  t.match(log, id, 'the create is in the change log');
  t.notMatch(readFileSync(db, 'utf8'), id, 'the JSON file lags the log until compaction');
  t.notMatch(log, attributes.api_key, 'no api key in clear in the log');

  // a crash (no close): the log is replayed
  await abandon(app);
  const crashed = await open(t, db);
  t.equal((await get(crashed, id)).json().data.attributes.name, 'keeps-renamed', 'replayed from the log');
  t.equal((await get(crashed, gone)).statusCode, 404, 'the delete is replayed too');
  t.equal((await call(crashed, { url: `${orgPath()}?version=${V}`, token: attributes.api_key })).statusCode, 200, 'the api key still works');
  await crashed.close();

  // a clean close compacts: the JSON file is the whole state, the log is gone
  t.notOk(existsSync(`${db}.log`), 'no log after a clean close');
  const json = readFileSync(db, 'utf8');
  t.match(json, id);
  t.notMatch(json, attributes.api_key, 'no api key in clear in the data file');
  const doc = JSON.parse(json);
  t.equal(doc.schemaVersion, 2);
  t.type(doc.logSeq, 'number');
  const again = await open(t, db);
  t.equal((await get(again, id)).json().data.attributes.name, 'keeps-renamed');
  t.ok((await names(again)).includes('keeps-renamed'));
});

t.test('concurrent same-name creates: exactly one 201, the rest 409', async (t) => {
  const db = fresh();
  const app = await open(t, db);
  const results = await Promise.all(Array.from({ length: 20 }, () => create(app, 'same-name')));
  const codes = results.map((r) => r.statusCode).sort();
  t.same(codes, [201, ...Array(19).fill(409)]);
  for (const r of results.filter((r) => r.statusCode === 409)) t.same(errorDocumentErrors(r.json()), []);
  await app.close();
  const again = await open(t, db);
  t.equal((await names(again)).filter((n) => n === 'same-name').length, 1, 'one after restart');
});

/** A file system whose log appends fail while `failing` is set (after writing part of the data). */
function faulty(mode: 'partial' | 'after-write') {
  const ctl = { failing: false, failures: 0 };
  const fs: FileSystem = {
    ...nodeFileSystem,
    async openAppend(path) {
      const f = await nodeFileSystem.openAppend(path);
      const wrapped: AppendFile = {
        async append(data) {
          if (!ctl.failing) return f.append(data);
          ctl.failures++;
          // a write that got (part of) its data into the file, then failed: EIO from fsync, ENOSPC
          await f.append(mode === 'partial' ? data.subarray(0, data.length >> 1) : data);
          throw Object.assign(new Error('EIO: i/o error, injected'), { code: 'EIO' });
        },
        truncate: (n) => f.truncate(n),
        close: () => f.close(),
      };
      return wrapped;
    },
  };
  return { fs, ctl };
}

for (const mode of ['partial', 'after-write'] as const) {
  t.test(`a failing flush (${mode}): 5xx, nothing left behind, and the server recovers`, async (t) => {
    const db = fresh();
    const { fs, ctl } = faulty(mode);
    const app = await open(t, db, { fs });
    t.equal((await create(app, 'before-fault')).statusCode, 201);

    ctl.failing = true;
    const failed = await Promise.all([create(app, 'during-fault-1'), create(app, 'during-fault-2')]);
    for (const res of failed) {
      t.equal(res.statusCode, 500);
      t.same(errorDocumentErrors(res.json()), [], 'an ErrorDocument');
      t.notOk(res.json().data, 'no account in the answer');
    }
    t.ok(ctl.failures > 0);
    t.notOk(
      (await names(app)).some((n) => n.startsWith('during-fault')),
      'rolled back in memory',
    );
    // the name is free again
    ctl.failing = false;
    const after = await create(app, 'during-fault-1');
    t.equal(after.statusCode, 201, 'works again once the fault clears');

    await abandon(app); // crash: only the log tells
    const again = await open(t, db);
    const list = await names(again);
    t.ok(list.includes('before-fault') && list.includes('during-fault-1'));
    t.notOk(list.includes('during-fault-2'), 'the failed create is not there after restart');
    t.equal(list.filter((n) => n === 'during-fault-1').length, 1);
  });
}

t.test('the log header cannot be written: 5xx until it can', async (t) => {
  const db = fresh();
  const { fs, ctl } = faulty('partial');
  const app = await open(t, db, { fs });
  ctl.failing = true; // the first append of this store is the log header
  t.equal((await create(app, 'no-header')).statusCode, 500);
  ctl.failing = false;
  t.equal((await create(app, 'with-header')).statusCode, 201);
  await abandon(app);
  const again = await open(t, db);
  const list = await names(again);
  t.ok(list.includes('with-header'));
  t.notOk(list.includes('no-header'));
});

/** Starts on `db` expecting a refusal that names `file`; returns the message. */
async function refused(t: Tap & { rejects: (p: Promise<unknown>, m: object, msg?: string) => Promise<void> }, db: string, file: string, why: RegExp) {
  await t.rejects(build(testSettings({ store: 'file', db }), { logger: false }), { name: 'CorruptStoreError', message: why });
  await t.rejects(build(testSettings({ store: 'file', db }), { logger: false }), {
    message: new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used.*SNYK_MOCK_ON_CORRUPT=reseed`),
  });
}

/** A store with one account created and the process "crashed": JSON file + log on disk. */
async function crashedStore(t: Tap): Promise<{ db: string; id: string }> {
  const db = fresh();
  const app = await open(t, db);
  const id = (await create(app, 'in-the-log')).json().data.id;
  await create(app, 'in-the-log-2');
  await abandon(app);
  return { db, id };
}

t.test('unusable data files refuse the start, naming the file, and are left untouched', async (t) => {
  const cases: [string, (db: string) => void, RegExp][] = [
    ['corrupt', (db) => writeFileSync(db, '{"schemaVersion":1,"groups":[}'), /not valid JSON/],
    ['truncated', (db) => truncateSync(db, Math.floor(statSync(db).size / 2)), /not valid JSON.*perhaps truncated/],
    ['empty', (db) => writeFileSync(db, ''), /it is empty/],
    [
      'unknown schemaVersion',
      (db) => writeFileSync(db, JSON.stringify({ ...JSON.parse(readFileSync(db, 'utf8')), schemaVersion: 99 })),
      /schemaVersion is 99.*reads schemaVersion 1 to 2/,
    ],
    [
      'not the store schema',
      (db) => writeFileSync(db, JSON.stringify({ ...JSON.parse(readFileSync(db, 'utf8')), service_accounts: [{ id: 'x' }] })),
      /does not match the store schema/,
    ],
  ];
  for (const [name, damage, why] of cases) {
    await t.test(name, async (t) => {
      const db = fresh();
      await (await open(t, db)).close();
      damage(db);
      const before = readFileSync(db);
      await refused(t as never, db, db, why);
      t.same(readFileSync(db), before, 'the file is not modified');
    });
  }
});

t.test('the change log: torn tail discarded, damage in the middle or an unknown version refused', async (t) => {
  await t.test('torn last record (a crash mid-append) is discarded, not fatal', async (t) => {
    const { db, id } = await crashedStore(t);
    const log = `${db}.log`;
    const good = statSync(log).size;
    const torn = encodeLine([{ op: 'put', coll: 'groups', value: { id: 'torn', name: 'never acknowledged' } }]);
    appendFileSync(log, torn.subarray(0, torn.length - 7));
    const app = await open(t, db);
    t.equal((await get(app, id)).statusCode, 200, 'the acknowledged writes are there');
    t.notOk(app.store.state.get('groups', 'torn'), 'the torn record is not');
    t.equal((await create(app, 'after-torn')).statusCode, 201);
    await abandon(app);
    t.ok(statSync(log).size > good, 'appends continue after the cut');
    const again = await open(t, db);
    t.ok((await names(again)).includes('after-torn'), 'a record appended after the cut is replayed');
  });

  await t.test('a complete last line with a bad checksum (unsynced tail) is discarded too', async (t) => {
    const { db, id } = await crashedStore(t);
    appendFileSync(`${db}.log`, '00000000 [{"op":"del","coll":"service_accounts","id":"x"}]\n\0\0\0\0');
    const app = await open(t, db);
    t.equal((await get(app, id)).statusCode, 200);
  });

  await t.test('garbage in the middle of the log refuses the start', async (t) => {
    const { db } = await crashedStore(t);
    const log = `${db}.log`;
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[1] = lines[1].replace('in-the-log', 'in-the-lag'); // checksum no longer matches
    writeFileSync(log, lines.join('\n'));
    const before = readFileSync(log);
    await refused(t as never, db, log, /line 2 .*damaged but line 3 after it is intact/);
    t.same(readFileSync(log), before, 'the log is not modified');
  });

  await t.test('an unknown schemaVersion in the log header refuses the start', async (t) => {
    const { db } = await crashedStore(t);
    const log = `${db}.log`;
    const lines = readFileSync(log, 'utf8').split('\n');
    const header = JSON.parse(lines[0].slice(9));
    lines[0] = encodeLine({ ...header, schemaVersion: 7 })
      .toString('utf8')
      .trimEnd();
    writeFileSync(log, lines.join('\n'));
    await refused(t as never, db, log, /schemaVersion is 7.*reads schemaVersion 1 to 2/);
  });

  await t.test('a log newer than its data file refuses the start', async (t) => {
    const { db } = await crashedStore(t);
    const doc = JSON.parse(readFileSync(db, 'utf8'));
    writeFileSync(db, JSON.stringify({ ...doc, logSeq: doc.logSeq - 1 }));
    await refused(t as never, db, `${db}.log`, /continues a newer data file/);
  });
});

t.test('SNYK_MOCK_ON_CORRUPT=reseed moves the data file and its log aside and starts from the seed', async (t) => {
  const { db } = await crashedStore(t);
  writeFileSync(db, '{ truncated');
  const app = await open(t, db, { onCorrupt: 'reseed' });
  t.equal((await get(app, IDS.sa.frontendCi)).statusCode, 200, 'seeded');
  t.notOk((await names(app)).includes('in-the-log'), 'the old log is not replayed onto the seed');
  const dir = join(db, '..');
  const aside = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
  t.equal(aside.length, 2, 'both files moved aside');
  t.ok(aside.some((f) => /^db\.json\.corrupt-/.test(f)) && aside.some((f) => /^db\.json\.log\.corrupt-/.test(f)));
  t.equal(readFileSync(join(dir, aside.find((f) => f.startsWith('db.json.corrupt-'))!), 'utf8'), '{ truncated', 'the original is kept as it was');
  t.equal((await create(app, 'after-reseed')).statusCode, 201);
  await app.close();
  const again = await open(t, db);
  t.ok((await names(again)).includes('after-reseed'));
});

t.test('reseed also covers a damaged log', async (t) => {
  const { db } = await crashedStore(t);
  const log = `${db}.log`;
  const lines = readFileSync(log, 'utf8').split('\n');
  lines[1] = 'garbage';
  writeFileSync(log, lines.join('\n'));
  const app = await open(t, db, { onCorrupt: 'reseed' });
  t.notOk((await names(app)).includes('in-the-log'));
  t.ok(readdirSync(join(db, '..')).some((f) => f.startsWith('db.json.log.corrupt-')));
});

t.test('a reset that cannot be written: 500, and the data as it was', async (t) => {
  const db = fresh();
  let failing = false;
  const fs: FileSystem = {
    ...nodeFileSystem,
    async writeFileDurably(path, text) {
      if (failing) throw Object.assign(new Error('ENOSPC: no space left on device, injected'), { code: 'ENOSPC' });
      return nodeFileSystem.writeFileDurably(path, text);
    },
  };
  const app = await open(t, db, { fs });
  const made = (await create(app, 'before-reset')).json().data.id;
  failing = true;
  const reset = await app.inject({ method: 'POST', url: '/__admin/reset' });
  t.equal(reset.statusCode, 500);
  t.match(reset.json(), { errors: [{ status: '500' }] });
  t.equal((await get(app, made)).statusCode, 200, 'the account made before it is still there');
  failing = false;
  t.equal((await create(app, 'after-reset')).statusCode, 201, 'writes go on');
  await abandon(app);
  const again = await open(t, db);
  t.same((await names(again)).filter((n) => n.endsWith('-reset')).sort(), ['after-reset', 'before-reset'], 'and so after a restart');
});
