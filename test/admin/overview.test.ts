// GET /__admin/overview: the dashboard's one view. The tree with counts, one page of one owner's
// accounts (credential kinds and expiries, live OAuth tokens), users with the demo user marked, and
// never a secret or a digest; paging holds at 10,000 accounts; bad queries are 400/404 documents.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import type { Overview } from '../../src/schemas/overview.js';
import { buildApp, call, createBody, IDS, orgPath, TOKENS, V } from '../helper.js';
import { CLIENTS, TestClock, tokenFor } from '../support/oauth.js';
import { bulkFixtures, bulkName } from '../support/fixtures.js';

const overview = (app: FastifyInstance, query = '', headers: Record<string, string> = {}) => app.inject({ url: `/__admin/overview${query}`, headers });
const view = async (app: FastifyInstance, query = ''): Promise<Overview> => {
  const res = await overview(app, query);
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json();
};

t.test('the tree: groups → orgs with account counts; the first owner with accounts is shown', async (t) => {
  const app = await buildApp(t);
  const res = await overview(app);
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const o: Overview = res.json();
  t.same(o.totals, { groups: 2, orgs: 3, users: 3, service_accounts: 14 });
  t.same(
    o.groups.map((g) => [g.name, g.service_accounts, g.orgs.map((x) => [x.name, x.service_accounts])]),
    [
      [
        'Acme Group',
        5,
        [
          ['acme-frontend', 5],
          ['acme-backend', 3],
        ],
      ],
      ['Other Group', 0, [['other-org', 1]]],
    ],
  );
  t.same(o.orgs, [], 'every seeded org has a group');
  t.same(o.panels, { journal: true, clock: true, faults: true, rate_limit: true, switches: true });
  t.same(
    o.roles.map((r) => `${r.level}:${r.name}`),
    ['Group:Group Admin', 'Group:Group Viewer', 'Org:Org Admin', 'Org:Org Collaborator', 'Org:Org Auditor'],
  );
  t.match(o.selected, { level: 'Group', id: IDS.acmeGroup, name: 'Acme Group', total: 5, offset: 0, limit: 100 });
  t.same(
    o.selected!.accounts.map((a) => [a.name, a.auth_type, a.role.name]),
    [
      ['group-admin-bot', 'api_key', 'Group Admin'],
      ['group-viewer-bot', 'api_key', 'Group Viewer'],
      ['group-oauth', 'oauth_client_secret', 'Group Admin'],
      ['group-signer', 'oauth_private_key_jwt', 'Group Admin'],
      ['group-token', 'access_token', 'Group Viewer'],
    ],
  );
  t.equal(Date.parse(o.now) > 0, true, 'now is the clock, as an ISO date');
});

t.test("an org's accounts: credential kinds and expiries, never a secret", async (t) => {
  const app = await buildApp(t);
  const o = await view(app, `?org_id=${IDS.frontend}`);
  t.match(o.selected, { level: 'Org', id: IDS.frontend, name: 'acme-frontend', total: 5 });
  const byName = new Map(o.selected!.accounts.map((a) => [a.name, a]));
  t.same(
    byName.get('frontend-ci')!.credentials.map((c) => c.kind),
    ['api_key'],
  );
  t.match(byName.get('frontend-deployer'), {
    auth_type: 'oauth_client_secret',
    client_id: CLIENTS.frontendDeployer.id,
    access_token_ttl_seconds: 3600,
    credentials: [{ kind: 'client_secret' }],
    oauth_tokens: { live: 0 },
  });
  t.notOk('soonest_expiry' in byName.get('frontend-deployer')!.oauth_tokens, 'no expiry without a token');
  const token = byName.get('frontend-token')!;
  t.equal(token.credentials.length, 1);
  t.equal(token.credentials[0].kind, 'access_token');
  t.ok(Date.parse(token.credentials[0].expires_at!) > Date.parse(o.now), 'the access token expires in the future');
  t.match(byName.get('frontend-signer'), { auth_type: 'oauth_private_key_jwt', credentials: [] });
  t.same(Object.keys(token).sort(), ['auth_type', 'created_at', 'credentials', 'id', 'level', 'name', 'oauth_tokens', 'role'].sort());

  // the group view of the same owner id is a 404: levels are not mixed up
  t.equal((await overview(app, `?group_id=${IDS.frontend}`)).statusCode, 404);
});

