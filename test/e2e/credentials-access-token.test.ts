// access_token accounts end to end: the token (snyk_sat.… with the mock as its host claim) works with
// `token` and `bearer` until access_token_expires_at; deleting the account revokes it at once.
import t from 'tap';
import { ACCESS_TOKEN_RE } from '../../src/snyk/credentials.js';
import { buildApp, groupPath, IDS, orgPath } from '../helper.js';
import { createAccount, TestClock } from '../support/oauth.js';
import { checkGroupViewerOfAcme, checkOrgAdminOfFrontend, injectSender } from '../support/credentials.js';

t.test('access_token', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const expires = new Date(clock.now().getTime() + 86_400_000).toISOString();
  const orgRes = await createAccount(app, orgPath(), {
    name: 'e2e-pat-org',
    auth_type: 'access_token',
    role_id: IDS.roles.orgAdmin,
    access_token_expires_at: expires,
  });
  const groupRes = await createAccount(app, groupPath(), {
    name: 'e2e-pat-group',
    auth_type: 'access_token',
    role_id: IDS.roles.groupViewer,
    access_token_expires_at: expires,
  });
  t.equal(orgRes.statusCode, 201, orgRes.body);
  t.equal(groupRes.statusCode, 201, groupRes.body);
  const orgSa = orgRes.json().data;
  const groupSa = groupRes.json().data;
  const pat: string = orgSa.attributes.access_token;
  t.match(pat, ACCESS_TOKEN_RE);
  t.match(pat, /^snyk_sat\.[a-z0-9]{8}\./);
  t.equal(JSON.parse(Buffer.from(pat.split('.')[2], 'base64url').toString()).h, 'http://localhost:80', 'the h claim names the mock, with its scheme');

  t.test('org account with `token` and with `bearer`', async (t) => {
    await checkOrgAdminOfFrontend(t, injectSender(app, `token ${pat}`), { id: orgSa.id, name: 'e2e-pat-org' });
    t.equal((await injectSender(app, `bearer ${pat}`)('GET', '/rest/self')).status, 200);
  });

  t.test('group account', async (t) => {
    await checkGroupViewerOfAcme(t, injectSender(app, `bearer ${groupSa.attributes.access_token}`), { id: groupSa.id, name: 'e2e-pat-group' });
  });

  t.test('expiry → rejected', async (t) => {
    const send = injectSender(app, `token ${pat}`);
    clock.advance(86_399);
    t.equal((await send('GET', '/rest/self')).status, 200, 'a second before access_token_expires_at');
    clock.advance(1);
    t.equal((await send('GET', '/rest/self')).status, 401, 'at access_token_expires_at');
    t.equal((await injectSender(app, `bearer ${pat}`)('GET', '/rest/self')).status, 401);
  });

  t.test('delete → rejected at once', async (t) => {
    const fresh = await createAccount(app, orgPath(), {
      name: 'e2e-pat-delete',
      auth_type: 'access_token',
      role_id: IDS.roles.orgAdmin,
      access_token_expires_at: new Date(clock.now().getTime() + 3_600_000).toISOString(),
    });
    const sa = fresh.json().data;
    const send = injectSender(app, `token ${sa.attributes.access_token}`);
    t.equal((await send('GET', '/rest/self')).status, 200);
    t.equal((await injectSender(app, 'token 11111111-1111-4111-8111-111111111111')('DELETE', orgPath(IDS.frontend, sa.id))).status, 204);
    t.equal((await send('GET', '/rest/self')).status, 401);
  });

  t.test('the seeded access-token accounts work as documented', async (t) => {
    const seeded =
      'snyk_sat.demo0004.eyJqIjoiMDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDA0IiwicyI6IjVhMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwNCIsImgiOiJodHRwOi8vbG9jYWxob3N0OjgwODAifQ.demo-checksum-4';
    const app2 = await buildApp(t);
    const me = await injectSender(app2, `token ${seeded}`)('GET', '/rest/self');
    t.match(me, { status: 200, body: { data: { id: IDS.sa.frontendToken, attributes: { name: 'frontend-token', default_org_context: IDS.frontend } } } });
  });
});
