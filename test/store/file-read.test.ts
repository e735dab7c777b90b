// FilePersistence reading the data file: record by record through readChunks (never the whole
// text), and a file that is not read that way parsed whole, so a damaged file is still reported
// with JSON.parse's own message and left as it was.
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptStoreError } from '../../src/store/data-file.js';
import { FilePersistence } from '../../src/store/file-persistence.js';
import { nodeFileSystem, type FileSystem } from '../../src/store/file-system.js';
import { emptyData, type StoreData } from '../../src/schemas/store.js';
import { orgRecord } from '../../src/store/records.js';

const ORG = '48dab934-c18e-4abf-b2b9-067e0fb2f0bf';
const fresh = () => join(mkdtempSync(join(tmpdir(), 'snyk-mock-read-')), 'db.json');

function data(n: number): StoreData {
  const d = emptyData();
  d.orgs.push(orgRecord({ id: ORG, name: 'org ✓' }, () => false));
  for (let i = 0; i < n; i++) {
    d.service_accounts.push({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      level: 'Org',
      owner_id: ORG,
      name: `acct "${i}", ünï}]`,
      auth_type: 'api_key',
      role_id: 'role',
      created_at: '2024-01-01T00:00:00.000Z',
    });
  }
  return d;
}

/** The node file system, counting whole-file reads. */
function counting(): FileSystem & { wholeReads: number } {
  const fs = {
    ...nodeFileSystem,
    wholeReads: 0,
    async readFile(path: string) {
      fs.wholeReads++;
      return nodeFileSystem.readFile(path);
    },
  };
  return fs;
}

t.test('a data file is read record by record, not as one string', async (t) => {
  for (const [name, text] of [
    ['as written', (d: StoreData) => JSON.stringify({ ...d, logSeq: 3 })],
    ['pretty-printed by a person', (d: StoreData) => JSON.stringify({ ...d, logSeq: 3 }, null, 2)],
  ] as const) {
    const db = fresh();
    const d = data(3000);
    writeFileSync(db, text(d));
    const fs = counting();
    const loaded = await new FilePersistence(db, { fs }).load();
    t.equal(fs.wholeReads, 0, `${name}: never read whole`);
    t.same(loaded?.data, d, `${name}: the same data`);
    t.equal(JSON.stringify(loaded?.data), JSON.stringify(d), `${name}: in the same key order (what compaction writes back)`);
  }
});

t.test('a damaged data file is parsed whole: JSON.parse message, the file untouched', async (t) => {
  const whole = JSON.stringify({ ...data(2000), logSeq: 1 });
  const cases: [string, string][] = [
    ['truncated', whole.slice(0, whole.length / 2)],
    ['cut before its last brace', whole.slice(0, -1)],
    ['a bad byte among the records', whole.replace('"name":"acct \\"1000\\"', '"name":}"acct \\"1000\\"')],
    ['empty', ''],
    ['not an object', '[]'],
  ];
  for (const [name, text] of cases) {
    const db = fresh();
    writeFileSync(db, text);
    const fs = counting();
    let reason: string;
    try {
      JSON.parse(text);
      reason = 'it is not a JSON object';
    } catch (err) {
      reason = text === '' ? 'it is empty' : `it is not valid JSON (${(err as Error).message}), perhaps truncated`;
    }
    await t.rejects(new FilePersistence(db, { fs }).load(), new CorruptStoreError(db, reason), name);
    t.equal(fs.wholeReads, 1, `${name}: read whole for the verdict`);
    t.equal(readFileSync(db, 'utf8'), text, `${name}: left as it was`);
  }
});

t.test('a read that fails midway is an unreadable file, not a corrupt one', async (t) => {
  const db = fresh();
  writeFileSync(db, JSON.stringify(data(10)));
  const fs: FileSystem = {
    ...nodeFileSystem,
    async readChunks() {
      return (async function* () {
        yield Buffer.from('{"schemaVersion":2,"groups":[');
        throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      })();
    },
  };
  const err = await new FilePersistence(db, { fs }).load().catch((e: unknown) => e);
  t.notOk(err instanceof CorruptStoreError, 'not moved aside by SNYK_MOCK_ON_CORRUPT=reseed');
  t.match(err, { message: `Cannot read the data file ${db}: EIO: i/o error, read.` });
});

t.test('a missing data file is a first start; a directory is named as such', async (t) => {
  const db = fresh();
  t.equal(await new FilePersistence(db).load(), undefined);
  await t.rejects(new FilePersistence(join(db, '..')).load(), { message: /Cannot read the data file .*EISDIR.*It is a directory/ });
});
