// The structural diff and the id map: values issued per run are compared by form and mapped, a
// mapped value must come back as the mock's own, lists are matched by id, links by path and query.
import t from 'tap';
import { Differ } from '../../src/parity/diff.js';
import { IdMap } from '../../src/parity/idmap.js';
import type { RecordedResponse } from '../../src/parity/transcript.js';

const U1 = '11111111-1111-4111-8111-111111111111';
const M1 = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const U2 = '22222222-2222-4222-8222-222222222222';
const M2 = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
const json = (value: unknown, status = 200, headers: Record<string, string> = {}): RecordedResponse => ({
  status,
  headers: { 'content-type': 'application/vnd.api+json', ...headers },
  body: { kind: 'json', value },
});
const diff = (map: IdMap, a: RecordedResponse, b: RecordedResponse) => new Differ(map).response(a, b).map((f) => `${f.where}: ${f.what}`);

t.test('issued values: form only, then mapped', async (t) => {
  const map = new IdMap();
  const sa = (id: string, key: string, at: string) => ({ data: { id, attributes: { api_key: key, created_at: at, level: 'Org' } } });
  t.same(diff(map, json(sa(U1, '<secret:2>', '2025-01-01T00:00:00Z')), json(sa(M1, 'real-key-value', '2026-12-05T08:00:00.123Z'))), []);
  t.equal(map.get(U1), M1, 'the id is learnt');
  t.equal(map.get('<secret:2>'), 'real-key-value', 'the placeholder is learnt');
  t.same(diff(map, json(sa(U1, '<secret:2>', 'x')), json(sa(M2, 'real-key-value', 'x'))), [
    `$.data.id: value: not the mock's value for the same thing (upstream "${U1}", mock "${M2}")`,
  ]);
  t.same(diff(new IdMap(), json({ id: U1 }), json({ id: 'not-a-uuid' })), ['$.id: form: upstream uuid, mock string']);
});

t.test('status, headers, types, enums, keys, free text', async (t) => {
  const map = new IdMap();
  const a = json({ errors: [{ status: '409', code: 'X', title: 'Conflict', detail: 'one text', source: { pointer: '/data' } }], n: 1 }, 409, {
    'snyk-request-id': U1,
    location: 'https://api.snyk.io/rest/a',
    sunset: '2025-01-01',
  });
  const b = json({ errors: [{ status: '409', code: 'Y', title: 'Conflict', detail: 'another text', source: { parameter: 'x' } }], n: '1', extra: true }, 400, {
    'snyk-request-id': 'r-1',
    'content-type': 'application/json',
  });
  t.same(diff(map, a, b), [
    'status: upstream 409, mock 400',
    'header content-type: upstream "application/vnd.api+json", mock "application/json"',
    'header location: present upstream ("https://api.snyk.io/rest/a"), absent in the mock',
    'header snyk-request-id: form: upstream uuid, mock string',
    'header sunset: present upstream ("2025-01-01"), absent in the mock',
    '$.extra: absent upstream, present in the mock (true)',
    '$.errors[0].code: value: upstream "X", mock "Y"',
    '$.errors[0].source.pointer: present upstream, absent in the mock',
    '$.errors[0].source.parameter: absent upstream, present in the mock ("x")',
    '$.n: type: upstream number, mock string',
  ]);
});

t.test('lists by id: an order of its own is one difference; missing and extra items', async (t) => {
  const map = new IdMap();
  map.learn(U1, M1);
  map.learn(U2, M2);
  const item = (id: string) => ({ id, type: 'service_account' });
  t.same(diff(map, json({ data: [item(U1), item(U2)] }), json({ data: [item(M1), item(M2)] })), []);
  t.same(diff(map, json({ data: [item(U1), item(U2)] }), json({ data: [item(M2), item(M1)] })), [
    `$.data: order: the same 2 items in another order (item 0 upstream is the mock's ${M1}, in the mock ${M2})`,
  ]);
  t.same(diff(map, json({ data: [item(U1), item(U2)] }), json({ data: [item(M1)] })), [`$.data[1]: item "${U2}" absent in the mock`]);
  t.same(diff(map, json({ data: [item(U1)] }), json({ data: [item(M1), item(U2)] })), [`$.data[1]: item "${U2}" absent upstream, present in the mock`]);
  t.same(diff(new IdMap(), json({ xs: [1, 2] }), json({ xs: [1] })), ['$.xs: length: upstream 2, mock 1']);
});

