// No 5xx for anything a client can send: every route, hit with malformed paths, queries, headers
// and bodies, answers a 4xx in its error shape (an ErrorDocument on /rest and /__admin, OAuth errors
// on /oauth2, v1's plain {code, message, error} on /v1), or, where the malformed part does not
// matter (a GET of the JWKS), a success.
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
  `/rest/orgs/%E0%A4%A/service_accounts?version=${V}`,
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
const types = [
  'application/vnd.api+json',
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain; charset=latin1',
  'multipart/form-data; boundary=x',
];
const auths = [`token ${TOKENS.admin}`, 'bearer a.b.c', 'token', 'Basic Og==', 'Basic !!!', `bearer ${'x'.repeat(10_000)}`];

/** Why a response is not a proper error answer of its route, or undefined. */
function errorProblem(url: string, status: number, contentType: string | undefined, body: string): string | undefined {
  if (status >= 500) return 'a 5xx';
  if (status < 400) return undefined;
  let doc: { errors?: { status?: string }[]; error?: unknown; error_description?: unknown };
  try {
    doc = JSON.parse(body);
  } catch {
    return 'a body that is not JSON';
  }
  if (url.startsWith('/oauth2/')) {
    return typeof doc.error === 'string' && typeof doc.error_description === 'string' ? undefined : 'not an OAuth error';
  }
  if (url.startsWith('/v1/')) {
    const v1 = doc as { code?: unknown; message?: unknown; error?: unknown };
    if (!/^application\/json/.test(contentType ?? '')) return `content type ${contentType}`;
    return v1.code === status && typeof v1.message === 'string' && typeof v1.error === 'string' ? undefined : 'not a v1 error of its status';
  }
  if (!/^application\/vnd\.api\+json/.test(contentType ?? '')) return `content type ${contentType}`;
  return doc.errors?.[0]?.status === String(status) ? undefined : 'not an ErrorDocument of its status';
}

t.test('every route answers malformed requests with a 4xx in its error shape, never a 5xx', async (t) => {
  const app = await buildApp(t);
  let count = 0;
  const statuses = new Map<number, number>();
  const wrong: string[] = [];
  for (const url of urls) {
    for (const method of ['GET', 'POST', 'PATCH', 'DELETE', 'PUT'] as const) {
      for (let i = 0; i < bodies.length; i++) {
        const payload = method === 'GET' || method === 'DELETE' ? undefined : bodies[i];
        if (payload === undefined && i > 0) continue;
        const res = await app.inject({
          method,
          url,
          payload,
          headers: {
            authorization: auths[(count + i) % auths.length],
            ...(payload !== undefined ? { 'content-type': types[(count + i) % types.length] } : {}),
          },
        });
        count++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        const problem = errorProblem(url, res.statusCode, res.headers['content-type'] as string | undefined, res.body);
        if (problem)
          wrong.push(`${method} ${url.slice(0, 80)} ${JSON.stringify(payload)?.slice(0, 80)} → ${res.statusCode} (${problem}) ${res.body.slice(0, 120)}`);
      }
    }
  }
  t.ok(count > 500, `${count} requests sent`);
  t.same(wrong, [], 'every error is a 4xx in the shape of its route');
  const clientErrors = [...statuses].filter(([s]) => s >= 400 && s < 500).reduce((n, [, c]) => n + c, 0);
  t.ok(
    clientErrors >= count * 0.9,
    `${clientErrors} of ${count} are 4xx (${JSON.stringify(Object.fromEntries(statuses))}): the sweep sends malformed requests`,
  );
});

t.test('what the router refuses before any route is an ErrorDocument too', async (t) => {
  const app = await buildApp(t);
  const long = await app.inject({ url: `/rest/orgs/${'a'.repeat(5000)}/service_accounts?version=${V}`, headers: { authorization: `token ${TOKENS.admin}` } });
  t.equal(long.statusCode, 414);
  t.match(long.headers['content-type'], /^application\/vnd\.api\+json/);
  t.match(long.json(), {
    jsonapi: { version: '1.0' },
    errors: [{ status: '414', detail: 'The request URL is too long: a path segment exceeds 2048 characters.' }],
  });
  t.match(long.headers['snyk-request-id'], /^[0-9a-f-]{36}$/);
  const bad = await app.inject({ url: `/rest/orgs/%E0%A4%A/service_accounts?version=${V}`, headers: { authorization: `token ${TOKENS.admin}` } });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { errors: [{ status: '400', detail: /a percent-encoded sequence does not decode to UTF-8/ }] });
});
