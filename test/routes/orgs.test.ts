// listOrgs, getOrg and listOrgsInGroup through HTTP: who sees which org (the permissions table),
// every filter, expand, pagination by name forwards and back, each operation's own releases, and
// 401/404. Every REST response is checked against the official spec (Ajv).
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { adminPost, buildApp, call, IDS, TOKENS, V } from '../helper.js';
import { specErrors } from '../support/spec.js';
import { specError as error, specOk as ok } from '../support/expect.js';

type OrgData = { id: string; type: string; attributes: Record<string, unknown> & { name: string; slug: string }; relationships?: Record<string, unknown> };
type ListBody = { data: OrgData[]; links: Record<string, string> };

const names = (body: ListBody) => body.data.map((d) => d.attributes.name);
const list = (app: FastifyInstance, query = '', token?: string) => call(app, { url: `/rest/orgs?version=${V}${query}`, token });

t.test('listOrgs: the orgs the caller may read, alphabetically', async (t) => {
  const app = await buildApp(t);
  const admin = ok(t, await list(app), '/orgs') as ListBody;
  t.same(names(admin), ['acme-backend', 'acme-frontend'], 'a Group Admin sees its group’s orgs, not another group’s');
  t.match(admin.data[1], {
    id: IDS.frontend,
    type: 'org',
    attributes: {
      name: 'acme-frontend',
      slug: 'acme-frontend',
      is_personal: false,
      group_id: IDS.acmeGroup,
      access_requests_enabled: false,
      created_at: '2024-03-01T10:00:00.000Z',
      updated_at: '2024-03-01T10:00:00.000Z',
    },
  });
  t.notOk(admin.data[0].relationships, 'relationships only when expanded');
  t.same(names(ok(t, await list(app, '', TOKENS.viewer), '/orgs')), ['acme-backend', 'acme-frontend'], 'Group Viewer: every org of the group');
  t.same(
    names(ok(t, await list(app, '', TOKENS.collaborator), '/orgs')),
    ['acme-frontend'],
    'Org Collaborator: its org (no service-account permission needed)',
  );
  t.same(names(ok(t, await list(app, '', TOKENS.frontendCi), '/orgs')), ['acme-frontend'], 'an org service account: its own org');
  t.same(names(ok(t, await list(app, '', TOKENS.frontendCollaborator), '/orgs')), ['acme-frontend'], 'an Org Collaborator service account too');
  t.same(names(ok(t, await list(app, '', TOKENS.groupViewerBot), '/orgs')), ['acme-backend', 'acme-frontend'], 'a group service account: its group’s orgs');
  error(t, await call(app, { url: `/rest/orgs?version=${V}`, token: '00000000-0000-4000-8000-000000000000' }), '/orgs', 401);
});

