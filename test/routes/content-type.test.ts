// The media-type rule applies only to a request that carries a body (Content-Length > 0 or any
// Transfer-Encoding): every method × with/without Content-Type × with/without a body × the media
// types clients send, for both levels. GET and DELETE ignore Content-Type whatever it says; a
// POST or PATCH without a body gets a 400 about the missing body, whatever its Content-Type.
import t from 'tap';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { auth, buildApp, createBody, IDS, V } from '../helper.js';
import { errorDocumentErrors } from '../support/spec.js';
import { rawRequest } from '../support/raw-http.js';

const TYPES = [undefined, 'application/json', 'application/vnd.api+json', 'application/vnd.api+json; charset=utf-8'] as const;
const JSONAPI_TYPES = new Set<string | undefined>(['application/vnd.api+json', 'application/vnd.api+json; charset=utf-8']);
const MISSING_BODY = /^Client request did not conform to OpenAPI specification: a request body is required/;
const WRONG_TYPE = /^Client request did not conform to OpenAPI specification: a request body must be sent with Content-Type: application\/vnd\.api\+json$/;

const LEVELS = [
  { level: 'Org', base: `/rest/orgs/${IDS.frontend}/service_accounts`, role: IDS.roles.orgAdmin },
  { level: 'Group', base: `/rest/groups/${IDS.acmeGroup}/service_accounts`, role: IDS.roles.groupAdmin },
] as const;

let serial = 0;
async function newAccount(app: FastifyInstance, base: string, role: string, authType = 'oauth_client_secret'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: `${base}?version=${V}`,
    headers: { ...auth(), 'content-type': 'application/vnd.api+json' },
    payload: JSON.stringify(createBody({ name: `ct-${serial++}`, role_id: role, auth_type: authType })),
  });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json().data.id;
}

t.test('each method × Content-Type × body', async (t) => {
  const app = await buildApp(t);
  let cases = 0;
  for (const { level, base, role } of LEVELS) {
    // what each operation is sent when it "has a body": a valid document for those that take one,
    // garbage for those that do not (it must not even be parsed)
    const ops = [
      { name: 'list', method: 'GET', url: async () => `${base}?version=${V}`, body: '{not json', ok: 200 },
      { name: 'get', method: 'GET', url: async () => `${base}/${await newAccount(app, base, role)}?version=${V}`, body: '{not json', ok: 200 },
      { name: 'delete', method: 'DELETE', url: async () => `${base}/${await newAccount(app, base, role)}?version=${V}`, body: '{not json', ok: 204 },
      {
        name: 'create',
        method: 'POST',
        url: async () => `${base}?version=${V}`,
        body: () => JSON.stringify(createBody({ name: `ct-${serial++}`, role_id: role, auth_type: 'api_key' })),
        ok: 201,
      },
      {
        name: 'rename',
        method: 'PATCH',
        url: async () => `${base}/${await newAccount(app, base, role)}?version=${V}`,
        body: (url: string) =>
          JSON.stringify({ data: { type: 'service_account', id: url.split('/').pop()!.split('?')[0], attributes: { name: `ct-${serial++}` } } }),
        ok: 200,
      },
      {
        name: 'secrets',
        method: 'POST',
        url: async () => `${base}/${await newAccount(app, base, role)}/secrets?version=${V}`,
        body: () => JSON.stringify({ data: { type: 'service_account', attributes: { mode: 'replace' } } }),
        ok: 200,
      },
    ] as const;
    for (const op of ops) {
      const takesBody = op.method === 'POST' || op.method === 'PATCH';
      for (const type of TYPES) {
        for (const withBody of [false, true]) {
          const url = await op.url();
          const payload = withBody ? (typeof op.body === 'function' ? op.body(url) : op.body) : undefined;
          const headers: Record<string, string> = { ...auth(), ...(type ? { 'content-type': type } : {}) };
          const res = await app.inject({ method: op.method, url, headers, ...(payload !== undefined ? { payload } : {}) } as InjectOptions);
          const label = `${level} ${op.name} ${op.method}, Content-Type ${type ?? '(none)'}, ${withBody ? 'with' : 'without'} a body`;
          cases++;
          if (!takesBody || (withBody && JSONAPI_TYPES.has(type))) {
            t.equal(res.statusCode, op.ok, `${label} → ${op.ok} ${res.body.slice(0, 200)}`);
            continue;
          }
          t.equal(res.statusCode, 400, `${label} → 400`);
          t.same(errorDocumentErrors(res.json()), [], `${label}: an ErrorDocument`);
          t.match(res.json().errors[0].detail, withBody ? WRONG_TYPE : MISSING_BODY, `${label}: ${withBody ? 'the media type' : 'the missing body'} is named`);
        }
      }
    }
  }
  t.equal(cases, 2 * 6 * 4 * 2, 'every combination sent');
});

