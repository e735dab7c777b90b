// Property-based fuzzing of /rest (fast-check): valid requests, built from the official spec
// extract's parameter and request-body schemas, then mutated (wrong types, missing and extra
// members, huge and unicode strings, bad uuids and cursors, bad JSON, wrong media types, odd query
// strings, oversize bodies, other methods and credentials). Shared by the bounded run in `npm test`
// (test/fuzz/requests.test.ts) and the long one of `npm run fuzz` (scripts/fuzz.mjs).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { IDS, TOKENS, V } from '../helper.js';

type Schema = Record<string, any>;
const spec = JSON.parse(readFileSync(new URL('../../spec/service-accounts-subset.json', import.meta.url), 'utf8'));

const deref = (s: Schema): Schema =>
  s.$ref
    ? deref(
        s.$ref
          .split('/')
          .slice(1)
          .reduce((o: any, k: string) => o[k], spec),
      )
    : s;

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}
export interface Operation {
  method: string;
  template: string;
  parameters: Parameter[];
  body?: Schema;
}

/** Every operation of the spec extract, with its parameters and request-body schema resolved. */
export const OPERATIONS: Operation[] = Object.entries(spec.paths as Record<string, Record<string, any>>).flatMap(([template, ops]) =>
  Object.entries(ops).map(([method, op]) => ({
    method: method.toUpperCase(),
    template,
    parameters: (op.parameters ?? []).map((p: Schema) => {
      const d = deref(p);
      return { name: d.name, in: d.in, required: d.required === true, schema: deref(d.schema) };
    }),
    body: op.requestBody ? deref(op.requestBody.content['application/vnd.api+json'].schema) : undefined,
  })),
);

// ---- valid values: the schema's structure, with the seeded ids and credentials where a value
// must name something that exists for the request to get anywhere
const ORG_ACCOUNTS = ['01', '02', '03', '04', '05'].map((n) => `5a000000-0000-4000-8000-0000000000${n}`);
const GROUP_ACCOUNTS = ['09', '10', '11', '12', '13'].map((n) => `5a000000-0000-4000-8000-0000000000${n}`);
const ANY_UUID = fc.uuid({ version: 4 });
const BY_NAME: Record<string, fc.Arbitrary<unknown>> = {
  org_id: fc.constantFrom(IDS.frontend, IDS.frontend, IDS.backend, IDS.otherOrg),
  group_id: fc.constantFrom(IDS.acmeGroup, IDS.acmeGroup, IDS.otherGroup),
  serviceaccount_id: fc.constantFrom(...ORG_ACCOUNTS, ...GROUP_ACCOUNTS),
  role_id: fc.constantFrom(...Object.values(IDS.roles)),
  version: fc.constantFrom(V, V, '2023-09-07', '2024-04-22', new Date().toISOString().slice(0, 10)),
  name: fc.string({ minLength: 1, maxLength: 30 }),
  jwks_url: fc.constantFrom('https://keys.example/jwks.json', 'https://acme.example/.well-known/jwks.json'),
  access_token_expires_at: fc.integer({ min: 1, max: 360 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
  starting_after: fc.constant(undefined),
  ending_before: fc.constant(undefined),
};

/** A value valid for `schema` (the keywords the extract's request side uses). */
export function fromSchema(schema: Schema, name?: string): fc.Arbitrary<unknown> {
  const s = deref(schema);
  if (name && BY_NAME[name]) return BY_NAME[name];
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'object': {
      const props = s.properties ?? {};
      const required: string[] = s.required ?? [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(props)) model[k] = fromSchema(v as Schema, k);
      return fc.record(model, { requiredKeys: required });
    }
    case 'string':
      if (s.format === 'uuid') return ANY_UUID;
      if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
      return fc.string();
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0;
      const max = s.maximum ?? 1_000_000;
      const step = s.multipleOf ?? 1;
      return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((n) => n * step);
    }
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue();
  }
}

export interface FuzzRequest {
  method: string;
  /** raw request target: path and query, as sent */
  target: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** what was done to the valid request, for the counterexample */
  mutations: string[];
}

interface Draft {
  op: Operation;
  path: Record<string, string>;
  query: [string, string][];
  body?: unknown;
}