t.test('listOrgs filters: group_id, is_personal, slug, name, expand', async (t) => {
  const app = await buildApp(t);
  // a personal org (no group) the admin holds a role in, and one with a slug of its own
  const personal = (await adminPost(app, 'orgs', { name: 'Admin’s Sandbox' })).json();
  t.match(personal, { slug: 'admin-s-sandbox', is_personal: true });
  t.equal((await adminPost(app, 'grants', { user_id: IDS.users.admin, role_id: IDS.roles.orgAuditor, org_id: personal.id })).statusCode, 201);
  const custom = (await adminPost(app, 'orgs', { name: 'Acme Mobile', slug: 'mobile.app', group_id: IDS.acmeGroup })).json();
  t.equal(custom.slug, 'mobile.app');

  const q = async (query: string) => names(ok(t, await list(app, query), '/orgs'));
  t.same(await q(''), ['Acme Mobile', 'acme-backend', 'acme-frontend', 'Admin’s Sandbox'], 'alphabetical, case-insensitive (" " sorts before "-")');
  t.same(await q(`&group_id=${IDS.acmeGroup}`), ['Acme Mobile', 'acme-backend', 'acme-frontend']);
  t.same(await q(`&group_id=${IDS.otherGroup}`), [], 'a group the caller cannot see: no orgs, not a 404');
  t.same(await q('&is_personal=true'), ['Admin’s Sandbox'], 'is_personal=true: orgs outside any group');
  t.same(await q('&is_personal=false'), ['Acme Mobile', 'acme-backend', 'acme-frontend'], 'is_personal=false: orgs in a group');
  t.same(await q('&slug=mobile.app'), ['Acme Mobile'], 'slug: exact');
  t.same(await q('&slug=mobile'), [], 'slug: not a substring');
  t.same(await q('&slug=ACME-FRONTEND'), [], 'slug: case-sensitive');
  t.same(await q('&name=FRONT'), ['acme-frontend'], 'name: a case-insensitive substring');
  t.same(await q('&name=acme'), ['Acme Mobile', 'acme-backend', 'acme-frontend']);
  t.same(await q(`&name=acme&group_id=${IDS.acmeGroup}&is_personal=false&slug=acme-backend`), ['acme-backend'], 'filters combine');

  // expand=member_role: the caller's own role in the org, with its name
  const plain = ok(t, await list(app, '&name=sandbox'), '/orgs') as ListBody;
  t.notOk(plain.data[0].relationships);
  const expanded = ok(t, await list(app, '&expand=member_role'), '/orgs') as ListBody;
  const sandbox = expanded.data.find((d) => d.id === personal.id)!;
  t.same(sandbox.relationships, { member_role: { data: { type: 'org_role', id: IDS.roles.orgAuditor, attributes: { name: 'Org Auditor' } } } });
  t.notOk(expanded.data.find((d) => d.id === IDS.frontend)!.relationships, 'no member role where the access comes from a group role');
  const collab = ok(t, await list(app, '&expand=member_role', TOKENS.collaborator), '/orgs') as ListBody;
  t.match(collab.data[0].relationships, { member_role: { data: { id: IDS.roles.orgCollaborator, attributes: { name: 'Org Collaborator' } } } });
  t.match(expanded.links.self, /expand=member_role/, 'links repeat expand');

  for (const [query, parameter] of [
    ['&expand=tenant', 'expand'],
    ['&is_personal=maybe', 'is_personal'],
    ['&group_id=nope', 'group_id'],
    ['&slug=a%20b', 'slug'],
    [`&name=${'x'.repeat(101)}`, 'name'],
    ['&unknown=1', 'unknown'],
  ]) {
    error(t, await list(app, query), '/orgs', 400, { parameter });
  }
});

t.test('getOrg: one org, expand=tenant, no access_requests_enabled; 404 where the caller cannot read', async (t) => {
  const app = await buildApp(t);
  const tpl = '/orgs/{org_id}';
  const get = (id: string, query = '', token?: string) => call(app, { url: `/rest/orgs/${id}?version=${V}${query}`, token });
  const body = ok(t, await get(IDS.frontend), tpl);
  t.same(body.data, {
    id: IDS.frontend,
    type: 'org',
    attributes: {
      name: 'acme-frontend',
      slug: 'acme-frontend',
      is_personal: false,
      group_id: IDS.acmeGroup,
      created_at: '2024-03-01T10:00:00.000Z',
      updated_at: '2024-03-01T10:00:00.000Z',
    },
  });
  t.equal(body.links.self, `/orgs/${IDS.frontend}?version=${V}`);
  // the spec's getOrg schema forbids the member the lists carry: the validator must see that
  t.not(specErrors('GET', tpl, 200, { ...body, data: { ...body.data, attributes: { ...body.data.attributes, access_requests_enabled: false } } }).length, 0);

  t.same(ok(t, await get(IDS.frontend, '&expand=tenant'), tpl).data.relationships, { tenant: { data: { id: IDS.tenant, type: 'tenant' } } });
  const personal = (await adminPost(app, 'orgs', { name: 'solo' })).json();
  await adminPost(app, 'grants', { user_id: IDS.users.admin, role: 'Org Admin', org_id: personal.id });
  const solo = ok(t, await get(personal.id, '&expand=tenant'), tpl);
  t.match(solo.data.attributes, { is_personal: true });
  t.notOk(solo.data.attributes.group_id);
  t.notOk(solo.data.relationships, 'a personal org has no tenant');

  ok(t, await get(IDS.frontend, '', TOKENS.collaborator), tpl);
  ok(t, await get(IDS.backend, '', TOKENS.viewer), tpl);
  error(t, await get(IDS.backend, '', TOKENS.collaborator), tpl, 404, { parameter: 'org_id' });
  error(t, await get(IDS.otherOrg), tpl, 404, { parameter: 'org_id' });
  error(t, await get('00000000-0000-4000-8000-000000000000'), tpl, 404);
  error(t, await get('not-a-uuid'), tpl, 400, { parameter: 'org_id' });
  error(t, await get(IDS.frontend, '&expand=member_role'), tpl, 400, { parameter: 'expand' });
  error(t, await call(app, { url: `/rest/orgs/${IDS.frontend}?version=${V}`, token: 'nope-nope-nope-nope' }), tpl, 401);
  t.equal((await call(app, { method: 'PATCH', url: `/rest/orgs/${IDS.frontend}?version=${V}`, payload: {} })).statusCode, 405, 'updateOrg is not served');
});

