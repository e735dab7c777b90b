// listGroups and getGroup through HTTP (beta and experimental releases only): the groups the caller
// holds a role in, alphabetically and paged, 401/404, and their version rules. Every REST response is
// checked against the official spec (Ajv).
import t from 'tap';
import { adminPost, buildApp, call, IDS, TOKENS, V } from '../helper.js';
import { specError as error, specOk as ok } from '../support/expect.js';

type ListBody = { data: { id: string; type: string; attributes: { name: string } }[]; links: Record<string, string> };

const names = (b: ListBody) => b.data.map((d) => d.attributes.name);

t.test('listGroups: the groups the caller holds a role in', async (t) => {
  const app = await buildApp(t);
  const list = (token?: string) => call(app, { url: `/rest/groups?version=${V}`, token });
  const admin = ok(t, await list(), '/groups') as ListBody;
  t.same(admin.data, [{ id: IDS.acmeGroup, type: 'group', attributes: { name: 'Acme Group' } }]);
  t.same(admin.links, { first: `/groups?version=${V}&limit=10`, self: `/groups?version=${V}&limit=10` });
  t.same(names(ok(t, await list(TOKENS.viewer), '/groups')), ['Acme Group'], 'Group Viewer');
  t.same(names(ok(t, await list(TOKENS.groupViewerBot), '/groups')), ['Acme Group'], 'a group service account');
  t.same(ok(t, await list(TOKENS.collaborator), '/groups').data, [], 'an org role is no group membership');
  t.same(ok(t, await list(TOKENS.frontendCi), '/groups').data, [], 'nor is an org service account');
  error(t, await list('00000000-0000-4000-8000-000000000000'), '/groups', 401);
  error(t, await call(app, { url: `/rest/groups?version=${V}&name=x` }), '/groups', 400, { parameter: 'name' });
});

t.test('listGroups pages alphabetically, forwards and back', async (t) => {
  const app = await buildApp(t);
  const roles = [{ role: 'Group Viewer', group_id: IDS.acmeGroup }];
  for (let i = 0; i < 14; i++) {
    const g = (await adminPost(app, 'groups', { name: `${i % 2 ? 'G' : 'g'}roup ${String((i * 5) % 14).padStart(2, '0')}` })).json();
    roles.push({ role: 'Group Admin', group_id: g.id });
  }
  const user = (await adminPost(app, 'users', { name: 'Many Groups', roles })).json();
  const first = ok(t, await call(app, { url: `/rest/groups?version=${V}`, token: user.token }), '/groups') as ListBody;
  t.equal(first.data.length, 10);
  const second = ok(t, await call(app, { url: `/rest${first.links.next}`, token: user.token }), '/groups') as ListBody;
  t.equal(second.data.length, 5);
  t.notOk(second.links.next);
  const all = [...names(first), ...names(second)];
  t.equal(all[0], 'Acme Group');
  t.same(
    all,
    [...all].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)),
    'alphabetical, case-insensitive',
  );
  t.equal(new Set(all).size, 15);
  const back = ok(t, await call(app, { url: `/rest${second.links.prev}`, token: user.token }), '/groups') as ListBody;
  t.same(names(back), names(first));
  t.notOk(back.links.prev);
});

t.test('getGroup: the group, its location; 404 for a group the caller has no role in', async (t) => {
  const app = await buildApp(t);
  const tpl = '/groups/{group_id}';
  const get = (id: string, token?: string) => call(app, { url: `/rest/groups/${id}?version=${V}`, token });
  const res = await get(IDS.acmeGroup);
  t.same(ok(t, res, tpl), {
    jsonapi: { version: '1.0' },
    data: { id: IDS.acmeGroup, type: 'group', attributes: { name: 'Acme Group' } },
    links: { self: `/groups/${IDS.acmeGroup}?version=${V}` },
  });
  t.equal(res.headers.location, `http://localhost:80/rest/groups/${IDS.acmeGroup}`, 'the spec lists location on getGroup');
  ok(t, await get(IDS.acmeGroup, TOKENS.viewer), tpl);
  error(t, await get(IDS.otherGroup), tpl, 404, { parameter: 'group_id' });
  error(t, await get(IDS.acmeGroup, TOKENS.collaborator), tpl, 404, { parameter: 'group_id' });
  error(t, await get('00000000-0000-4000-8000-000000000000'), tpl, 404);
  error(t, await get('nope'), tpl, 400, { parameter: 'group_id' });
  error(t, await call(app, { url: `/rest/groups/${IDS.acmeGroup}?version=${V}`, token: 'bad-token-bad-token' }), tpl, 401);
});

t.test('groups: beta and experimental releases only, resolved by the same rules', async (t) => {
  const app = await buildApp(t);
  const cases: [string, string, number | string, string?][] = [
    [`/rest/groups`, V, '2023-01-30~beta', 'beta'],
    [`/rest/groups`, '2024-10-15~beta', 404],
    [`/rest/groups`, '2023-06-01', 404],
    [`/rest/groups`, '2023-06-01~beta', '2023-01-30~beta', 'beta'],
    [`/rest/groups`, '2022-06-01~experimental', '2022-01-31~experimental', 'sunset'],
    [`/rest/groups`, '2022-01-30~experimental', 404],
    [`/rest/groups/${IDS.acmeGroup}`, V, '2023-01-30~beta', 'beta'],
    [`/rest/groups/${IDS.acmeGroup}`, '2024-05-01~experimental', '2024-04-25~experimental', 'experimental'],
    [`/rest/groups/${IDS.acmeGroup}`, '2024-05-01~beta', '2023-01-30~beta', 'beta'],
  ];
  for (const [url, version, expected, stage] of cases) {
    const res = await call(app, { url: `${url}?version=${encodeURIComponent(version)}` });
    if (typeof expected === 'number') t.equal(res.statusCode, expected, `${url} at ${version}`);
    else t.match(res.headers, { 'snyk-version-served': expected, 'snyk-version-lifecycle-stage': stage }, `${url} at ${version}`);
  }
});
