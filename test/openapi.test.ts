// GET /rest/openapi and /rest/openapi/{version}: outside the auth and version gates, generated from
// the route schemas, a structurally valid OpenAPI 3.0 document that matches the official spec's
// operations, and one that validates what the server actually sends.
import t from 'tap';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { buildApp, call, orgPath } from './helper.js';

const V = '2024-10-15';
const official = JSON.parse(readFileSync(new URL('../spec/service-accounts-subset.json', import.meta.url), 'utf8'));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The parts of the OpenAPI 3.0 schema (spec.openapis.org/oas/3.0/schema) a generated document can get wrong.
const ref = { type: 'object', required: ['$ref'], properties: { $ref: { type: 'string' } } };
const mediaType = { type: 'object', properties: { schema: { type: 'object' } }, additionalProperties: false };
const parameter = {
  type: 'object',
  required: ['name', 'in'],
  properties: {
    name: { type: 'string', minLength: 1 },
    in: { enum: ['query', 'header', 'path', 'cookie'] },
    required: { type: 'boolean' },
    description: { type: 'string' },
    schema: { type: 'object' },
  },
  additionalProperties: false,
  if: { properties: { in: { const: 'path' } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords
  then: { required: ['name', 'in', 'required'], properties: { required: { const: true } } },
};
const response = {
  type: 'object',
  required: ['description'],
  properties: { description: { type: 'string' }, content: { type: 'object', additionalProperties: mediaType }, headers: { type: 'object' } },
  additionalProperties: false,
};
const operation = {
  type: 'object',
  required: ['responses'],
  properties: {
    operationId: { type: 'string' },
    tags: { type: 'array', items: { type: 'string' } },
    summary: { type: 'string' },
    description: { type: 'string' },
    parameters: { type: 'array', items: { anyOf: [parameter, ref] } },
    requestBody: {
      type: 'object',
      required: ['content'],
      properties: { content: { type: 'object', additionalProperties: mediaType }, required: { type: 'boolean' } },
    },
    responses: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
      additionalProperties: { anyOf: [response, ref] },
    },
    security: { type: 'array' },
    deprecated: { type: 'boolean' },
  },
  patternProperties: { '^x-': {} },
  additionalProperties: false,
};
const OAS30 = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.0\\.\\d+$' },
    info: { type: 'object', required: ['title', 'version'], properties: { title: { type: 'string' }, version: { type: 'string' } } },
    servers: { type: 'array', items: { type: 'object', required: ['url'] } },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        propertyNames: { enum: [...METHODS, 'parameters', 'summary', 'description', 'servers'] },
        additionalProperties: operation,
      },
    },
    components: { type: 'object', properties: { schemas: { type: 'object' }, securitySchemes: { type: 'object' } } },
    security: { type: 'array' },
    tags: { type: 'array' },
  },
  patternProperties: { '^x-': {} },
  additionalProperties: false,
};
const ajv = new Ajv.default({ strict: false, allErrors: true });
const validateDocument = ajv.compile(OAS30);

/** OpenAPI 3.0 Schema Objects are not JSON Schema: no const, no type arrays, no type "null". */
function schemaProblems(node: unknown, path = ''): string[] {
  if (Array.isArray(node)) return node.flatMap((n, i) => schemaProblems(n, `${path}/${i}`));
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const out: string[] = [];
  if ('const' in o) out.push(`${path}: const`);
  if (Array.isArray(o.type) || o.type === 'null') out.push(`${path}: type ${JSON.stringify(o.type)}`);
  for (const [k, v] of Object.entries(o)) out.push(...schemaProblems(v, `${path}/${k}`));
  return out;
}