t.test('GET and DELETE ignore any Content-Type, even a malformed one; POST without a body still names the body', async (t) => {
  const app = await buildApp(t);
  const { base, role } = LEVELS[0];
  for (const type of ['text/plain', 'multipart/form-data; boundary=x', ';;;', 'application/vnd.api+json; charset=latin1']) {
    const get = await app.inject({ method: 'GET', url: `${base}?version=${V}`, headers: { ...auth(), 'content-type': type } });
    t.equal(get.statusCode, 200, `GET with ${type}`);
    const del = await app.inject({
      method: 'DELETE',
      url: `${base}/${await newAccount(app, base, role)}?version=${V}`,
      headers: { ...auth(), 'content-type': type },
      payload: 'x=1',
    });
    t.equal(del.statusCode, 204, `DELETE with ${type} and a body`);
    const post = await app.inject({ method: 'POST', url: `${base}?version=${V}`, headers: { ...auth(), 'content-type': type } });
    t.equal(post.statusCode, 400, `POST with ${type} and no body`);
    t.match(post.json().errors[0].detail, MISSING_BODY);
  }
});

t.test("media-type parameters are ignored (as Snyk's validator does), the body is read as UTF-8", async (t) => {
  const app = await buildApp(t);
  const { base, role } = LEVELS[0];
  for (const type of [
    'application/vnd.api+json;charset=UTF-8',
    'application/vnd.api+json; charset="utf-8"',
    'application/vnd.api+json; ext=foo',
    'APPLICATION/VND.API+JSON',
  ]) {
    const name = `héllo-${serial++}-✓`;
    const res = await app.inject({
      method: 'POST',
      url: `${base}?version=${V}`,
      headers: { ...auth(), 'content-type': type },
      payload: Buffer.from(JSON.stringify(createBody({ name, role_id: role, auth_type: 'api_key' })), 'utf8'),
    });
    t.equal(res.statusCode, 201, type);
    t.equal(res.json().data.attributes.name, name, 'UTF-8 name kept');
  }
});

t.test('bodies sent with Transfer-Encoding: chunked, through a real socket', async (t) => {
  const app = await buildApp(t);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  const { base, role } = LEVELS[0];
  const chunked = (method: string, url: string, type: string | undefined, body: string) =>
    rawRequest(
      port,
      `${method} ${url} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${auth().authorization}\r\n${type ? `Content-Type: ${type}\r\n` : ''}` +
        `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body ? `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n` : ''}0\r\n\r\n`,
    );
  const doc = JSON.stringify(createBody({ name: `chunked-${serial++}`, role_id: role, auth_type: 'api_key' }));
  t.equal((await chunked('POST', `${base}?version=${V}`, 'application/vnd.api+json', doc)).status, 201, 'a chunked JSON:API body is parsed');
  const empty = await chunked('POST', `${base}?version=${V}`, 'application/vnd.api+json', '');
  t.equal(empty.status, 400, 'a chunked body with no bytes');
  t.match(JSON.parse(empty.body).errors[0].detail, MISSING_BODY);
  const json = await chunked('POST', `${base}?version=${V}`, 'application/json', doc);
  t.equal(json.status, 400, 'chunked application/json');
  t.match(JSON.parse(json.body).errors[0].detail, WRONG_TYPE);
  const untyped = await chunked('POST', `${base}?version=${V}`, undefined, doc);
  t.equal(untyped.status, 400, 'a chunked body without Content-Type');
  t.match(JSON.parse(untyped.body).errors[0].detail, WRONG_TYPE);
  const del = await chunked('DELETE', `${base}/${await newAccount(app, base, role)}?version=${V}`, 'application/json', '{"x":1}');
  t.equal(del.status, 204, 'DELETE ignores a chunked body and its Content-Type');
});

t.test('the body gate comes after authentication and version', async (t) => {
  const app = await buildApp(t);
  const { base } = LEVELS[0];
  t.equal((await app.inject({ method: 'POST', url: `${base}?version=${V}` })).statusCode, 401, 'no credential: 401 before the missing body');
  const v = await app.inject({ method: 'POST', url: `${base}?version=2099-01-01`, headers: auth() });
  t.equal(v.statusCode, 400);
  t.same(v.json().errors[0].source, { parameter: 'version' }, 'bad version named before the missing body');
});
