// List documents are kept as bytes until an account changes (PageCache keyed on State.saRevision):
// every kind of change shows in the very next request for the same page, and each part of the
// request the document depends on gets its own page.
import t from 'tap';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { nodeFileSystem, type AppendFile, type FileSystem } from '../../src/store/file-system.js';
import { adminPost, buildApp, call, createBody, groupPath, IDS, orgPath, V } from '../helper.js';

const LIST = `${orgPath()}?version=${V}&limit=100`;
type Listed = { data: { id: string; attributes: { name: string } }[]; links: Record<string, string>; meta?: unknown };
const list = async (app: FastifyInstance, url = LIST) => {
  const res = await call(app, { url });
  t.equal(res.statusCode, 200, url);
  return res.json() as Listed;
};
const names = async (app: FastifyInstance, url = LIST) => (await list(app, url)).data.map((d) => d.attributes.name);
const create = (app: FastifyInstance, name: string) =>
  call(app, { method: 'POST', url: `${orgPath()}?version=${V}`, payload: createBody({ name, role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }) });

t.test('a create, a delete and a reset each show in the next request for the same page', async (t) => {
  const app = await buildApp(t);
  const before = await names(app);
  t.same(await names(app), before, 'the same page twice, nothing changed');

  const created = await create(app, 'listed-at-once');
  t.equal(created.statusCode, 201);
  const afterCreate = await names(app);
  t.equal(afterCreate.length, before.length + 1);
  t.ok(afterCreate.includes('listed-at-once'), 'the new account is on the page');

  const id = created.json().data.id as string;
  t.equal((await call(app, { method: 'DELETE', url: `${orgPath(undefined, id)}?version=${V}` })).statusCode, 204);
  t.same(await names(app), before, 'the deleted account is gone from the page');

  t.equal((await create(app, 'gone-after-reset')).statusCode, 201);
  t.ok((await names(app)).includes('gone-after-reset'));
  t.equal((await adminPost(app, 'reset', {})).statusCode, 200);
  t.same(await names(app), before, 'a reset (a new state) is seen too');
});

t.test('a new state seeded before any change is seen too (revisions are never reused)', async (t) => {
  // the default fixtures without two of the org's accounts: same org, same tokens, another page
  const fixtures = JSON.parse(readFileSync(new URL('../../fixtures/default.json', import.meta.url), 'utf8'));
  const dropped = new Set<string>([IDS.sa.frontendCi, IDS.sa.frontendDeployer]);
  fixtures.service_accounts = fixtures.service_accounts.filter((sa: { id: string }) => !dropped.has(sa.id));
  const app = await buildApp(t);
  const seeded = await names(app);
  t.equal((await adminPost(app, 'seed', fixtures)).statusCode, 200);
  const expected = await names(await buildApp(t, { fixtures }));
  t.equal(expected.length, seeded.length - 2, 'the two seeds list differently');
  t.same(await names(app), expected, 'the page of the new state');
});

t.test('each page, version, level and owner is a page of its own', async (t) => {
  const app = await buildApp(t);
  for (let i = 0; i < 16; i++) t.equal((await create(app, `filler-${String(i).padStart(2, '0')}`)).statusCode, 201);
  const first = await list(app, `${orgPath()}?version=${V}&limit=10`);
  t.equal(first.data.length, 10);
  t.ok(first.links.next, 'more than one page');
  const second = await list(
    app,
    `${orgPath()}?version=${V}&limit=10&starting_after=${encodeURIComponent(new URL(first.links.next, 'http://x').searchParams.get('starting_after')!)}`,
  );
  t.notSame(
    second.data.map((d) => d.id),
    first.data.map((d) => d.id),
    'the next page is not the first one again',
  );
  t.notOk(
    second.data.some((d) => first.data.some((f) => f.id === d.id)),
    'and shares no account with it',
  );

  const withLimit20 = await list(app, `${orgPath()}?version=${V}&limit=20`);
  t.equal(withLimit20.data.length, 20, 'another limit, another page');

  const other = await list(app, `${orgPath()}?version=2024-05-14&limit=10`);
  t.match(other.links.self, /version=2024-05-14/, 'the links name the version asked for');
  t.match(first.links.self, new RegExp(`version=${V}`));

  const group = await list(app, `${groupPath()}?version=${V}&limit=10`);
  t.ok(group.meta, 'the group list carries meta');
  t.notOk(first.meta, 'the org list does not');
  t.notSame(
    group.data.map((d) => d.id),
    first.data.map((d) => d.id),
  );

  const backend = await list(app, `${orgPath(IDS.backend)}?version=${V}&limit=10`);
  t.notOk(
    backend.data.some((d) => first.data.some((f) => f.id === d.id)),
    'another org: none of the first org accounts',
  );
});

t.test('an empty cursor is a 400 even when the page without a cursor is kept', async (t) => {
  const app = await buildApp(t);
  await list(app, `${orgPath()}?version=${V}&limit=10`);
  const res = await call(app, { url: `${orgPath()}?version=${V}&limit=10&starting_after=` });
  t.equal(res.statusCode, 400);
  t.equal(res.json().errors[0].source.parameter, 'starting_after');
});

t.test('a write rolled back by a failed flush leaves the page it was listed on', async (t) => {
  // the log append of the chosen flush waits until released, then fails
  let entered!: () => void;
  const appending = new Promise<void>((resolve) => (entered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const ctl = { fail: false };
  const fs: FileSystem = {
    ...nodeFileSystem,
    async openAppend(path) {
      const f = await nodeFileSystem.openAppend(path);
      const wrapped: AppendFile = {
        async append(data) {
          if (!ctl.fail) return f.append(data);
          entered();
          await released;
          throw Object.assign(new Error('EIO: i/o error, injected'), { code: 'EIO' });
        },
        truncate: (n) => f.truncate(n),
        close: () => f.close(),
      };
      return wrapped;
    },
  };
  const db = join(mkdtempSync(join(tmpdir(), 'snyk-mock-pages-')), 'db.json');
  const app = await buildApp(t, { settings: { store: 'file', db }, fs });
  const before = await names(app);

  ctl.fail = true;
  const pending = create(app, 'rolled-back');
  await appending;
  t.ok((await names(app)).includes('rolled-back'), 'applied, not yet durable: listed (and the page kept)');
  release();
  t.equal((await pending).statusCode, 500);
  ctl.fail = false;
  t.same(await names(app), before, 'after the rollback the page no longer lists it');
});