t.test('listOrgsInGroup: alphabetical, name and slug filters, 404 for another group', async (t) => {
  const app = await buildApp(t);
  const tpl = '/groups/{group_id}/orgs';
  const get = (group: string, query = '', token?: string) => call(app, { url: `/rest/groups/${group}/orgs?version=${V}${query}`, token });
  t.same(names(ok(t, await get(IDS.acmeGroup), tpl)), ['acme-backend', 'acme-frontend']);
  t.notOk((ok(t, await get(IDS.acmeGroup), tpl) as ListBody).data[0].relationships);
  t.same(names(ok(t, await get(IDS.acmeGroup, '&name=BACK'), tpl)), ['acme-backend'], 'name: case-insensitive substring');
  t.same(names(ok(t, await get(IDS.acmeGroup, '&slug=acme-frontend'), tpl)), ['acme-frontend'], 'slug: exact');
  t.same(names(ok(t, await get(IDS.acmeGroup, '&slug=acme'), tpl)), []);
  t.same(names(ok(t, await get(IDS.acmeGroup, '', TOKENS.viewer), tpl)), ['acme-backend', 'acme-frontend'], 'Group Viewer');
  error(t, await get(IDS.otherGroup), tpl, 404, { parameter: 'group_id' });
  error(t, await get(IDS.acmeGroup, '', TOKENS.collaborator), tpl, 404, undefined);
  error(t, await get(IDS.acmeGroup, '', TOKENS.frontendCi), tpl, 404, undefined);
  error(t, await get(IDS.acmeGroup, '&expand=member_role'), tpl, 400, { parameter: 'expand' });
  error(t, await call(app, { url: `/rest/groups/${IDS.acmeGroup}/orgs?version=${V}`, token: '00000000-0000-4000-8000-000000000000' }), tpl, 401);
});

t.test('pagination by name, forwards and back, stable while orgs are added', async (t) => {
  const app = await buildApp(t);
  // created in an order unlike the alphabetical one, with mixed case
  const made: string[] = [];
  for (let i = 0; i < 23; i++) {
    const name = `${i % 2 ? 'Team' : 'team'}-${String((i * 7) % 23).padStart(2, '0')}`;
    t.equal((await adminPost(app, 'orgs', { name, group_id: IDS.acmeGroup })).statusCode, 201);
    made.push(name);
  }
  const expected = ['acme-backend', 'acme-frontend', ...made].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));

  for (const [tpl, first] of [
    ['/groups/{group_id}/orgs', `/groups/${IDS.acmeGroup}/orgs?version=${V}&limit=10`],
    ['/orgs', `/orgs?version=${V}&limit=10&group_id=${IDS.acmeGroup}`],
  ] as const) {
    const pages: ListBody[] = [];
    let link: string | undefined = first;
    while (link) {
      const page = ok(t, await call(app, { url: `/rest${link}` }), tpl) as ListBody;
      pages.push(page);
      link = page.links.next;
      if (pages.length === 1) await adminPost(app, 'orgs', { name: 'zz-added-while-paging', group_id: IDS.acmeGroup });
    }
    t.equal(pages.length, 3, `${tpl}: three pages of 10`);
    t.same(
      pages.flatMap(names),
      [...expected, 'zz-added-while-paging'],
      `${tpl}: every org once, alphabetically (case-insensitive), one added meanwhile included`,
    );
    t.match(pages[1].links.next, /starting_after=v1\./);
    t.ok(pages[0].links.first && pages[0].links.self && !pages[0].links.prev);
    if (tpl === '/orgs') t.match(pages[1].links.next, new RegExp(`&group_id=${IDS.acmeGroup}&starting_after=`), 'the filter is carried by the links');
    // back from the last page
    const back = ok(t, await call(app, { url: `/rest${pages[2].links.prev}` }), tpl) as ListBody;
    t.same(names(back), names(pages[1]), `${tpl}: prev of the last page is the middle page`);
    const front = ok(t, await call(app, { url: `/rest${back.links.prev}` }), tpl) as ListBody;
    t.same(names(front), names(pages[0]));
    t.notOk(front.links.prev, 'no prev on the first page');
    await app.inject({ method: 'POST', url: '/__admin/reset' });
    for (const name of made) await adminPost(app, 'orgs', { name, group_id: IDS.acmeGroup });
  }
  const bad = await call(app, { url: `/rest/orgs?version=${V}&starting_after=garbage` });
  error(t, bad, '/orgs', 400, { parameter: 'starting_after' });
});

