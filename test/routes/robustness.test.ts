// No 5xx for anything a client can send: every route, hit with malformed paths, queries, headers
// and bodies, answers a 4xx (an ErrorDocument on /rest and /__admin, OAuth errors on /oauth2).
import t from 'tap';
import { buildApp, IDS, TOKENS, V } from '../helper.js';

const org = `/rest/orgs/${IDS.frontend}/service_accounts`;
const group = `/rest/groups/${IDS.acmeGroup}/service_accounts`;
const one = `${org}/${IDS.sa.frontendDeployer}`;

const urls = [
  `${org}?version=${V}`,
  `${org}?version=${V}&limit=10&limit=20`,
  `${org}?version=${V}&version=2024-01-01`,
  `${org}?version[]=x`,
  `${org}?version=${V}&starting_after=v1.${Buffer.from('{"c":1,"i":2}').toString('base64url')}`,
  `${org}?version=${V}&ending_before=v1.${Buffer.from('null').toString('base64url')}`,
  `${org}?version=%E0%A4%A`,
  `${group}?version=${V}&limit=1e2`,
  `${one}?version=${V}`,
  `${one}/secrets?version=${V}`,
  `/rest/orgs/%00/service_accounts?version=${V}`,
  `/rest/orgs/${'a'.repeat(5000)}/service_accounts?version=${V}`,
  `/rest/self?version=${V}`,
  `/rest/orgs?version=${V}&expand=member_role&expand=member_role&is_personal=true&is_personal=x`,
  `/rest/orgs?version=${V}&name[a]=1&slug=%ZZ&group_id=${IDS.acmeGroup}&limit=100`,
  `/rest/orgs?version=${V}&starting_after=v1.${Buffer.from('{"c":"a","i":"b"}').toString('base64url')}`,
  `/rest/orgs/${IDS.frontend}?version=${V}&expand=tenant&expand=`,
  `/rest/groups?version=${V}&ending_before=v1.`,
  `/rest/groups/${IDS.acmeGroup}?version=${V}`,
  `/rest/groups/${IDS.acmeGroup}/orgs?version=${V}&name=%00&slug=`,
  `/v1/group/${IDS.acmeGroup}/roles`,
  `/v1/group/%ZZ/roles`,
  `/v1/group/${'a'.repeat(5000)}/roles?x=1&x=2`,
  '/rest/openapi',
  '/rest/openapi/not-a-version',
  '/rest/openapi/2099-01-01',
  '/oauth2/token',
  '/oauth2/revoke',
  '/oauth2/jwks',
  '/__admin/seed',
  '/__admin/users',
  '/__admin/grants',
  '/__admin/orgs',
];
const bodies: (string | undefined)[] = [
  undefined,
  '',
  'null',
  '[]',
  '"text"',
  '{"data":null}',
  '{"data":[]}',
  '{"data":{"type":"service_account","attributes":null}}',
  '{"data":{"type":"service_account","id":"x","attributes":{"name":{"x":1},"mode":7}}}',
  '{"data":{"type":"service_account","attributes":{"name":"x","role_id":"8f35d030-fdca-4335-827b-7c93e6426e7b","auth_type":"access_token","access_token_expires_at":"9999-99-99T99:99:99Z"}}}',
  '{"data":{"type":"service_account","attributes":{"name":"x","role_id":"8f35d030-fdca-4335-827b-7c93e6426e7b","auth_type":"oauth_private_key_jwt","jwks_url":"https://[::1"}}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '{"groups":[{"id":1}],"users":"x"}',
  '{"schemaVersion":1}',
  'grant_type=client_credentials&client_id=%ZZ',
  'client_assertion=a.b.c&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&grant_type=client_credentials',
  '\u0000\u0001',
];
const types = ['application/vnd.api+json', 'application/json', 'application/x-www-form-urlencoded', 'text/plain; charset=latin1', 'multipart/form-data; boundary=x'];
const auths = [`token ${TOKENS.admin}`, 'bearer a.b.c', 'token', 'Basic Og==', 'Basic !!!', `bearer ${'x'.repeat(10_000)}`];

t.test('every route answers malformed requests with a 4xx', async (t) => {
  const app = await buildApp(t);
  let count = 0;
  const fives: string[] = [];
  for (const url of urls) {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'] as const) {
      for (let i = 0; i < bodies.length; i++) {
        const payload = method === 'GET' || method === 'DELETE' ? undefined : bodies[i];
        if (payload === undefined && i > 0) continue;
        const res = await app.inject({
          method,
          url,
          payload,
          headers: { authorization: auths[(count + i) % auths.length], ...(payload !== undefined ? { 'content-type': types[(count + i) % types.length] } : {}) },
        });
        count++;
        if (res.statusCode >= 500) fives.push(`${method} ${url} ${JSON.stringify(payload)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
  }
  t.ok(count > 500, `${count} requests sent`);
  t.same(fives, [], 'no 5xx');
});
