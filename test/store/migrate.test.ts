// Data files written by the previous snyk-mock (schemaVersion 1: orgs without slug, is_personal or
// timestamps; roles without description, custom or timestamps) still open: the JSON file and the
// change log are migrated at load, written back at schemaVersion 2, and served through the API.
import t from 'tap';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../src/app.js';
import { encodeLine, parseLog } from '../../src/store/change-log.js';
import { digest } from '../../src/snyk/credentials.js';
import { adminPost, buildApp, call, IDS, testSettings, V } from '../helper.js';
import { specErrors } from '../support/spec.js';

const GROUP = '11111111-0000-4000-8000-000000000001';
const ORG_A = '11111111-0000-4000-8000-00000000000a';
const ORG_B = '11111111-0000-4000-8000-00000000000b';
const ORG_C = '11111111-0000-4000-8000-00000000000c';
const PERSONAL = '11111111-0000-4000-8000-00000000000d';
const CUSTOM = '11111111-0000-4000-8000-0000000000c1';
const LOGGED_ROLE = '11111111-0000-4000-8000-0000000000c2';
const USER = '11111111-0000-4000-8000-0000000000a1';
const TOKEN = 'old-format-token-0123456789';

/** A data file exactly as snyk-mock wrote it at schemaVersion 1. */
const v1Document = () => ({
  schemaVersion: 1,
  logSeq: 4,
  groups: [{ id: GROUP, name: 'Old Group' }],
  orgs: [
    { id: ORG_A, name: 'Old Org', group_id: GROUP },
    { id: ORG_B, name: 'old org', group_id: GROUP },
    { id: PERSONAL, name: 'Solo' },
  ],
  roles: [
    { id: IDS.roles.groupAdmin, name: 'Group Admin', level: 'Group', actions: ['read', 'create', 'edit', 'delete'] },
    { id: IDS.roles.orgAdmin, name: 'Org Admin', level: 'Org', actions: ['read', 'create', 'edit', 'delete'] },
    { id: CUSTOM, name: 'Old Custom', level: 'Org', actions: ['read'] },
  ],
  users: [{ id: USER, name: 'Old User', email: 'old@example.com', username: 'old' }],
  memberships: [
    { id: `${USER}:Group:${GROUP}`, user_id: USER, level: 'Group', scope_id: GROUP, role_id: IDS.roles.groupAdmin },
    { id: `${USER}:Org:${PERSONAL}`, user_id: USER, level: 'Org', scope_id: PERSONAL, role_id: CUSTOM },
  ],
  service_accounts: [],
  credentials: [{ id: digest(TOKEN), kind: 'user_token', principal_type: 'user', principal_id: USER, created_at: '2025-01-01T00:00:00.000Z' }],
});

/** Its change log, also schemaVersion 1: an org and a role created after the last compaction. */
const v1Log = () =>
  Buffer.concat([
    encodeLine({ snykMockLog: 1, schemaVersion: 1, seq: 4 }),
    encodeLine([{ op: 'put', coll: 'orgs', value: { id: ORG_C, name: 'OLD ORG', group_id: GROUP } }]),
    encodeLine([{ op: 'put', coll: 'roles', value: { id: LOGGED_ROLE, name: 'Logged Role', level: 'Group', actions: [] } }]),
  ]);

