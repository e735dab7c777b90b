// GET /__admin/demo-token: the dashboard's one-click "Use the demo token". Only the demo user's API
// token (documented and fixed: the fixtures', or --demo-token), null without one, behind the admin
// secret like every admin route. And GET / (the page's own navigation) is not journaled.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, IDS, TOKENS, V } from '../helper.js';

const demoToken = async (app: Awaited<ReturnType<typeof buildApp>>, headers: Record<string, string> = {}) => {
  const res = await app.inject({ url: '/__admin/demo-token', headers });
  return { status: res.statusCode, body: res.json() as { token?: string | null } };
};

t.test("the seed's demo token, or --demo-token's, and nothing else", async (t) => {
  const app = await buildApp(t);
  t.same(await demoToken(app), { status: 200, body: { token: TOKENS.admin } }, 'the default fixtures: the demo admin');
  const self = await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: `token ${TOKENS.admin}` } });
  t.equal(self.json().data.id, IDS.users.admin, 'which is the demo user');

  const custom = await buildApp(t, { settings: { demoToken: 'my-demo-token-0001' } });
  t.same(await demoToken(custom), { status: 200, body: { token: 'my-demo-token-0001' } }, '--demo-token');
});

t.test('null without a demo user', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'snyk-mock-demo-token-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const fixtures = join(dir, 'no-demo.json');
  writeFileSync(fixtures, JSON.stringify({ users: [{ id: '0e000000-0000-4000-8000-0000000000f1', name: 'Not Demo', token: 'tok-not-demo-01' }] }));
  const app = await buildApp(t, { settings: { fixtures } });
  t.same(await demoToken(app), { status: 200, body: { token: null } }, 'a user with a token, but not the demo one: not offered');
});

t.test('behind the admin secret', async (t) => {
  const app = await buildApp(t, { settings: { adminSecret: 'the-admin-secret' } });
  t.equal((await demoToken(app)).status, 401);
  t.same(await demoToken(app, { authorization: 'Bearer the-admin-secret' }), { status: 200, body: { token: TOKENS.admin } });
});

t.test('GET / redirects to the page and is not journaled; REST calls are', async (t) => {
  const app = await buildApp(t);
  const root = await app.inject({ url: '/' });
  t.equal(root.statusCode, 302);
  t.equal(root.headers.location, '/__admin/ui/');
  await app.inject({ url: `/rest/self?version=${V}`, headers: { authorization: `token ${TOKENS.admin}` } });
  const { requests } = (await app.inject({ url: '/__admin/requests' })).json() as { requests: { method: string; path: string }[] };
  t.same(
    requests.map((r) => `${r.method} ${r.path}`),
    ['GET /rest/self'],
  );
});