t.test('live OAuth tokens: count and soonest/latest expiry, on the mock clock', async (t) => {
  const clock = new TestClock(Date.parse('2026-01-01T00:00:00Z'));
  const app = await buildApp(t, { clock });
  const { id, secret } = CLIENTS.frontendDeployer;
  await tokenFor(app, id, secret);
  clock.advance(600);
  await tokenFor(app, id, secret);
  const deployer = async () => (await view(app, `?org_id=${IDS.frontend}`)).selected!.accounts.find((a) => a.name === 'frontend-deployer')!;
  t.same((await deployer()).oauth_tokens, { live: 2, soonest_expiry: '2026-01-01T01:00:00.000Z', latest_expiry: '2026-01-01T01:10:00.000Z' });
  clock.advance(3000); // the first token has expired, the second has not
  t.same((await deployer()).oauth_tokens, { live: 1, soonest_expiry: '2026-01-01T01:10:00.000Z', latest_expiry: '2026-01-01T01:10:00.000Z' });
  clock.advance(600);
  t.same((await deployer()).oauth_tokens, { live: 0 });
});

t.test('users and their roles; the demo user is marked, its token is not there', async (t) => {
  const app = await buildApp(t);
  const res = await overview(app);
  const o: Overview = res.json();
  t.same(
    o.users.items.map((u) => [u.name, u.demo, u.roles.map((r) => `${r.role.name} of ${r.scope.name}`)]),
    [
      ['Demo Admin', true, ['Group Admin of Acme Group']],
      ['Demo Viewer', false, ['Group Viewer of Acme Group']],
      ['Demo Collaborator', false, ['Org Collaborator of acme-frontend']],
    ],
  );
  t.match(o.users, { total: 3, offset: 0, limit: 100 });
  t.notOk(res.body.includes(TOKENS.admin), 'no user token');
});