const validDraft: fc.Arbitrary<Draft> = fc.constantFrom(...OPERATIONS).chain((op) => {
  const params: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const p of op.parameters) {
    params[p.name] = fromSchema(p.schema, p.name);
    if (p.required || p.in === 'path') required.push(p.name);
  }
  return fc
    .record({ params: fc.record(params, { requiredKeys: required }), body: op.body ? fromSchema(op.body) : fc.constant(undefined) })
    .map(({ params: values, body }) => {
      const path: Record<string, string> = {};
      const query: [string, string][] = [];
      for (const p of op.parameters) {
        const v = (values as Record<string, unknown>)[p.name];
        if (v === undefined) continue;
        if (p.in === 'path') path[p.name] = String(v);
        else query.push([p.name, String(v)]);
      }
      // data.id must be the path's id for a rename to get anywhere
      if (op.method === 'PATCH' && body && typeof body === 'object') (body as { data: { id: string } }).data.id = path.serviceaccount_id;
      return { op, path, query, body };
    });
});

// ---- mutations

/** Percent-encodes the UTF-8 bytes of `s` (a lone surrogate becomes U+FFFD), leaving unreserved characters. */
const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');

/** Strings that break things: huge, unicode (lone surrogates included), control characters, markup. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '💥'.repeat(1000),
    'x'.repeat(100_000),
    '<script>',
    '../../etc/passwd',
    '%00',
    'null',
    '__proto__',
    'constructor',
  ),
);
const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 2 }), nastyString, fc.constant(null), fc.double(), fc.constant([]), fc.constant({}));
const badUuid = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  fc.uuid().map((u) => u.toUpperCase()),
  fc.uuid().map((u) => u.replace(/-/g, '')),
  fc.uuid().map((u) => `${u}0`),
  fc.constantFrom('a'.repeat(200), 'a'.repeat(3000), '%E0%A4%A', '%2F', '..', '%00', 'null', '0'),
);
const badCursor = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.base64String({ maxLength: 40 }).map((b) => `v1.${b}`),
  fc.jsonValue({ maxDepth: 2 }).map((v) => `v1.${Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url')}`),
  fc
    .record({ c: fc.oneof(fc.string(), fc.integer()), i: fc.oneof(fc.uuid(), fc.integer()) })
    .map((v) => `v1.${Buffer.from(JSON.stringify(v)).toString('base64url')}`),
);
const mediaType = fc.constantFrom(
  undefined,
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/vnd.api+json; charset=latin1',
  'application/vnd.api+json;;',
  'application/vnd.api+json',
  ';;;',
  'application/*',
);
const credential = fc.constantFrom(
  `token ${TOKENS.admin}`,
  `token ${TOKENS.viewer}`,
  `token ${TOKENS.collaborator}`,
  `bearer ${TOKENS.frontendCi}`,
  '',
  'token',
  'bearer a.b.c',
  'Basic Og==',
  `token ${'x'.repeat(5000)}`,
);
const oddQuery = fc.oneof(
  fc.constant('version[]=2024-10-15'),
  fc.constant(`version=${V}&version=2024-01-01`),
  fc.constant('&&&='),
  fc.constant('version=%E0%A4%A'),
  fc.constant(`version=${V}&limit=1e2`),
  fc.constant(`version=${V}&limit=99999999999999999999`),
  fc.constant(`version=${V}&limit=-10`),
  fc.constant(`version=${V}&__proto__[x]=1`),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }).map((s) => s.replace(/[\s#]/g, '')),
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([k, v]) => `version=${V}&${pct(k)}=${pct(v)}`),
);

type Json = Record<string, unknown>;
/** The object members of `value` with their paths, for picking where to mutate. */
function objectsIn(value: unknown, path: string[] = []): { path: string[]; obj: Json }[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return [{ path, obj: value as Json }, ...Object.entries(value as Json).flatMap(([k, v]) => objectsIn(v, [...path, k]))];
}
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

type Mutation = (d: Draft) => fc.Arbitrary<{ draft: Draft; raw?: Partial<FuzzRequest>; note: string }>;

