import t from 'tap';
import { BY_CREATION, BY_NAME, decodeCursor, encodeCursor, listPage } from '../../src/snyk/pagination.js';
import type { ApiError } from '../../src/snyk/errors.js';

const items = Array.from({ length: 25 }, (_, i) => ({ created_at: `2025-01-01T00:00:${String(i).padStart(2, '0')}Z`, id: `id-${i}` }));
const pos = (i: number) => BY_CREATION.position(items[i]);

t.test('cursors round-trip and reject garbage', async (t) => {
  const p = pos(3);
  t.same(decodeCursor(encodeCursor(p)), { key: items[3].created_at, id: 'id-3' });
  t.match(encodeCursor(p), /^v1\./);
  t.equal(decodeCursor('v1.!!!'), undefined);
  t.equal(decodeCursor('nope'), undefined);
  t.equal(decodeCursor('v1.' + Buffer.from('[1]').toString('base64url')), undefined);
});

t.test('pages forwards and backwards', async (t) => {
  const p1 = BY_CREATION.slice(items, { limit: 10 });
  t.same(
    p1.items.map((i) => i.id),
    items.slice(0, 10).map((i) => i.id),
  );
  t.match(p1, { hasPrev: false, hasNext: true });
  const p3 = BY_CREATION.slice(items, { limit: 10, starting_after: pos(19) });
  t.same(p3.items.length, 5);
  t.match(p3, { hasPrev: true, hasNext: false });
  const back = BY_CREATION.slice(items, { limit: 10, ending_before: pos(20) });
  t.same(
    back.items.map((i) => i.id),
    items.slice(10, 20).map((i) => i.id),
  );
  const start = BY_CREATION.slice(items, { limit: 10, ending_before: pos(5) });
  t.same(
    start.items.map((i) => i.id),
    items.slice(0, 5).map((i) => i.id),
  );
  t.match(start, { hasPrev: false, hasNext: true });
});

t.test('by name: case-insensitive, ties broken by id', async (t) => {
  const orgs = [
    { id: 'b', name: 'beta' },
    { id: 'a', name: 'Alpha' },
    { id: 'c', name: 'alpha' },
    { id: 'd', name: 'Gamma' },
  ].sort(BY_NAME.compare);
  t.same(
    orgs.map((o) => o.id),
    ['a', 'c', 'b', 'd'],
  );
  const after = BY_NAME.slice(orgs, { limit: 10, starting_after: BY_NAME.position(orgs[1]) });
  t.same(
    after.items.map((o) => o.id),
    ['b', 'd'],
  );
});

t.test('listPage: links carry version, limit and filters; bad cursors are 400s', async (t) => {
  const page = listPage(
    items,
    BY_CREATION,
    { limit: 10 },
    { path: '/things', version: '2024-10-15', filters: { name: 'x y', expand: ['a', 'b'], is_personal: false, slug: undefined } },
  );
  t.equal(page.items.length, 10);
  t.equal(page.links.self, '/things?version=2024-10-15&limit=10&name=x+y&expand=a&expand=b&is_personal=false');
  t.match(page.links.next, /^\/things\?version=2024-10-15&limit=10&name=x\+y&expand=a&expand=b&is_personal=false&starting_after=v1\./);
  t.notOk(page.links.prev);
  const bad = (q: Record<string, string>) => {
    try {
      listPage(items, BY_CREATION, { limit: 10, ...q }, { path: '/things', version: 'v' });
    } catch (err) {
      return err as ApiError;
    }
    return undefined;
  };
  t.match(bad({ starting_after: 'garbage' }), { status: 400, source: { parameter: 'starting_after' } });
  t.match(bad({ ending_before: 'v1.e30' }), { status: 400, source: { parameter: 'ending_before' } });
  t.match(bad({ starting_after: encodeCursor(pos(1)), ending_before: encodeCursor(pos(5)) }), { status: 400, source: { parameter: 'ending_before' } });
});