t.test('no secret and no digest, with a positive control', async (t) => {
  const app = await buildApp(t);
  const created = await call(app, {
    method: 'POST',
    url: `${orgPath()}?version=${V}`,
    payload: createBody({ name: 'fresh', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201);
  const minted = created.json().data.attributes.api_key as string;
  const state = (await app.inject({ url: '/__admin/state' })).json() as { credentials: { id: string }[] };
  const digests = state.credentials.map((c) => c.id);
  t.ok(digests.length > 10, `the state has ${digests.length} credential digests`);
  const secrets = [minted, TOKENS.admin, TOKENS.viewer, TOKENS.collaborator, TOKENS.frontendCi, TOKENS.frontendDeployerSecret];
  const leaks = (text: string) => [...secrets, ...digests].filter((s) => text.includes(s));
  // positive control: the same search finds the key in the create response and digests in the state
  t.same(leaks(created.body), [minted]);
  t.equal(leaks(JSON.stringify(state)).length, digests.length);
  for (const q of ['', `?org_id=${IDS.frontend}`, `?org_id=${IDS.backend}`, `?org_id=${IDS.otherOrg}`, `?group_id=${IDS.acmeGroup}`]) {
    t.same(leaks((await overview(app, q)).body), [], `nothing secret in overview${q}`);
  }
});

t.test('paging: 100 accounts at a time, at 10,000 accounts', async (t) => {
  const app = await buildApp(t, { fixtures: bulkFixtures({ accounts: 10_000, users: 150 }) });
  const first = await view(app, `?org_id=${IDS.backend}`);
  t.match(first.selected, { total: 10_003, offset: 0, limit: 100 });
  t.equal(first.selected!.accounts.length, 100, 'one page');
  t.equal(first.totals.service_accounts, 10_014);
  t.equal(first.groups[0].orgs.find((o) => o.id === IDS.backend)!.service_accounts, 10_003);
  t.same(
    first.selected!.accounts.slice(0, 2).map((a) => a.name),
    [bulkName(0), bulkName(1)],
    'oldest first, as the REST list',
  );
  t.equal(first.selected!.accounts[99].name, bulkName(99));

  const last = await view(app, `?org_id=${IDS.backend}&offset=9999`);
  t.same(
    last.selected!.accounts.map((a) => a.name),
    [bulkName(9999), 'backend-ci', 'backend-deployer', 'backend-token'],
    'the seeded accounts are the newest',
  );
  const past = await view(app, `?org_id=${IDS.backend}&offset=20000`);
  t.match(past.selected, { total: 10_003, offset: 20_000, accounts: [] });
  const small = await view(app, `?org_id=${IDS.backend}&offset=103&limit=10`);
  t.same(
    small.selected!.accounts.map((a) => a.name),
    Array.from({ length: 10 }, (_, i) => bulkName(103 + i)),
  );

  t.match(first.users, { total: 153, offset: 0, limit: 100 });
  t.equal(first.users.items.length, 100);
  const users = await view(app, '?users_offset=100');
  t.equal(users.users.items.length, 53);
  t.equal(users.users.items[52].name, 'User 149');
});

t.test('bad queries are ErrorDocuments', async (t) => {
  const app = await buildApp(t);
  const cases: [string, number, Record<string, string>][] = [
    ['?org_id=not-a-uuid', 400, { parameter: 'org_id' }],
    ['?limit=101', 400, { parameter: 'limit' }],
    ['?limit=0', 400, { parameter: 'limit' }],
    ['?offset=-1', 400, { parameter: 'offset' }],
    ['?offset=abc', 400, { parameter: 'offset' }],
    ['?unknown=1', 400, { parameter: 'unknown' }],
    [`?org_id=${IDS.frontend}&group_id=${IDS.acmeGroup}`, 400, { parameter: 'group_id' }],
    ['?org_id=00000000-0000-4000-8000-000000000000', 404, { parameter: 'org_id' }],
    ['?group_id=00000000-0000-4000-8000-000000000000', 404, { parameter: 'group_id' }],
  ];
  for (const [q, status, source] of cases) {
    const res = await overview(app, q);
    t.equal(res.statusCode, status, `${q}: ${res.body.slice(0, 200)}`);
    t.match(res.headers['content-type'], /^application\/vnd\.api\+json/);
    t.match(res.json(), { errors: [{ status: String(status), source }] }, q);
  }
  t.equal((await app.inject({ method: 'POST', url: '/__admin/overview' })).statusCode, 405);
});

t.test('an empty store: no owner to show', async (t) => {
  const app = await buildApp(t, { fixtures: { groups: [], orgs: [], roles: [], users: [], service_accounts: [] } });
  const o = await view(app);
  t.equal(o.selected, null);
  t.same(o.groups, []);
  t.match(o.totals, { groups: 0, service_accounts: 0 });
});

t.test('a store without accounts shows its first owner', async (t) => {
  const fixtures = {
    groups: [{ id: IDS.acmeGroup, name: 'Acme Group' }],
    orgs: [{ id: IDS.frontend, name: 'acme-frontend', group_id: IDS.acmeGroup }],
    roles: [],
    users: [],
    service_accounts: [],
  };
  const app = await buildApp(t, { fixtures });
  const o = await view(app);
  t.match(o.selected, { level: 'Group', id: IDS.acmeGroup, total: 0, accounts: [] });
});

t.test('orgs of no group are listed on their own; an owner with no accounts can be shown', async (t) => {
  const app = await buildApp(t);
  const created = await app.inject({ method: 'POST', url: '/__admin/orgs', headers: { 'content-type': 'application/json' }, payload: { name: 'loose-org' } });
  t.equal(created.statusCode, 201);
  const id = created.json().id as string;
  const o = await view(app, `?org_id=${id}`);
  t.same(o.orgs, [{ id, name: 'loose-org', service_accounts: 0 }]);
  t.match(o.selected, { id, level: 'Org', total: 0, accounts: [] });
});

t.test('the overview needs the admin secret when one is set', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 'let-me-in' } });
  const none = await overview(app);
  t.equal(none.statusCode, 401);
  t.match(none.json(), { errors: [{ status: '401' }] });
  t.equal((await overview(app, '', { authorization: 'Bearer wrong' })).statusCode, 401);
  t.equal((await overview(app, '', { authorization: 'Bearer let-me-in' })).statusCode, 200);
});