t.test('each operation resolves against its own releases', async (t) => {
  const app = await buildApp(t);
  const cases: [string, string, string, number | string, string?][] = [
    // [template, url, version, served or status, lifecycle stage]
    ['/orgs', '/rest/orgs', V, '2024-02-28', 'ga'],
    ['/orgs', '/rest/orgs', '2024-01-01', '2023-05-29', 'sunset'],
    ['/orgs', '/rest/orgs', '2022-04-06~experimental', '2022-04-06~experimental', 'sunset'],
    ['/orgs', '/rest/orgs', '2022-04-05~experimental', 404],
    ['/orgs', '/rest/orgs', '2023-01-01', 404],
    ['/orgs/{org_id}', `/rest/orgs/${IDS.frontend}`, V, '2023-05-29', 'ga'],
    ['/orgs/{org_id}', `/rest/orgs/${IDS.frontend}`, '2023-01-01~beta', '2022-12-15~beta', 'sunset'],
    ['/orgs/{org_id}', `/rest/orgs/${IDS.frontend}`, '2022-04-05~experimental', 404],
    ['/groups/{group_id}/orgs', `/rest/groups/${IDS.acmeGroup}/orgs`, V, '2024-02-28', 'ga'],
    ['/groups/{group_id}/orgs', `/rest/groups/${IDS.acmeGroup}/orgs`, '2023-11-01~experimental', '2023-10-24~experimental', 'sunset'],
    ['/groups/{group_id}/orgs', `/rest/groups/${IDS.acmeGroup}/orgs`, '2023-10-23~experimental', 404],
    ['/groups/{group_id}/orgs', `/rest/groups/${IDS.acmeGroup}/orgs`, '2024-01-01', 404],
    ['/groups/{group_id}/orgs', `/rest/groups/${IDS.acmeGroup}/orgs`, '2024-10-15~beta', 404],
  ];
  for (const [tpl, url, version, expected, stage] of cases) {
    const res = await call(app, { url: `${url}?version=${encodeURIComponent(version)}` });
    if (typeof expected === 'number') {
      error(t, res, tpl, expected, { parameter: 'version' });
      t.notOk(res.headers['snyk-version-served']);
    } else {
      ok(t, res, tpl);
      t.match(
        res.headers,
        { 'snyk-version-requested': version, 'snyk-version-served': expected, 'snyk-version-lifecycle-stage': stage },
        `${url} at ${version}`,
      );
    }
  }
  // listOrgs' 2023-05-29 was superseded by its 2024-02-28; getOrg's 2023-05-29 never was
  const old = await call(app, { url: `/rest/orgs?version=2024-01-01` });
  t.match(old.headers, { deprecation: '2024-02-28T00:00:00Z', sunset: '2024-08-27' });
  t.notOk((await call(app, { url: `/rest/orgs/${IDS.frontend}?version=2024-01-01` })).headers.deprecation, 'getOrg 2023-05-29 is current');
});
