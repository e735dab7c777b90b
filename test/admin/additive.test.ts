// Additive admin routes: each parallel test worker makes its own group, org, user and grants in a
// shared server, and works there without resetting anyone else's data.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildApp, call, createBody, IDS, TOKENS } from '../helper.js';

const V = '2024-10-15';
const post = (app: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/__admin/${url}`, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

t.test('a worker builds its own group, org and user, and uses them through the API', async (t) => {
  const app = await buildApp(t);
  const group = await post(app, 'groups', { name: 'worker-1' });
  t.equal(group.statusCode, 201, group.body);
  t.match(group.headers['content-type'], /^application\/json/);
  const g = group.json() as { id: string; name: string };
  t.match(g, { id: /^[0-9a-f-]{36}$/, name: 'worker-1' });

  const org = await post(app, 'orgs', { name: 'worker-1-org', group_id: g.id });
  t.equal(org.statusCode, 201, org.body);
  const o = org.json() as { id: string; group_id: string };
  t.equal(o.group_id, g.id);

  const user = await post(app, 'users', { name: 'Worker One', roles: [{ role: 'Group Admin', group_id: g.id }] });
  t.equal(user.statusCode, 201, user.body);
  const u = user.json() as { id: string; token: string; username: string; email: string; roles: { level: string; scope_id: string }[] };
  t.match(u, { username: 'worker-one', email: 'worker-one@snyk-mock.example', roles: [{ level: 'Group', scope_id: g.id }] });
  t.match(u.token, /^[0-9a-f-]{36}$/, 'the token, returned once');
  const state = await app.inject({ url: '/__admin/state' });
  t.notOk(state.body.includes(u.token), 'the token is stored as a digest only');

  // the new user administers its own group (and its orgs) and nothing else
  const created = await call(app, {
    method: 'POST',
    url: `/rest/orgs/${o.id}/service_accounts?version=${V}`,
    token: u.token,
    payload: createBody({ name: 'worker-ci', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201, created.body);
  const groupList = await call(app, { url: `/rest/groups/${g.id}/service_accounts?version=${V}`, token: u.token });
  t.equal(groupList.statusCode, 200);
  t.equal((await call(app, { url: `/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, token: u.token })).statusCode, 404, 'not the seeded org');
  const self = await call(app, { url: `/rest/self?version=${V}`, token: u.token });
  t.equal(self.json().data.id, u.id);
});