const bodyMutations: Mutation[] = [
  // wrong type for a member
  (d) =>
    fc.tuple(fc.nat(), fc.nat(), anyJson).map(([i, j, v]) => {
      const body = clone(d.body);
      const objs = objectsIn(body);
      if (objs.length === 0) return { draft: { ...d, body: v }, note: 'body replaced' };
      const { obj, path } = objs[i % objs.length];
      const keys = Object.keys(obj);
      if (keys.length === 0) return { draft: { ...d, body }, note: 'no member' };
      const k = keys[j % keys.length];
      obj[k] = v;
      return { draft: { ...d, body }, note: `/${[...path, k].join('/')} = ${JSON.stringify(v)?.slice(0, 60)}` };
    }),
  // a member removed
  (d) =>
    fc.tuple(fc.nat(), fc.nat()).map(([i, j]) => {
      const body = clone(d.body);
      const objs = objectsIn(body).filter((o) => Object.keys(o.obj).length > 0);
      if (objs.length === 0) return { draft: { ...d, body }, note: 'nothing to remove' };
      const { obj, path } = objs[i % objs.length];
      const k = Object.keys(obj)[j % Object.keys(obj).length];
      delete obj[k];
      return { draft: { ...d, body }, note: `removed /${[...path, k].join('/')}` };
    }),
  // an extra member
  (d) =>
    fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 12 }), anyJson).map(([i, k, v]) => {
      const body = clone(d.body) ?? {};
      const objs = objectsIn(body);
      const { obj, path } = objs[i % Math.max(objs.length, 1)] ?? { obj: body as Json, path: [] };
      obj[k] = v;
      return { draft: { ...d, body }, note: `extra /${[...path, k].join('/')}` };
    }),
  // a string member made nasty
  (d) =>
    fc.tuple(fc.nat(), nastyString).map(([i, v]) => {
      const body = clone(d.body);
      const strings = objectsIn(body).flatMap(({ obj, path }) =>
        Object.keys(obj)
          .filter((k) => typeof obj[k] === 'string')
          .map((k) => ({ obj, k, path })),
      );
      if (strings.length === 0) return { draft: { ...d, body }, note: 'no string' };
      const { obj, k, path } = strings[i % strings.length];
      obj[k] = v;
      return { draft: { ...d, body }, note: `/${[...path, k].join('/')} = nasty string (${v.length} chars)` };
    }),
];