t.test('lists: items the mock created in the same millisecond may come in either order; distinct times may not', async (t) => {
  const mapped = () => {
    const map = new IdMap();
    map.learn(U1, M1);
    map.learn(U2, M2);
    return map;
  };
  const item = (id: string, created_at: string) => ({ id, type: 'service_account', attributes: { created_at } });
  const up = json({ data: [item(U1, '2026-01-01T00:00:00.001Z'), item(U2, '2026-01-01T00:00:00.002Z')] });
  t.same(diff(mapped(), up, json({ data: [item(M2, '2026-01-01T00:00:00.005Z'), item(M1, '2026-01-01T00:00:00.005Z')] })), [], 'a tie in the mock');
  t.same(diff(mapped(), up, json({ data: [item(M2, '2026-01-01T00:00:00.005Z'), item(M1, '2026-01-01T00:00:00.006Z')] })), [
    `$.data: order: the same 2 items in another order (item 0 upstream is the mock's ${M1}, in the mock ${M2})`,
  ]);
});

t.test('links: absolute or not, path with ids mapped, query by parameter, cursors mapped', async (t) => {
  const map = new IdMap();
  map.learn(U1, M1);
  const links = (self: string, next?: string) => ({ links: { self, ...(next ? { next } : {}) } });
  t.same(diff(map, json(links(`/orgs/${U1}/x?version=2024-10-15&starting_after=c1`)), json(links(`/orgs/${M1}/x?version=2024-10-15&starting_after=m1`))), []);
  t.equal(map.get('c1'), 'm1', 'the cursor is learnt');
  t.same(diff(map, json(links(`/orgs/${U1}/x?version=2024-10-15&starting_after=c1`)), json(links(`https://h/orgs/${U2}/y?starting_after=m2&limit=10`))), [
    `$.links.self: form: upstream relative "/orgs/${U1}/x?version=2024-10-15&starting_after=c1", mock absolute URL "https://h/orgs/${U2}/y?starting_after=m2&limit=10"`,
    `$.links.self: path: upstream "/orgs/${U1}/x", mock "/orgs/${U2}/y"`,
    '$.links.self: query parameters: upstream [version, starting_after], mock [starting_after, limit]',
    "$.links.self: starting_after: not the mock's cursor for the same position",
  ]);
});

t.test('the replayed request: mapped values substituted everywhere', async (t) => {
  const map = new IdMap();
  map.learn(U1, M1);
  map.learn('<secret:3>', 'real-secret');
  map.learn('c1', 'm 1');
  const req = map.request({
    method: 'POST',
    path: `/rest/orgs/x/service_accounts/${U1}/secrets`,
    query: [
      ['starting_after', 'c1'],
      ['version', '2024-10-15'],
    ],
    headers: { authorization: 'bearer <secret:3>' },
    body: { kind: 'json', value: { data: { id: U1, attributes: { secret: '<secret:3>', n: 1 } } } },
  });
  t.equal(req.path, `/rest/orgs/x/service_accounts/${M1}/secrets`);
  t.same(req.query, [
    ['starting_after', 'm 1'],
    ['version', '2024-10-15'],
  ]);
  t.equal(req.headers.authorization, 'bearer real-secret');
  t.same(req.body, { kind: 'json', value: { data: { id: M1, attributes: { secret: 'real-secret', n: 1 } } } });
  t.same(
    map.request({ method: 'POST', path: '/oauth2/token', query: [], headers: {}, body: { kind: 'form', value: [['client_secret', '<secret:3>']] } }).body,
    { kind: 'form', value: [['client_secret', 'real-secret']] },
  );
});
