// Fixtures forgive what they can: a user's `email` and `username` may be left out, and come from the
// name by the one rule the admin API uses too (records.ts userRecord). A fixtures error found while
// seeding (a dangling role) names the file it is in, as the schema errors always did.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../src/app.js';
import { adminPost, auth, buildApp, IDS, testSettings, V } from '../helper.js';

const ORG = '0e000000-0000-4000-8000-000000000001';
const user = (id: string, name: string, token: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  token,
  roles: [{ role_id: IDS.roles.orgAdmin, org_id: ORG }],
  ...extra,
});
const fixtures = (users: unknown[]) => ({ orgs: [{ id: ORG, name: 'Leniency' }], users });

const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-seed-users-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, doc: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(doc));
  return path;
};

const self = async (app: Awaited<ReturnType<typeof buildApp>>, token: string) => {
  const res = await app.inject({ url: `/rest/self?version=${V}`, headers: auth(token) });
  return { status: res.statusCode, attributes: (res.json() as { data?: { attributes: Record<string, string> } }).data?.attributes };
};

t.test('a fixtures file: a user without email and username gets both from the name', async (t) => {
  const path = file(
    'lenient.json',
    fixtures([
      user('0e000000-0000-4000-8000-0000000000a1', 'José Núñez', 'tok-derived-0001'),
      user('0e000000-0000-4000-8000-0000000000a2', 'Given', 'tok-given-00002', { email: 'g@corp.example', username: 'given-name' }),
      user('0e000000-0000-4000-8000-0000000000a3', '***', 'tok-symbols-003'),
    ]),
  );
  const app = await buildApp(t, { settings: { fixtures: path } });
  t.match(await self(app, 'tok-derived-0001'), {
    status: 200,
    attributes: { name: 'José Núñez', username: 'jose-nunez', email: 'jose-nunez@snyk-mock.example' },
  });
  t.match(await self(app, 'tok-given-00002'), { status: 200, attributes: { username: 'given-name', email: 'g@corp.example' } }, 'given values are kept');
  t.match(
    await self(app, 'tok-symbols-003'),
    { status: 200, attributes: { username: 'user-0e000000', email: 'user-0e000000@snyk-mock.example' } },
    'a name with nothing to keep: from the id',
  );

  // POST /__admin/users: the same rule
  const created = await adminPost(app, 'users', { name: 'José Núñez' });
  t.equal(created.statusCode, 201, created.body);
  t.match(created.json(), { username: 'jose-nunez', email: 'jose-nunez@snyk-mock.example' }, 'the admin API derives the same');
  const symbols = await adminPost(app, 'users', { name: '***', id: '0e000000-0000-4000-8000-0000000000b1' });
  t.match(symbols.json(), { username: 'user-0e000000' });

  // POST /__admin/seed with the same kind of document
  const seeded = await adminPost(app, 'seed', fixtures([user('0e000000-0000-4000-8000-0000000000c1', 'Seed Person', 'tok-seeded-00001')]));
  t.equal(seeded.statusCode, 200, seeded.body);
  t.match(await self(app, 'tok-seeded-00001'), { status: 200, attributes: { username: 'seed-person', email: 'seed-person@snyk-mock.example' } });
});

t.test('a fixtures error found while seeding names the file', async (t) => {
  const missingRole = '0e000000-0000-4000-8000-00000000dead';
  const path = file(
    'dangling-role.json',
    fixtures([{ ...user('0e000000-0000-4000-8000-0000000000d1', 'Dangling', 'tok-dangling-001'), roles: [{ role_id: missingRole, org_id: ORG }] }]),
  );
  await t.rejects(build(testSettings({ fixtures: path }), { logger: false }), {
    name: 'FixtureError',
    message: `invalid fixtures (${path}): /users/0/roles/0/role_id: `,
  });
  const account = file('dangling-account.json', {
    ...fixtures([]),
    service_accounts: [{ id: '0e000000-0000-4000-8000-0000000000e1', name: 'x', level: 'Org', org_id: ORG, role_id: missingRole, auth_type: 'api_key' }],
  });
  await t.rejects(build(testSettings({ fixtures: account }), { logger: false }), {
    message: `invalid fixtures (${account}): /service_accounts/0/role_id: no Org role ${missingRole}`,
  });

  // the admin seed: the request body is the source
  const app = await buildApp(t);
  const res = await adminPost(
    app,
    'seed',
    fixtures([{ ...user('0e000000-0000-4000-8000-0000000000d2', 'Dangling', 'tok-dangling-002'), roles: [{ role_id: missingRole, org_id: ORG }] }]),
  );
  t.equal(res.statusCode, 400, res.body);
  t.match(res.body, '/users/0/roles/0/role_id');
});