t.test('grants: by role id or name, replacing the role a user had there', async (t) => {
  const app = await buildApp(t);
  const g = (await post(app, 'groups', { name: 'grants' })).json() as { id: string };
  const o = (await post(app, 'orgs', { name: 'grants-org', group_id: g.id })).json() as { id: string };
  const u = (await post(app, 'users', { name: 'Grace', username: 'grace', email: 'grace@x.example', token: 'grace-token-0123456789' })).json() as {
    id: string;
    token: string;
  };
  t.equal(u.token, 'grace-token-0123456789', 'a token of your choosing');
  t.equal((await call(app, { url: `/rest/orgs/${o.id}/service_accounts?version=${V}`, token: u.token })).statusCode, 404, 'no role yet');

  const viewer = await post(app, 'grants', { user_id: u.id, role_id: IDS.roles.groupViewer, group_id: g.id });
  t.equal(viewer.statusCode, 201, viewer.body);
  t.match(viewer.json(), { user_id: u.id, level: 'Group', scope_id: g.id, role_id: IDS.roles.groupViewer });
  t.equal((await call(app, { url: `/rest/orgs/${o.id}/service_accounts?version=${V}`, token: u.token })).statusCode, 200, 'a group role covers its orgs');
  const denied = await call(app, {
    method: 'POST',
    url: `/rest/orgs/${o.id}/service_accounts?version=${V}`,
    token: u.token,
    payload: createBody({ name: 'x', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(denied.statusCode, 403);

  const upgraded = await post(app, 'grants', { user_id: u.id, role: 'group admin', group_id: g.id });
  t.equal(upgraded.statusCode, 200, 'replaced: 200');
  t.equal(upgraded.json().role_id, IDS.roles.groupAdmin);
  const allowed = await call(app, {
    method: 'POST',
    url: `/rest/orgs/${o.id}/service_accounts?version=${V}`,
    token: u.token,
    payload: createBody({ name: 'x', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(allowed.statusCode, 201);

  const orgGrant = await post(app, 'grants', { user_id: u.id, role: 'Org Collaborator', org_id: IDS.frontend });
  t.equal(orgGrant.statusCode, 201);
  t.equal(orgGrant.json().level, 'Org');
});

t.test('validation and conflicts, with pointers', async (t) => {
  const app = await buildApp(t);
  const cases: [string, unknown, number, string][] = [
    ['groups', {}, 400, '/name'],
    ['groups', { name: 'x', extra: 1 }, 400, '/extra'],
    ['groups', { id: 'nope', name: 'x' }, 400, '/id'],
    ['groups', { id: IDS.acmeGroup, name: 'dup' }, 409, '/id'],
    ['orgs', { name: 'x', group_id: '00000000-0000-4000-8000-000000000000' }, 404, '/group_id'],
    ['orgs', { id: IDS.frontend, name: 'dup' }, 409, '/id'],
    ['orgs', { name: 'x', slug: 'acme-frontend' }, 409, '/slug'],
    ['orgs', { name: 'x', slug: 'not a slug' }, 400, '/slug'],
    ['users', { name: 'x', roles: [{ role: 'Group Admin' }] }, 400, '/roles/0'],
    ['users', { name: 'x', roles: [{ role: 'Group Admin', group_id: IDS.acmeGroup, org_id: IDS.frontend }] }, 400, '/roles/0'],
    ['users', { name: 'x', roles: [{ role: 'Org Admin', group_id: IDS.acmeGroup }] }, 404, '/roles/0/role'],
    ['users', { name: 'x', roles: [{ role_id: IDS.roles.groupAdmin, org_id: IDS.frontend }] }, 404, '/roles/0/role_id'],
    ['users', { name: 'x', token: TOKENS.admin }, 409, '/token'],
    ['users', { id: IDS.users.admin, name: 'dup' }, 409, '/id'],
    ['users', { name: 'x', default_org_id: '00000000-0000-4000-8000-000000000000' }, 404, '/default_org_id'],
    ['grants', { user_id: '00000000-0000-4000-8000-000000000000', role: 'Group Admin', group_id: IDS.acmeGroup }, 404, '/user_id'],
    ['grants', { user_id: IDS.users.viewer, role: 'Group Admin', group_id: '00000000-0000-4000-8000-000000000000' }, 404, '/group_id'],
    ['grants', { user_id: IDS.users.viewer, group_id: IDS.acmeGroup }, 400, '/'],
  ];
  for (const [url, body, status, pointer] of cases) {
    const res = await post(app, url, body);
    t.equal(res.statusCode, status, `${url} ${JSON.stringify(body)}: ${res.body}`);
    t.equal(res.json().errors?.[0]?.source?.pointer, pointer, `${url} ${JSON.stringify(body)}`);
  }
  // a failed user create leaves nothing behind
  const state = (await app.inject({ url: '/__admin/state' })).json();
  t.equal(state.users.length, 3);
});

t.test('parallel workers do not collide', async (t) => {
  const app = await buildApp(t);
  const workers = await Promise.all(
    Array.from({ length: 8 }, async (_, i) => {
      const g = (await post(app, 'groups', { name: `w${i}` })).json() as { id: string };
      const u = (await post(app, 'users', { name: `Worker ${i}`, roles: [{ role: 'Group Admin', group_id: g.id }] })).json() as { token: string };
      const r = await call(app, {
        method: 'POST',
        url: `/rest/groups/${g.id}/service_accounts?version=${V}`,
        token: u.token,
        payload: createBody({ name: 'same-name', role_id: IDS.roles.groupAdmin, auth_type: 'api_key' }),
      });
      return r.statusCode;
    }),
  );
  t.same(workers, Array(8).fill(201), 'the same account name in eight groups');
});