t.test('GET /rest/openapi: the versions, with no credential and no version parameter', async (t) => {
  const app = await buildApp(t);
  const res = await app.inject({ url: '/rest/openapi' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  t.same(res.json(), [
    '2022-01-31~experimental',
    '2022-03-01~experimental',
    '2022-04-06~experimental',
    '2022-09-14~experimental',
    '2022-12-15~beta',
    '2023-01-30~beta',
    '2023-05-29',
    '2023-09-07',
    '2023-10-24~experimental',
    '2023-12-14~beta',
    '2024-02-28',
    '2024-04-22',
    '2024-04-25~experimental',
  ]);
  t.equal((await app.inject({ url: '/rest/openapi/' })).statusCode, 200, 'trailing slash');
});

t.test('GET /rest/openapi/{version}: a valid OpenAPI 3.0 document of the enforced operations', async (t) => {
  const app = await buildApp(t);
  const res = await app.inject({ url: `/rest/openapi/${V}`, headers: { host: 'mock.test:8080' } });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const doc = res.json();
  t.ok(validateDocument(doc), JSON.stringify(validateDocument.errors, null, 1));
  t.same(schemaProblems(doc), [], 'OpenAPI 3.0 schema objects');
  t.equal(doc.info.version, V);
  t.same(doc.servers, [{ url: 'http://mock.test:8080/rest', description: 'this snyk-mock' }]);

  // the same operations as the official spec, with the same operationIds
  const ops = (d: { paths: Record<string, Record<string, { operationId?: string }>> }) =>
    Object.entries(d.paths)
      .flatMap(([p, item]) =>
        Object.entries(item)
          .filter(([m]) => METHODS.includes(m))
          .map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId}`),
      )
      .sort();
  t.same(ops(doc), ops(official));
  t.notOk(
    Object.keys(doc.paths).some((p) => p.startsWith('/__admin') || p.startsWith('/oauth2') || p.startsWith('/openapi')),
    'no admin, oauth or openapi routes',
  );
  const ids = ops(doc).map((o) => o.split(' ')[2]);
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique');

  // bodies and responses are JSON:API
  const create = doc.paths['/orgs/{org_id}/service_accounts'].post;
  t.same(Object.keys(create.requestBody.content), ['application/vnd.api+json']);
  t.same(Object.keys(create.responses['201'].content), ['application/vnd.api+json']);
  t.ok(create.responses['409'], 'error responses are documented');
  const list = doc.paths['/orgs/{org_id}/service_accounts'].get;
  t.match(
    list.parameters.find((p: { name: string }) => p.name === 'limit'),
    { in: 'query', required: false, schema: { default: 10 } },
  );
  t.match(
    list.parameters.find((p: { name: string }) => p.name === 'version'),
    { in: 'query', required: true },
  );

  // the document describes what the server sends
  const body = (await call(app, { url: `${orgPath()}?version=${V}` })).json();
  const validateList = ajv.compile(list.responses['200'].content['application/vnd.api+json'].schema);
  t.ok(validateList(body), JSON.stringify(validateList.errors));
});

t.test('each version documents the resources that resolve at it', async (t) => {
  const app = await buildApp(t);
  const paths = async (v: string) => Object.keys((await app.inject({ url: `/rest/openapi/${encodeURIComponent(v)}` })).json().paths).sort();
  // each operation by its own releases: groups are beta at best, getOrg has no 2024 release, listOrgsInGroup starts in 2023-10
  t.same(await paths('2022-03-01~experimental'), ['/groups', '/groups/{group_id}', '/self']);
  t.same(await paths('2022-04-06~experimental'), ['/groups', '/groups/{group_id}', '/orgs', '/orgs/{org_id}', '/self']);
  const sa = [
    '/groups/{group_id}/service_accounts',
    '/groups/{group_id}/service_accounts/{serviceaccount_id}',
    '/groups/{group_id}/service_accounts/{serviceaccount_id}/secrets',
    '/orgs/{org_id}/service_accounts',
    '/orgs/{org_id}/service_accounts/{serviceaccount_id}',
    '/orgs/{org_id}/service_accounts/{serviceaccount_id}/secrets',
  ];
  t.same(await paths('2023-09-07'), ['/orgs', '/orgs/{org_id}', ...sa].sort(), 'no /self before 2024-04-22, no GA groups at all');
  t.same(
    await paths('2023-12-14~beta'),
    ['/groups', '/groups/{group_id}', '/groups/{group_id}/orgs', '/orgs', '/orgs/{org_id}', ...sa].sort(),
    'a beta version takes beta and GA, not the experimental /self',
  );
  t.same(await paths('2024-04-22'), ['/groups/{group_id}/orgs', '/orgs', '/orgs/{org_id}', '/self', ...sa].sort());
  t.same(
    await paths('2024-10-15'),
    ['/groups', '/groups/{group_id}', '/groups/{group_id}/orgs', '/orgs', '/orgs/{org_id}', '/self', ...sa].sort(),
    'from 2024-10-15 a beta-only resource resolves to its latest beta',
  );
  for (const v of (await app.inject({ url: '/rest/openapi' })).json() as string[]) {
    const res = await app.inject({ url: `/rest/openapi/${encodeURIComponent(v)}` });
    t.equal(res.statusCode, 200, v);
    t.ok(validateDocument(res.json()), v);
  }
});

t.test('a version it does not serve: 404 error document', async (t) => {
  const app = await buildApp(t);
  for (const v of ['2020-01-01', 'nonsense', '2999-01-01', '2022-01-30~wip']) {
    const res = await app.inject({ url: `/rest/openapi/${v}` });
    t.equal(res.statusCode, 404, v);
    t.match(res.json(), { jsonapi: { version: '1.0' }, errors: [{ status: '404', source: { parameter: 'version' } }] }, v);
  }
});