const requestMutations: Mutation[] = [
  // a path id that is not a uuid (or names nothing)
  (d) =>
    fc.tuple(fc.nat(), fc.oneof(badUuid, ANY_UUID)).map(([i, v]) => {
      const names = Object.keys(d.path);
      if (names.length === 0) return { draft: d, note: 'no path parameter' };
      const name = names[i % names.length];
      return { draft: { ...d, path: { ...d.path, [name]: v } }, note: `path ${name} = ${v.slice(0, 60)}` };
    }),
  // a query parameter with a bad value, removed, or a bad cursor
  (d) =>
    fc.tuple(fc.nat(), fc.oneof(nastyString, badCursor, fc.integer().map(String))).map(([i, v]) => {
      const query = [...d.query];
      if (query.length === 0) return { draft: d, note: 'no query' };
      query[i % query.length] = [query[i % query.length][0], v];
      return { draft: { ...d, query }, note: `query ${query[i % query.length][0]} = ${v.slice(0, 60)}` };
    }),
  (d) =>
    badCursor.chain((c) =>
      fc
        .constantFrom('starting_after', 'ending_before')
        .map((n) => ({ draft: { ...d, query: [...d.query, [n, c] as [string, string]] }, note: `${n} = ${c.slice(0, 60)}` })),
    ),
  (d) => fc.nat().map((i) => ({ draft: { ...d, query: d.query.filter((_, j) => j !== i % Math.max(d.query.length, 1)) }, note: 'a query parameter dropped' })),
  // the whole query string odd
  (d) => oddQuery.map((q) => ({ draft: d, raw: { target: `${fillPath(d)}?${q}` }, note: `query string ${q.slice(0, 60)}` })),
  // bad JSON: truncated, garbage inserted, random bytes
  (d) =>
    fc.tuple(fc.nat(), fc.constantFrom('truncate', 'garbage', 'bytes')).chain(([i, how]) =>
      fc.uint8Array({ maxLength: 64 }).map((bytes) => {
        const text = JSON.stringify(d.body ?? {});
        const body =
          how === 'truncate'
            ? text.slice(0, i % text.length)
            : how === 'garbage'
              ? `${text.slice(0, i % text.length)}}{,"${text.slice(i % text.length)}`
              : Buffer.from(bytes);
        return { draft: d, raw: { body }, note: `bad JSON (${how})` };
      }),
    ),
  // the media type
  (d) =>
    mediaType.map((type) => ({ draft: d, raw: { headers: type === undefined ? {} : { 'content-type': type } }, note: `Content-Type ${type ?? '(none)'}` })),
  // an oversize body
  (d) =>
    fc
      .constantFrom(1024 * 1024 + 1, 2 * 1024 * 1024)
      .map((n) => ({ draft: d, raw: { body: JSON.stringify({ data: { pad: 'x'.repeat(n) } }) }, note: `body of ${n} bytes` })),
  // another method on the same path
  (d) => fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS').map((method) => ({ draft: d, raw: { method }, note: `method ${method}` })),
  // the origin headers: another Host (or a bad one), a forwarded scheme
  (d) =>
    fc
      .record({
        host: fc.constantFrom(undefined, 'mock.example:8443', 'bad host', 'x'.repeat(300), '[::1]:80', 'h\u00e9.example'),
        proto: fc.constantFrom(undefined, 'https', 'gopher', 'https, http'),
      })
      .map(({ host, proto }) => ({
        draft: d,
        raw: { headers: { ...(host !== undefined ? { host } : {}), ...(proto !== undefined ? { 'x-forwarded-proto': proto } : {}) } },
        note: `Host ${host ?? '(as sent)'}, X-Forwarded-Proto ${proto ?? '(none)'}`,
      })),
  // another credential
  (d) =>
    credential.map((authorization) => ({
      draft: d,
      raw: { headers: authorization ? { authorization } : { authorization: undefined as unknown as string } },
      note: `Authorization ${authorization.slice(0, 30)}`,
    })),
];

/** The path with its parameters; a value that already holds %XX sequences keeps them raw (bad encodings reach the server). */
function fillPath(d: Draft): string {
  return `/rest${d.op.template.replace(/\{(\w+)\}/g, (_, name: string) => (name in d.path ? pct(d.path[name]).replace(/%25([0-9A-F]{2})/gi, '%$1') : `{${name}}`))}`;
}

function render(d: Draft, raw: Partial<FuzzRequest>, mutations: string[]): FuzzRequest {
  const query = d.query.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
  const body = raw.body ?? (d.body === undefined ? undefined : JSON.stringify(d.body));
  const headers: Record<string, string> = {
    authorization: `token ${TOKENS.admin}`,
    ...(body !== undefined ? { 'content-type': 'application/vnd.api+json' } : {}),
    ...raw.headers,
  };
  for (const k of Object.keys(headers)) if (headers[k] === undefined) delete headers[k];
  return { method: raw.method ?? d.op.method, target: raw.target ?? `${fillPath(d)}${query ? `?${query}` : ''}`, headers, body, mutations };
}

/** A valid request with one to three mutations applied (or none: some stay valid). */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = validDraft.chain((draft) =>
  fc
    .array(fc.constantFrom(...(draft.body !== undefined ? [...bodyMutations, ...requestMutations] : requestMutations)), { minLength: 0, maxLength: 3 })
    .chain((chosen) => {
      let arb: fc.Arbitrary<{ draft: Draft; raw: Partial<FuzzRequest>; notes: string[] }> = fc.constant({ draft, raw: {}, notes: [] });
      for (const m of chosen) {
        arb = arb.chain((acc) =>
          m(acc.draft).map((r) => ({
            draft: r.draft,
            raw: { ...acc.raw, ...r.raw, headers: { ...acc.raw.headers, ...r.raw?.headers } },
            notes: [...acc.notes, r.note],
          })),
        );
      }
      return arb.map(({ draft: d, raw, notes }) => render(d, raw, notes));
    }),
);