t.test('a schemaVersion 1 data file and log open, are migrated, and are written back at 2', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-migrate-'));
  const db = join(dir, 'db.json');
  writeFileSync(db, JSON.stringify(v1Document()));
  writeFileSync(`${db}.log`, v1Log());
  const warnings: string[] = [];
  const app = await build(testSettings({ store: 'file', db, logLevel: 'warn' }), {
    logger: { level: 'warn', stream: { write: (line: string) => void warnings.push(line) } },
  });
  t.teardown(() => app.close());
  t.ok(
    warnings.some((w) => /data file migrated/.test(w) && /"fromSchemaVersion":1/.test(w)),
    'the migration is logged',
  );
  t.equal(JSON.parse(readFileSync(db, 'utf8')).schemaVersion, 1, 'not written before the start succeeds');
  await app.store.started();

  // written back once the start succeeds: the JSON file and a fresh log, both at schemaVersion 2
  const doc = JSON.parse(readFileSync(db, 'utf8'));
  t.equal(doc.schemaVersion, 2);
  t.equal(doc.orgs.length, 4, 'the logged org is in the rewritten file');
  const log = parseLog(readFileSync(`${db}.log`));
  t.equal(log.kind === 'log' && log.header.schemaVersion, 2);
  t.equal(log.kind === 'log' && log.transactions.length, 0);

  // orgs: slugs from the names, unique (file first, then the log), is_personal, default timestamps
  const list = await call(app, { url: `/rest/orgs?version=${V}`, token: TOKEN });
  t.equal(list.statusCode, 200, list.body);
  t.same(specErrors('GET', '/orgs', 200, list.json()), []);
  const bySlug = Object.fromEntries(list.json().data.map((o: { id: string; attributes: { slug: string } }) => [o.id, o.attributes]));
  t.match(bySlug[ORG_A], {
    slug: 'old-org',
    is_personal: false,
    group_id: GROUP,
    access_requests_enabled: false,
    created_at: '2024-01-01T00:00:00.000Z',
    updated_at: '2024-01-01T00:00:00.000Z',
  });
  t.match(bySlug[ORG_B], { slug: 'old-org-2' });
  t.match(bySlug[ORG_C], { slug: 'old-org-3' }, 'the logged org steps around the slugs of the file');
  t.match(bySlug[PERSONAL], { slug: 'solo', is_personal: true });
  t.notOk(bySlug[PERSONAL].group_id);

  // roles: predefined ones get Snyk's description and are not custom; the others are custom
  const roles = (await call(app, { url: `/v1/group/${GROUP}/roles`, token: TOKEN })).json() as {
    publicId: string;
    description: string;
    customRole: boolean;
    created: string;
  }[];
  const role = (id: string) => roles.find((r) => r.publicId === id);
  t.match(role(IDS.roles.orgAdmin), { description: 'Admin', customRole: false, created: '2021-04-22T16:02:53.233Z' });
  t.match(role(CUSTOM), { description: 'Old Custom', customRole: true, created: '2024-01-01T00:00:00.000Z' });
  t.match(role(LOGGED_ROLE), { description: 'Logged Role', customRole: true });

  // and it keeps working: a write lands in the new log, a restart reads it
  const more = await adminPost(app, 'orgs', { name: 'Old Org', group_id: GROUP });
  t.equal(more.json().slug, 'old-org-4');
  await app.close();
  t.notOk(existsSync(`${db}.log`));
  const again = await build(testSettings({ store: 'file', db }), { logger: false });
  t.teardown(() => again.close());
  t.equal((await call(again, { url: `/rest/groups/${GROUP}/orgs?version=${V}&slug=old-org-4`, token: TOKEN })).json().data.length, 1);
});

t.test('a schemaVersion 1 file that does not fit after migration is refused, not rewritten', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-migrate-'));
  const db = join(dir, 'db.json');
  const broken = { ...v1Document(), orgs: [{ id: ORG_A }] };
  writeFileSync(db, JSON.stringify(broken));
  const before = readFileSync(db);
  await t.rejects(build(testSettings({ store: 'file', db }), { logger: false }), /does not match the store schema at \/orgs\/0/);
  t.same(readFileSync(db), before);
});

t.test('POST /__admin/seed takes a state exported by the previous version', async (t) => {
  const app = await buildApp(t);
  const { logSeq: _, ...state } = v1Document();
  const res = await adminPost(app, 'seed', state);
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { source: 'state', counts: { orgs: 3, roles: 3 } });
  const org = await call(app, { url: `/rest/orgs/${ORG_B}?version=${V}`, token: TOKEN });
  t.equal(org.statusCode, 200, org.body);
  t.match(org.json().data.attributes, { slug: 'old-org-2', is_personal: false });
  t.equal((await adminPost(app, 'seed', { ...state, schemaVersion: 3 })).statusCode, 400, 'a newer state is refused');
  const current = (await app.inject({ url: '/__admin/state' })).json();
  current.orgs[1].slug = current.orgs[0].slug;
  const dup = await adminPost(app, 'seed', current);
  t.equal(dup.statusCode, 400);
  t.match(dup.json().errors[0], { detail: /duplicate slug/, source: { pointer: '/orgs/1/slug' } });
});
