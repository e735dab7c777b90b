// oauth_client_secret accounts end to end: create with the demo token → /oauth2/token with the
// secret shown once → `Authorization: bearer <jwt>` is the account → rotate / delete.
import t from 'tap';
import { buildApp, call, groupPath, IDS, orgPath, V } from '../helper.js';
import { basic, createAccount, expectOAuthError, oauthPost, TestClock, tokenFor } from '../support/oauth.js';
import { checkGroupViewerOfAcme, checkOrgAdminOfFrontend, injectSender } from '../support/credentials.js';

t.test('oauth_client_secret', async (t) => {
  const clock = new TestClock();
  const app = await buildApp(t, { clock });
  const orgRes = await createAccount(app, orgPath(), {
    name: 'e2e-cs-org',
    auth_type: 'oauth_client_secret',
    role_id: IDS.roles.orgAdmin,
    access_token_ttl_seconds: 7200,
  });
  const groupRes = await createAccount(app, groupPath(), { name: 'e2e-cs-group', auth_type: 'oauth_client_secret', role_id: IDS.roles.groupViewer });
  t.equal(orgRes.statusCode, 201, orgRes.body);
  t.equal(groupRes.statusCode, 201, groupRes.body);
  const orgSa = orgRes.json().data;
  const groupSa = groupRes.json().data;
  const { client_id: orgClient, client_secret: orgSecret } = orgSa.attributes;

  const tokenRes = await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: orgClient, client_secret: orgSecret });
  t.equal(tokenRes.statusCode, 200, tokenRes.body);
  t.match(tokenRes.json(), { token_type: 'bearer', expires_in: 7200, bot_id: orgSa.id });
  const orgToken: string = tokenRes.json().access_token;
  const groupToken = (
    await oauthPost(app, 'token', { grant_type: 'client_credentials' }, basic(groupSa.attributes.client_id, groupSa.attributes.client_secret))
  ).json().access_token;

  t.test('org account', async (t) => {
    await checkOrgAdminOfFrontend(t, injectSender(app, `bearer ${orgToken}`), { id: orgSa.id, name: 'e2e-cs-org' });
  });

  t.test('group account', async (t) => {
    await checkGroupViewerOfAcme(t, injectSender(app, `Bearer ${groupToken}`), { id: groupSa.id, name: 'e2e-cs-group' });
  });

  t.test('the client secret is not an API credential', async (t) => {
    t.equal((await injectSender(app, `token ${orgSecret}`)('GET', '/rest/self')).status, 401);
    t.equal((await injectSender(app, `bearer ${orgSecret}`)('GET', '/rest/self')).status, 401);
  });

  t.test('rotate → the old secret is rejected, issued tokens live on until they expire', async (t) => {
    const res = await call(app, {
      method: 'POST',
      url: `${orgPath(IDS.frontend, orgSa.id)}/secrets?version=${V}`,
      payload: { data: { type: 'service_account', attributes: { mode: 'replace' } } },
    });
    t.equal(res.statusCode, 200, res.body);
    const newSecret = res.json().data.attributes.client_secret;
    t.not(newSecret, orgSecret);
    expectOAuthError(
      t,
      await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: orgClient, client_secret: orgSecret }),
      401,
      'invalid_client',
    );
    const send = injectSender(app, `bearer ${orgToken}`);
    t.equal((await send('GET', '/rest/self')).status, 200, 'the token issued before rotation is still valid');
    const newToken = await tokenFor(app, orgClient, newSecret);
    clock.advance(7200);
    t.equal((await send('GET', '/rest/self')).status, 401, 'until it expires');
    t.equal((await injectSender(app, `bearer ${newToken}`)('GET', '/rest/self')).status, 401, 'so does the new one, issued at the same time');
    const fresh = await tokenFor(app, orgClient, newSecret);
    t.equal((await injectSender(app, `bearer ${fresh}`)('GET', '/rest/self')).status, 200);

    t.test('delete → its tokens are rejected at once', async (t) => {
      t.equal((await call(app, { method: 'DELETE', url: `${orgPath(IDS.frontend, orgSa.id)}?version=${V}` })).statusCode, 204);
      t.equal((await injectSender(app, `bearer ${fresh}`)('GET', '/rest/self')).status, 401);
      expectOAuthError(
        t,
        await oauthPost(app, 'token', { grant_type: 'client_credentials', client_id: orgClient, client_secret: newSecret }),
        401,
        'invalid_client',
      );
    });
  });
});
