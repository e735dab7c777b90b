// api_key accounts end to end: create with the demo token → `Authorization: token <api_key>` is the
// account, within its role's scope → deleting the account revokes the key at once.
import t from 'tap';
import { buildApp, groupPath, IDS, orgPath } from '../helper.js';
import { createAccount } from '../support/oauth.js';
import { checkGroupViewerOfAcme, checkOrgAdminOfFrontend, injectSender } from '../support/credentials.js';

t.test('api_key', async (t) => {
  const app = await buildApp(t);
  const orgRes = await createAccount(app, orgPath(), { name: 'e2e-key-org', auth_type: 'api_key', role_id: IDS.roles.orgAdmin });
  const groupRes = await createAccount(app, groupPath(), { name: 'e2e-key-group', auth_type: 'api_key', role_id: IDS.roles.groupViewer });
  t.equal(orgRes.statusCode, 201, orgRes.body);
  t.equal(groupRes.statusCode, 201, groupRes.body);
  const orgSa = orgRes.json().data;
  const groupSa = groupRes.json().data;
  t.match(orgSa.attributes.api_key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID, as Snyk API keys are');

  t.test('org account (Org Admin of acme-frontend)', async (t) => {
    await checkOrgAdminOfFrontend(t, injectSender(app, `token ${orgSa.attributes.api_key}`), { id: orgSa.id, name: 'e2e-key-org' });
    t.equal((await injectSender(app, `bearer ${orgSa.attributes.api_key}`)('GET', '/rest/self')).status, 200, 'bearer works too');
  });

  t.test('group account (Group Viewer of Acme Group)', async (t) => {
    await checkGroupViewerOfAcme(t, injectSender(app, `token ${groupSa.attributes.api_key}`), { id: groupSa.id, name: 'e2e-key-group' });
  });

  t.test('the key is shown once', async (t) => {
    const got = await app.inject({
      url: `${orgPath(IDS.frontend, orgSa.id)}?version=2024-10-15`,
      headers: { authorization: `token ${orgSa.attributes.api_key}` },
    });
    t.notOk('api_key' in got.json().data.attributes);
  });

  t.test('delete → the old key is rejected at once', async (t) => {
    const admin = injectSender(app, 'token 11111111-1111-4111-8111-111111111111');
    for (const [path, sa] of [
      [orgPath(IDS.frontend, orgSa.id), orgSa],
      [groupPath(IDS.acmeGroup, groupSa.id), groupSa],
    ]) {
      const send = injectSender(app, `token ${sa.attributes.api_key}`);
      t.equal((await send('GET', '/rest/self')).status, 200);
      t.equal((await admin('DELETE', path)).status, 204);
      const after = await send('GET', '/rest/self');
      t.equal(after.status, 401, 'revoked');
      t.equal(after.body.errors[0].status, '401');
    }
  });
});
