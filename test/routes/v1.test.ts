// GET /v1/group/{groupId}/roles: Snyk's v1 role list, plain JSON (no JSON:API, no version), `token`
// or `bearer` credentials, read access to the group needed; errors as v1's {code, message, error}.
// The 200 body is checked against Snyk's v1 spec (spec/v1-group-roles.json) with Ajv.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { adminPost, buildApp, call, createBody, IDS, TOKENS, V } from '../helper.js';
import { v1RolesErrors } from '../support/spec.js';

const url = (group: string = IDS.acmeGroup) => `/v1/group/${group}/roles`;

/** A v1 error: plain JSON {code, message, error}, nothing of JSON:API. */
function v1Error(t: Test, res: LightMyRequestResponse, status: number, message?: RegExp) {
  t.equal(res.statusCode, status, res.body);
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8/);
  const body = res.json();
  t.same(Object.keys(body).sort(), ['code', 'error', 'message'], 'v1 error members only');
  t.equal(body.code, status);
  t.equal(body.error, body.message);
  if (message) t.match(body.message, message);
  t.notOk(res.headers['snyk-version-served'], 'no version gate on v1');
}

t.test('the roles, default and custom, as the v1 spec describes them', async (t) => {
  const app = await buildApp(t);
  const res = await call(app, { url: url() });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8/);
  t.match(res.headers['snyk-request-id'], /^[0-9a-f-]{36}$/);
  const roles = res.json() as { name: string; description: string; publicId: string; created: string; modified: string; customRole: boolean }[];
  t.same(v1RolesErrors(roles), [], "matches Snyk's v1 spec");
  t.not(v1RolesErrors([{ name: 'x', publicId: 'y' }]).length, 0, 'the validator rejects what the spec rejects');
  t.equal(roles.length, 5);
  t.same(
    roles.find((r) => r.name === 'Org Admin'),
    {
      name: 'Org Admin',
      description: 'Admin',
      publicId: IDS.roles.orgAdmin,
      created: '2021-04-22T16:02:53.233Z',
      modified: '2021-04-22T16:02:53.233Z',
      customRole: false,
    },
  );
  t.same(
    roles.find((r) => r.customRole),
    {
      name: 'Org Auditor',
      description: 'Reads the org and its service accounts; changes nothing',
      publicId: IDS.roles.orgAuditor,
      created: '2025-01-15T09:00:00.000Z',
      modified: '2025-01-15T09:00:00.000Z',
      customRole: true,
    },
  );
  t.same(
    roles
      .filter((r) => !r.customRole)
      .map((r) => r.name)
      .sort(),
    ['Group Admin', 'Group Viewer', 'Org Admin', 'Org Collaborator'],
    'the predefined roles are listed',
  );

  // the custom role works as role_id
  const created = await call(app, {
    method: 'POST',
    url: `/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`,
    payload: createBody({ name: 'auditor', role_id: roles.find((r) => r.customRole)!.publicId, auth_type: 'api_key' }),
  });
  t.equal(created.statusCode, 201, created.body);
  const key = created.json().data.attributes.api_key;
  t.equal((await call(app, { url: `/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`, token: key })).statusCode, 200, 'it reads');
  t.equal(
    (
      await call(app, {
        method: 'POST',
        url: `/rest/orgs/${IDS.frontend}/service_accounts?version=${V}`,
        token: key,
        payload: createBody({ name: 'x', role_id: IDS.roles.orgAdmin, auth_type: 'api_key' }),
      })
    ).statusCode,
    403,
    'and may not create',
  );
});

t.test('who may list: read access to the group; token and bearer both work', async (t) => {
  const app = await buildApp(t);
  for (const [label, authorization] of [
    ['token', `token ${TOKENS.admin}`],
    ['bearer', `bearer ${TOKENS.admin}`],
    ['Group Viewer', `token ${TOKENS.viewer}`],
    ['a group service account', `token ${TOKENS.groupViewerBot}`],
  ]) {
    t.equal((await app.inject({ url: url(), headers: { authorization } })).statusCode, 200, label);
  }
  // an OAuth access token (bearer only) of a group account works too
  const issued = await app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'c1000000-0000-4000-8000-000000000011',
      client_secret: 'demo-secret-group-oauth',
    }).toString(),
  });
  t.equal(issued.statusCode, 200, issued.body);
  t.equal((await app.inject({ url: url(), headers: { authorization: `bearer ${issued.json().access_token}` } })).statusCode, 200, 'an OAuth access token');
  t.equal(
    (await app.inject({ url: url(), headers: { authorization: `token ${issued.json().access_token}` } })).statusCode,
    401,
    'which is bearer only, as on /rest',
  );

  v1Error(t, await call(app, { url: url(), token: TOKENS.collaborator }), 404, /was not found or you may not have the correct permissions/);
  v1Error(t, await call(app, { url: url(), token: TOKENS.frontendCi }), 404);
  v1Error(t, await call(app, { url: url(IDS.otherGroup) }), 404, new RegExp(`Group ${IDS.otherGroup} was not found`));
  v1Error(t, await call(app, { url: url('00000000-0000-4000-8000-000000000000') }), 404);
  v1Error(t, await call(app, { url: url('not-a-uuid') }), 404, /Group not-a-uuid/);
  const other = (await adminPost(app, 'users', { name: 'Other Admin', roles: [{ role: 'Group Admin', group_id: IDS.otherGroup }] })).json();
  t.equal((await call(app, { url: url(IDS.otherGroup), token: other.token })).statusCode, 200, "the other group's admin sees it");
});

t.test('errors are plain v1 JSON, from the same serialiser', async (t) => {
  const app = await buildApp(t);
  v1Error(t, await app.inject({ url: url() }), 401);
  v1Error(t, await app.inject({ url: url(), headers: { authorization: 'token 00000000-0000-4000-8000-000000000000' } }), 401, /not recognized/);
  v1Error(t, await app.inject({ url: url(), headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 400, /Malformed Authorization header/);
  v1Error(t, await call(app, { url: '/v1/nowhere' }), 404);
  const wrong = await call(app, { method: 'DELETE', url: url() });
  v1Error(t, wrong, 405);
  t.match(wrong.headers.allow, /GET/);
  // /rest keeps JSON:API errors
  const rest = await app.inject({ url: `/rest/groups?version=${V}` });
  t.equal(rest.statusCode, 401);
  t.match(rest.json(), { jsonapi: { version: '1.0' }, errors: [{ status: '401' }] });
  // no version gate: a version parameter is simply ignored
  t.equal((await call(app, { url: `${url()}?version=nonsense` })).statusCode, 200);
});
